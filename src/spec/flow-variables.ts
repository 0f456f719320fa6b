/** An unquoted `${name}` inside a flow collection (`{…}` or `[…]`), which standard YAML cannot read. */
interface FlowVariable {
  name: string;
  line: number;
  col: number;
}

/**
 * Every unquoted `${name}` inside `{…}` or `[…]`. In a flow collection YAML reads `{` as the start of
 * a mapping, so `{units: ${hidden}}` is a syntax error for every parser; it must be written
 * `{units: "${hidden}"}` (as in OmegaConf and Hydra). Block style (`units: ${hidden}`) needs no quotes.
 * @example findUnquotedFlowVariables('a: {units: ${h}}') → [{name: 'h', line: 1, col: 12}]
 */
export function findUnquotedFlowVariables(text: string): FlowVariable[] {
  const found: FlowVariable[] = [];
  let depth = 0;
  text.split('\n').forEach((lineText, lineIndex) => {
    let quote: string | undefined;
    for (let i = 0; i < lineText.length; i++) {
      const ch = lineText[i]!;
      if (quote) {
        if (ch === '\\' && quote === '"') i++;
        else if (ch === quote) quote = undefined;
        continue;
      }
      if (ch === '#' && (i === 0 || /\s/.test(lineText[i - 1]!))) break;
      if ((ch === '"' || ch === "'") && (i === 0 || /[\s,[{:]/.test(lineText[i - 1]!))) quote = ch;
      else if (ch === '$' && lineText[i + 1] === '{') {
        const end = lineText.indexOf('}', i);
        if (end < 0) continue;
        if (depth > 0) found.push({ name: lineText.slice(i + 2, end).trim(), line: lineIndex + 1, col: i + 1 });
        i = end;
      } else if (ch === '{' || ch === '[') depth++;
      else if ((ch === '}' || ch === ']') && depth > 0) depth--;
    }
  });
  return found;
}
