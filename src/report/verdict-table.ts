import Table from 'cli-table3';
import type { Comparison } from '../analysis/compare.js';
import type { Trend } from '../analysis/trends.js';
import { shortFactorValue, variantLabel } from '../shared/factor-value.js';
import { formatQuantityValue } from '../shared/numbers.js';
import { ALPHA } from '../analysis/verdicts.js';
import { fitColumnWidths } from './fit-table.js';

const COLOURS: Record<string, string> = {
  better: '\u001b[32m',
  worse: '\u001b[31m',
  equivalent: '\u001b[36m',
  inconclusive: '\u001b[33m',
  'no data': '\u001b[90m',
  rising: '\u001b[32m',
  falling: '\u001b[32m',
  'no trend': '\u001b[33m',
};

type Row = Array<string | { content: string; colSpan: number }>;

/**
 * One row per comparison, under a heading row per combination of the other factors (and per factor
 * when several are compared): the compared level, the quantity, the difference against the baseline
 * ± the half-width of its 95 % interval (the seeds' range where an exact test decided; for epochs
 * to a threshold some seeds never reached, the median difference and how many reached it), the
 * seeds paired, and the verdict.
 */
export function renderVerdictTable(comparisons: Comparison[], options: { color: boolean; maxWidth?: number }): string {
  if (comparisons.length === 0) return '';
  const factors = [...new Set(comparisons.map((c) => c.factor))];
  const head = [factors.length === 1 ? factors[0]! : 'level', 'quantity', 'level − baseline', 'seeds', 'verdict'];
  const rows: Row[] = [];
  // Mapping-valued levels by their short names (sgd, adam), as the comparison table names them.
  const levels: Record<string, unknown[]> = {};
  const add = (f: string, v: unknown) => {
    if (!(levels[f] ??= []).some((x) => JSON.stringify(x) === JSON.stringify(v))) levels[f]!.push(v);
  };
  for (const c of comparisons) {
    add(c.factor, c.level);
    add(c.factor, c.baseline);
    for (const [f, v] of Object.entries(c.others)) add(f, v);
  }
  const short = (f: string, v: unknown) => shortFactorValue(v, levels[f] ?? []);
  let group: string | undefined;
  for (const c of comparisons) {
    const others = Object.entries(c.others)
      .map(([f, v]) => `${f}=${short(f, v)}`)
      .join(' ');
    const label = factors.length === 1 ? others : `${c.factor}=${short(c.factor, c.level)} vs ${short(c.factor, c.baseline)}${others ? ` · ${others}` : ''}`;
    if (label && label !== group) rows.push([{ content: label, colSpan: head.length }]);
    group = label;
    rows.push([short(c.factor, c.level), c.quantity.label, differenceCell(c), String(c.differences.length), colour(verdictText(c), c.outcome, options.color)]);
  }
  return renderTable(head, rows, options.maxWidth, options.color);
}

/** One row per trend: the quantity's means along the factor's levels, the seeds, and the verdict. */
export function renderTrendTable(trends: Trend[], options: { color: boolean; maxWidth?: number }): string {
  if (trends.length === 0) return '';
  const head = ['factor', 'quantity', 'mean at each level', 'seeds', 'verdict'];
  const rows: Row[] = [];
  let group: string | undefined;
  for (const t of trends) {
    const label = Object.keys(t.others).length ? variantLabel(t.others) : '';
    if (label && label !== group) rows.push([{ content: label, colSpan: head.length }]);
    group = label;
    const scale = Math.max(...t.means.map((m) => Math.abs(m ?? 0)));
    const means = t.means.map((m) => (m === null ? '—' : formatQuantityValue(m, t.quantity.kind === 'epochs' ? 'epochs' : scale))).join(' → ');
    const verdict =
      t.outcome === 'rising' || t.outcome === 'falling'
        ? `${t.outcome} (${t.outcome === 'rising' ? t.stats.rising : t.stats.falling}/${t.stats.n} seeds)`
        : t.outcome === 'no trend' && t.seedsToDecide
          ? `no trend (~${t.seedsToDecide} seeds)`
          : t.outcome;
    rows.push([
      `${t.factor} ${t.levels[0]}…${t.levels[t.levels.length - 1]}`,
      t.quantity.label,
      means,
      String(t.stats.n),
      colour(verdict, t.outcome, options.color),
    ]);
  }
  return renderTable(head, rows, options.maxWidth, options.color);
}

function renderTable(head: string[], rows: Row[], maxWidth: number | undefined, color: boolean): string {
  const plain = rows.filter((r) => r.length === head.length) as string[][];
  const fit = maxWidth === undefined ? {} : { colWidths: fitColumnWidths([head, ...plain], maxWidth), wordWrap: true, wrapOnWordBoundary: true };
  const table = new Table({ head, style: { head: [], border: color ? ['grey'] : [], compact: true }, ...fit });
  table.push(...(rows as Table.HorizontalTableRow[]));
  return table.toString();
}

/**
 * `−0.0080 ± 0.0040` (the 95 % interval's half-width), `−1.0 (all 10 seeds)` or `−1.0 (−2.0 to
 * −1.0)` where an exact test decided, `median +3 (reached 4/5 vs 5/5)` for censored epochs.
 */
function differenceCell(c: Comparison): string {
  const epochs = c.quantity.kind === 'epochs';
  const { meanDifference: m, ci } = c.stats;
  const scale = Math.max(Math.abs(m ?? 0), ...(ci ?? []).map(Math.abs));
  const signed = (x: number) => `${x < 0 ? '−' : '+'}${formatQuantityValue(Math.abs(x), epochs ? 'epochs' : scale)}`;
  if (c.method === 'signed-rank') {
    const r = c.reached!;
    if (r.level === 0 && r.baseline === 0) return `neither reached it (0/${r.of})`;
    const median = c.rank?.median ?? 0;
    // An infinite median: in the middle seed only one side reached the threshold.
    const middle = Number.isFinite(median) ? `median ${signed(median)}` : `median: only ${median < 0 ? 'this level' : 'baseline'}`;
    return `${middle} (reached ${r.level}/${r.of} vs ${r.baseline}/${r.of})`;
  }
  if (m === null) return '—';
  if (c.method === 'sign-flip') {
    const lo = Math.min(...c.differences);
    const hi = Math.max(...c.differences);
    return lo === hi ? `${signed(m)} (all ${c.differences.length} seeds)` : `${signed(m)} (${signed(lo)} to ${signed(hi)})`;
  }
  return ci ? `${signed(m)} ± ${formatQuantityValue((ci[1] - ci[0]) / 2, epochs ? 'epochs' : scale)}` : signed(m);
}

function verdictText(c: Comparison): string {
  const negligible =
    (c.outcome === 'better' || c.outcome === 'worse') && c.pEquivalentAdjusted !== undefined && c.pEquivalentAdjusted !== null && c.pEquivalentAdjusted < ALPHA;
  const margin = `±${c.margin}${c.marginIsDefault ? ' (default)' : ''}`;
  return c.outcome === 'equivalent'
    ? `equivalent ${margin}`
    : negligible
      ? `${c.outcome}, within ${margin}`
      : c.outcome === 'inconclusive' && c.differences.length > 1 && c.differences.every((d) => d === 0)
        ? `identical${c.seedsToDecide ? ` (~${c.seedsToDecide} seeds to claim)` : ''}`
        : c.outcome === 'inconclusive' && c.seedsToDecide
          ? `inconclusive (~${c.seedsToDecide} seeds)`
          : c.outcome;
}

function colour(text: string, outcome: string, color: boolean): string {
  return color ? `${COLOURS[outcome] ?? ''}${text}\u001b[0m` : text;
}
