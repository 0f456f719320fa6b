/**
 * Break text at spaces so no line is longer than `width` (a word longer than that stands alone);
 * lines after the first start with `hanging`, counted in the width. A percent sign stays with its
 * number ("32 %"); leading spaces indent the first line.
 * @example wrapText('a bb cc', 4, ' ') === 'a bb\n cc'
 */
export function wrapText(text: string, width: number, hanging = ''): string {
  const lines: string[] = [];
  // Leading spaces indent the first line; the words are what follows them.
  const indent = /^ */.exec(text)![0];
  let line = indent;
  for (const word of text.slice(indent.length).split(/ +(?!%)/)) {
    const prefix = lines.length ? hanging : '';
    if (line.trim() && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line.trim() ? `${line} ${word}` : line + word;
  }
  lines.push((lines.length ? hanging : '') + line);
  return lines.join('\n');
}
