/**
 * Break text at spaces so no line is longer than `width` (a word longer than that stands alone);
 * lines after the first start with `hanging`, counted in the width. A percent sign stays with its
 * number ("32 %").
 * @example wrapText('a bb cc', 4, ' ') === 'a bb\n cc'
 */
export function wrapText(text: string, width: number, hanging = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +(?!%)/)) {
    const prefix = lines.length ? hanging : '';
    if (line && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push((lines.length ? hanging : '') + line);
  return lines.join('\n');
}
