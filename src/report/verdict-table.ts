import Table from 'cli-table3';
import type { Comparison } from '../analysis/compare.js';
import { formatFactorValue, variantLabel } from '../shared/factor-value.js';
import { ALPHA } from '../analysis/verdicts.js';
import { fitColumnWidths } from './fit-table.js';

const COLOURS: Record<Comparison['outcome'], string> = { better: '\u001b[32m', worse: '\u001b[31m', equivalent: '\u001b[36m', inconclusive: '\u001b[33m', 'no data': '\u001b[90m' };

/**
 * One row per comparison, under a heading row per combination of the other factors: the compared
 * level, the quantity, the difference against the baseline ± the half-width of its 95 % interval
 * (or, for epochs to a threshold some seeds never reached, the median difference and how many
 * reached it), the seeds paired, and the verdict.
 */
export function renderVerdictTable(comparisons: Comparison[], options: { color: boolean; maxWidth?: number }): string {
  if (comparisons.length === 0) return '';
  const first = comparisons[0]!;
  const head = [first.factor, 'quantity', 'level − baseline', 'seeds', 'verdict'];
  const rows: Array<Array<string | { content: string; colSpan: number }>> = [];
  let group: string | undefined;
  for (const c of comparisons) {
    const label = variantLabel(c.others);
    if (Object.keys(c.others).length > 0 && label !== group) rows.push([{ content: label, colSpan: head.length }]);
    group = label;
    rows.push([formatFactorValue(c.level), c.quantity.label, differenceCell(c), String(c.differences.length), verdictCell(c, options.color)]);
  }
  const plain = rows.filter((r) => r.length === head.length) as string[][];
  const fit = options.maxWidth === undefined ? {} : { colWidths: fitColumnWidths([head, ...plain], options.maxWidth), wordWrap: true, wrapOnWordBoundary: true };
  const table = new Table({ head, style: { head: [], border: options.color ? ['grey'] : [], compact: true }, ...fit });
  table.push(...(rows as Table.HorizontalTableRow[]));
  return table.toString();
}

/** `−0.0080 ± 0.0040` (the 95 % interval's half-width), or `median +3 (reached 4/5 vs 5/5)` for censored epochs. */
function differenceCell(c: Comparison): string {
  const epochs = c.quantity.kind === 'epochs';
  const { meanDifference: m, ci } = c.stats;
  const scale = Math.max(Math.abs(m ?? 0), ...(ci ?? []).map(Math.abs));
  const digits = epochs ? 1 : scale >= 1000 ? 0 : scale >= 10 ? 2 : 4;
  const signed = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(digits)}`;
  if (c.method === 'signed-rank') {
    const r = c.reached!;
    if (r.level === 0 && r.baseline === 0) return `neither reached it (0/${r.of})`;
    const median = c.rank?.median ?? 0;
    // An infinite median: in the middle seed only one side reached the threshold.
    const middle = Number.isFinite(median) ? `median ${signed(median)}` : `median: only ${median < 0 ? 'this level' : 'baseline'}`;
    return `${middle} (reached ${r.level}/${r.of} vs ${r.baseline}/${r.of})`;
  }
  if (m === null) return '—';
  return ci ? `${signed(m)} ± ${((ci[1] - ci[0]) / 2).toFixed(digits)}` : signed(m);
}

function verdictCell(c: Comparison, color: boolean): string {
  const negligible = (c.outcome === 'better' || c.outcome === 'worse') && c.pEquivalentAdjusted !== undefined && c.pEquivalentAdjusted !== null && c.pEquivalentAdjusted < ALPHA;
  const text =
    c.outcome === 'equivalent' ? `equivalent ±${c.margin}`
    : negligible ? `${c.outcome}, within ±${c.margin}`
    : c.outcome === 'inconclusive' && c.seedsToDecide ? `inconclusive (~${c.seedsToDecide} seeds)`
    : c.outcome;
  return color ? `${COLOURS[c.outcome]}${text}\u001b[0m` : text;
}
