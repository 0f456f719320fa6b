import Table from 'cli-table3';
import type { DiffRow, ResultsDiff } from '../analysis/diff-results.js';
import { formatFactorValue, type FactorValue } from '../shared/factor-value.js';
import { roundForOutput } from '../shared/numbers.js';
import { fitColumnWidths, fitsWithoutCuttingWords } from './fit-table.js';
import { wrapText } from '../shared/wrap-text.js';

const num = (x: number | null) => (x === null ? '—' : String(roundForOutput(x)));

/** What differs, as a terminal table (or a line saying nothing does). */
export function renderDiffTable(diff: ResultsDiff, color: boolean, maxWidth?: number): string {
  const bad = diff.rows.filter((r) => !r.within);
  const wrap = (text: string) => (maxWidth === undefined ? text : wrapText(text, maxWidth, '  '));
  // Settings that differ come first: they explain the rows below.
  const lines: string[] = diff.settings.map((d) => wrap(`setting ${settingLine(d)}`));
  if (bad.length) {
    const head = headings(diff);
    const rows = bad.map(cells);
    if (maxWidth !== undefined && !fitsWithoutCuttingWords([head, ...rows], maxWidth)) {
      // Too narrow for the table without cutting labels (hidden=… for hidden=1024): a line per value instead.
      lines.push(...rows.map((row) => wrap(rowLine(head, row))));
    } else {
      const fit = maxWidth === undefined ? {} : { colWidths: fitColumnWidths([head, ...rows], maxWidth), wordWrap: true, wrapOnWordBoundary: true };
      const table = new Table({ head, style: { head: color ? ['red'] : [], border: color ? ['grey'] : [], compact: true }, ...fit });
      table.push(...rows);
      lines.push(table.toString());
    }
  }
  lines.push(...diff.missing.map((m) => wrap(`missing: ${m}`)));
  lines.push(...diff.notes.map((n) => wrap(`note: ${n}`)));
  lines.push(wrap(`judged ${diff.judged}`));
  lines.push(summaryLine(diff, bad));
  return lines.join('\n') + '\n';
}

/** One differing value as a line: `hidden=1024 bn=true, val_accuracy, final mean: A 0.91, B 0.93, B − A +0.02 (better), tolerance 0`. */
function rowLine(head: string[], [variant, metric, what, ...values]: string[]): string {
  const named = values.map((v, i) => `${head[i + 3]} ${v}`).join(', ');
  return `${[variant, metric === '—' ? '' : metric].filter(Boolean).join(', ')}, ${what}: ${named}`;
}

function settingLine(d: ResultsDiff['settings'][number]): string {
  const values = (v: Array<FactorValue | null>) => v.map((x) => formatFactorValue(x)).join(', ');
  return `${d.setting}: A ${values(d.a)}, B ${values(d.b)}`;
}

const crossMachine = (diff: ResultsDiff) => diff.mode === 'cross-machine';

function headings(diff: ResultsDiff): string[] {
  return crossMachine(diff)
    ? ['variant', 'metric', 'what', 'A', 'B', 'B − A', 'p (Holm)', 'seeds A/B']
    : ['variant', 'metric', 'what', 'A', 'B', 'B − A', 'tolerance'];
}

function cells(r: DiffRow): string[] {
  const base = [r.variant, r.metric, r.what, num(r.a), num(r.b), signed(r)];
  if (!r.test) return [...base, num(r.tolerance)];
  const p = r.test.method === 'exact' ? 'exact' : r.test.pAdjusted === null ? '—' : formatP(r.test.pAdjusted);
  return [...base, p, `${r.test.seeds[0]}/${r.test.seeds[1]}`];
}

/** B − A with its sign and, where the metric has a direction, whether that is better or worse. */
function signed(r: DiffRow): string {
  if (r.delta === null) return num(r.difference);
  const text = r.delta > 0 ? `+${num(r.delta)}` : num(r.delta)!.replace('-', '−');
  return r.direction ? `${text} (${r.direction})` : text;
}

function formatP(p: number): string {
  return p < 0.0001 ? '< 0.0001' : String(Number(p.toPrecision(2)));
}

/** The same as a Markdown table, for a CI job summary or a pull-request comment. */
export function renderDiffMarkdown(diff: ResultsDiff): string {
  const bad = diff.rows.filter((r) => !r.within);
  const lines = [`**nnlab diff**: ${summaryLine(diff, bad)}`, '', `Judged ${diff.judged}.`, ''];
  if (bad.length) {
    const head = headings(diff);
    lines.push(
      `| ${head.map((h) => h.replace(/\|/g, '\\|')).join(' | ')} |`,
      `|---|---|---|${head
        .slice(3)
        .map(() => '---:')
        .join('|')}|`,
    );
    for (const r of bad) lines.push(`| ${cells(r).join(' | ')} |`);
  }
  for (const d of diff.settings) lines.push(`- setting ${settingLine(d)}`);
  for (const m of diff.missing) lines.push(`- missing: ${m}`);
  for (const n of diff.notes) lines.push(`- note: ${n}`);
  return lines.join('\n') + '\n';
}

function summaryLine(diff: ResultsDiff, bad: DiffRow[]): string {
  const scope = `${diff.compared.variants} variant${diff.compared.variants === 1 ? '' : 's'} × ${diff.compared.metrics} metric${diff.compared.metrics === 1 ? '' : 's'}`;
  const beyond = crossMachine(diff) ? 'beyond seed-to-seed noise' : 'beyond tolerance';
  if (bad.length === 0 && diff.missing.length === 0)
    return `same ${crossMachine(diff) ? 'within seed-to-seed noise' : 'within tolerance'}: ${scope} (${diff.rows.length} values compared)`;
  return `${bad.length} value${bad.length === 1 ? ' differs' : 's differ'} ${beyond}, ${diff.missing.length} missing (${scope})`;
}
