import Table from 'cli-table3';
import type { DiffRow, ResultsDiff } from '../analysis/diff-results.js';
import { roundForOutput } from '../shared/numbers.js';
import { fitColumnWidths } from './fit-table.js';

const num = (x: number | null) => (x === null ? '—' : String(roundForOutput(x)));

/** What differs, as a terminal table (or a line saying nothing does). */
export function renderDiffTable(diff: ResultsDiff, color: boolean, maxWidth?: number): string {
  const bad = diff.rows.filter((r) => !r.within);
  const lines: string[] = [];
  if (bad.length) {
    const head = ['variant', 'metric', 'what', 'A', 'B', '|B − A|', 'tolerance'];
    const rows = bad.map((r) => [r.variant, r.metric, r.what, num(r.a), num(r.b), num(r.difference), num(r.tolerance)]);
    const fit = maxWidth === undefined ? {} : { colWidths: fitColumnWidths([head, ...rows], maxWidth), wordWrap: true, wrapOnWordBoundary: true };
    const table = new Table({ head, style: { head: color ? ['red'] : [], border: color ? ['grey'] : [], compact: true }, ...fit });
    table.push(...rows);
    lines.push(table.toString());
  }
  lines.push(...diff.missing.map((m) => `missing: ${m}`));
  lines.push(summaryLine(diff, bad));
  return lines.join('\n') + '\n';
}

/** The same as a Markdown table, for a CI job summary or a pull-request comment. */
export function renderDiffMarkdown(diff: ResultsDiff): string {
  const bad = diff.rows.filter((r) => !r.within);
  const lines = [`**nnlab diff**: ${summaryLine(diff, bad)}`, ''];
  if (bad.length) {
    lines.push('| variant | metric | what | A | B | \\|B − A\\| | tolerance |', '|---|---|---|---:|---:|---:|---:|');
    for (const r of bad) lines.push(`| ${r.variant} | ${r.metric} | ${r.what} | ${num(r.a)} | ${num(r.b)} | ${num(r.difference)} | ${num(r.tolerance)} |`);
  }
  for (const m of diff.missing) lines.push(`- missing: ${m}`);
  return lines.join('\n') + '\n';
}

function summaryLine(diff: ResultsDiff, bad: DiffRow[]): string {
  const scope = `${diff.compared.variants} variant${diff.compared.variants === 1 ? '' : 's'} × ${diff.compared.metrics} metric${diff.compared.metrics === 1 ? '' : 's'}`;
  if (bad.length === 0 && diff.missing.length === 0) return `same within tolerance: ${scope} (${diff.rows.length} values compared)`;
  return `${bad.length} value${bad.length === 1 ? ' differs' : 's differ'} beyond tolerance, ${diff.missing.length} missing (${scope})`;
}
