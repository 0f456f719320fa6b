/** Columns a line takes on a terminal, ignoring ANSI colour codes. */
export function visibleWidth(line: string): number {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/**
 * cli-table3 column widths (padding included) that fit `maxWidth` with borders: every column gets
 * its widest cell, then the widest columns give way, one character at a time, down to the longest
 * word of the column (cells wrap at spaces) or, past that, a floor of 6.
 * @example fitColumnWidths([['name', 'a long cell value']], 20) → [6, 12]
 */
export function fitColumnWidths(rows: string[][], maxWidth: number): number[] {
  const { natural, word } = cellWidths(rows);
  const columns = natural.length;
  const widths = [...natural];
  const total = () => widths.reduce((s, w) => s + w, 0) + columns + 1;
  for (const floor of [word, widths.map(() => 6)]) {
    while (total() > maxWidth) {
      let widest = -1;
      for (let c = 0; c < columns; c++) if (widths[c]! > floor[c]! && (widest < 0 || widths[c]! > widths[widest]!)) widest = c;
      if (widest < 0) break;
      widths[widest] = widths[widest]! - 1;
    }
  }
  return widths;
}

/** Whether the table fits `maxWidth` with every cell wrapped at spaces only (no word cut). */
export function fitsWithoutCuttingWords(rows: string[][], maxWidth: number): boolean {
  const { word } = cellWidths(rows);
  return word.reduce((s, w) => s + w, 0) + word.length + 1 <= maxWidth;
}

/** Per column (padding included): its widest cell, and its longest word. */
function cellWidths(rows: string[][]): { natural: number[]; word: number[] } {
  const columns = Math.max(...rows.map((r) => r.length));
  const cellLines = (cell: string | undefined) => (cell ?? '').split('\n');
  const natural = Array.from({ length: columns }, (_, c) => 2 + Math.max(...rows.flatMap((r) => cellLines(r[c]).map(visibleWidth))));
  const word = Array.from(
    { length: columns },
    (_, c) =>
      2 +
      Math.max(
        ...rows.flatMap((r) =>
          cellLines(r[c])
            .flatMap((l) => l.split(' '))
            .map(visibleWidth),
        ),
      ),
  );
  return { natural, word };
}
