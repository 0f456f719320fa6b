import { LineCounter, parseDocument, type Document } from 'yaml';
import type { SpecIssue } from '../shared/errors.js';
import { findUnquotedFlowVariables } from './flow-variables.js';

/** YAML is small; this many alias expansions is far more than any real spec uses. */
export const MAX_ALIAS_COUNT = 1000;

/**
 * Parse spec text as standard YAML, with line positions kept for messages. On a syntax error the
 * issues say where; an unquoted `${x}` inside `{…}` gets its own message with the quoted form.
 * @example parseSpecYaml('name: x', 'x.yaml').issues → []
 */
export function parseSpecYaml(text: string, file: string): { doc: Document; lines: LineCounter; issues: SpecIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  // Later YAML errors are almost always consequences of the first; one located message is clearer.
  const syntax = doc.errors[0];
  if (!syntax) return { doc, lines, issues: [] };
  const unquoted = findUnquotedFlowVariables(text);
  if (unquoted.length > 0) {
    return {
      doc,
      lines,
      issues: unquoted.map((v) => ({
        code: 'yaml',
        severity: 'error',
        path: '',
        message: `invalid YAML: \${${v.name}} inside {…} or […] must be quoted, "\${${v.name}}" (standard YAML, as in Hydra and OmegaConf; block style needs no quotes)`,
        file,
        line: v.line,
        col: v.col,
      })),
    };
  }
  const pos = syntax.linePos?.[0];
  const message = syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return { doc, lines, issues: [{ code: 'yaml', severity: 'error', path: '', message: `invalid YAML: ${message}`, file, line: pos?.line, col: pos?.col }] };
}
