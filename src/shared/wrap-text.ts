/**
 * Break text at spaces so no line is longer than `width` (a word longer than that stands alone);
 * lines after the first start with `hanging`, counted in the width. A percent sign stays with its
 * number ("32 %"), and a shell-quoted argument with its spaces (`--set 'sweep.seeds={min: 3, max: 10}'`
 * breaks before the quote, never inside it, so the command still pastes); leading spaces indent the
 * first line.
 * @example wrapText('a bb cc', 4, ' ') === 'a bb\n cc'
 */
export function wrapText(text: string, width: number, hanging = ''): string {
  const lines: string[] = [];
  // Leading spaces indent the first line; the words are what follows them.
  const indent = /^ */.exec(text)![0];
  let line = indent;
  for (const word of wordsOf(text.slice(indent.length))) {
    const prefix = lines.length ? hanging : '';
    if (line.trim() && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line.trim() ? `${line} ${word}` : line + word;
  }
  lines.push((lines.length ? hanging : '') + line);
  return lines.join('\n');
}

/** The words of a line: split at spaces, except before a percent sign and inside a quoted argument ('…' opening a word). */
function wordsOf(text: string): string[] {
  const words: string[] = [];
  for (const part of text.split(/ +(?!%)/)) {
    const last = words.at(-1);
    if (last !== undefined && /^'/.test(last) && !/'[.,;:)]*$/.test(last)) words[words.length - 1] = `${last} ${part}`;
    else words.push(part);
  }
  return words;
}
