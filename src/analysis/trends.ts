import { variantLabel, type FactorValue } from '../shared/factor-value.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { formatQuantityValue, mean } from '../shared/numbers.js';
import { largerIsBetter, type Quantity } from '../shared/quantity.js';
import { ALPHA, formatP } from './decision.js';
import { upperQuantile } from './normal-distribution.js';
import { valuesBySeed } from './pairing.js';
import type { RunForSummary } from './summarize.js';
import { pageTrend, type TrendStats } from './trend-stats.js';

/** One quantity along a numeric factor's levels, within one combination of the other factors, before any verdict. */
export interface TrendPairing {
  factor: string;
  /** The factor's levels, increasing. */
  levels: number[];
  others: Record<string, FactorValue>;
  quantity: Quantity;
  stats: TrendStats;
  /** Per level (as `levels`), the mean over the seeds with a value at every level (censored epochs left out). */
  means: Array<number | null>;
  /** Seeds without a value at every level (failed, diverged, missing). */
  unpaired: number;
}

export interface TrendDecision {
  /** rising / falling with the factor; `no trend` when neither is shown. */
  outcome: 'rising' | 'falling' | 'no trend' | 'no data';
  /** The direction is the better one for the quantity (accuracy rising, loss or epochs falling). */
  improves?: boolean;
  p: number | null;
  pAdjusted: number | null;
  seedsToDecide?: number | null;
  verdict: string;
}

export type Trend = TrendPairing & TrendDecision;

/**
 * A factor whose levels are numbers, three or more of them (training-set sizes, widths, learning
 * rates), is judged by its trend across all levels, not level by level against the first: "does
 * epoch-1 accuracy grow with n" is one question, answered by Page's test over the seeds.
 */
export function isTrendFactor(levels: FactorValue[]): boolean {
  return levels.length >= 3 && levels.every((l) => typeof l === 'number');
}

/**
 * Each quantity along `factor`'s levels within every combination of the other factors, seed by
 * seed: the seeds' values at every level, ranked, and Page's statistic over them.
 */
export function pairTrends(
  variants: Array<{ factors: Record<string, FactorValue> }>,
  runs: RunForSummary[],
  factor: string,
  quantities: Quantity[],
): TrendPairing[] {
  const levels = ([...new Set(variants.map((v) => v.factors[factor]))] as number[]).sort((a, b) => a - b);
  const key = (f: Record<string, FactorValue>) => canonicalJson(Object.entries(f).filter(([k]) => k !== factor));
  const groups = [...new Set(variants.map((v) => key(v.factors)))];
  const out: TrendPairing[] = [];
  for (const group of groups) {
    const indices = levels.map((level) => variants.findIndex((v) => key(v.factors) === group && v.factors[factor] === level));
    if (indices.some((i) => i < 0)) continue;
    const others = Object.fromEntries(Object.entries(variants[indices[0]!]!.factors).filter(([k]) => k !== factor));
    const seeds = [...new Set(runs.filter((r) => indices.includes(r.variant)).map((r) => r.seed))].sort((a, b) => a - b);
    for (const q of quantities) {
      const byLevel = indices.map((i) => valuesBySeed(runs, i, q));
      const complete = seeds.filter((s) => byLevel.every((m) => m.has(s)));
      const blocks = complete.map((s) => byLevel.map((m) => m.get(s)!));
      const means = levels.map((_, j) => mean(blocks.map((b) => b[j]!).filter(Number.isFinite)));
      out.push({ factor, levels, others, quantity: q, stats: pageTrend(blocks), means, unpaired: seeds.length - complete.length });
    }
  }
  return out;
}

/** The verdict on one trend, given its Holm-adjusted p (see decideAll) and the per-test level. */
export function decideTrend(t: TrendPairing, pAdjusted: number | null, perTest: number, family: number, looks: number): Trend {
  const { stats } = t;
  const rising = (stats.rho ?? 0) > 0;
  const shown = pAdjusted !== null && pAdjusted < ALPHA && stats.rho !== null && stats.rho !== 0;
  const outcome: TrendDecision['outcome'] = stats.n === 0 ? 'no data' : shown ? (rising ? 'rising' : 'falling') : 'no trend';
  const seeds = outcome === 'no trend' ? trendSeedsToDecide(stats, perTest) : undefined;
  const decision: TrendDecision = {
    outcome,
    ...(shown ? { improves: rising === largerIsBetter(t.quantity) } : {}),
    p: stats.p,
    pAdjusted,
    ...(seeds !== undefined ? { seedsToDecide: seeds } : {}),
    verdict: '',
  };
  return { ...t, ...decision, verdict: trendSentence(t, decision, family, looks) };
}

/**
 * Seeds that would likely show the trend: the observed z scaled by √n (Page's statistic grows with
 * the seeds), or, when every seed already agrees, the exact best case 2/(levels!)^n.
 */
function trendSeedsToDecide(stats: TrendStats, perTest: number, limit = 1000): number | null {
  if (stats.p === null || stats.rho === null || stats.rho === 0) return null;
  const need = upperQuantile(perTest / 2);
  const seen = upperQuantile(Math.max(stats.p, 1e-300) / 2);
  if (!(seen > 0)) return null;
  const n = Math.ceil(stats.n * (need / seen) ** 2);
  return n > limit ? null : Math.max(stats.n + 1, n);
}

function trendSentence(t: TrendPairing, d: TrendDecision, family: number, looks: number): string {
  const where = Object.keys(t.others).length ? `${variantLabel(t.others)}: ` : '';
  const q = t.quantity;
  const scale = Math.max(...t.means.map((m) => Math.abs(m ?? 0)));
  const at = t.levels
    .map((level, j) => `${t.means[j] === null ? '—' : formatQuantityValue(t.means[j]!, q.kind === 'epochs' ? 'epochs' : scale)} at ${t.factor}=${level}`)
    .join(', ');
  const unpaired = t.unpaired ? `; ${t.unpaired} seed${t.unpaired === 1 ? '' : 's'} without a value at every level` : '';
  if (d.outcome === 'no data') return `${where}${q.label}: no seed with a value at every level of ${t.factor}, nothing to compare${unpaired}`;
  const { n, rising, falling } = t.stats;
  const adjusted =
    d.pAdjusted === null
      ? ''
      : `; Holm-adjusted p ${formatP(d.pAdjusted)} over ${family} test${family === 1 ? '' : 's'}${looks > 1 ? ` × ${looks} rounds` : ''}`;
  const evidence = `${at}; rising in ${rising}/${n} seeds, falling in ${falling}/${n}; Page's trend test p ${formatP(d.p ?? 1)}${adjusted}`;
  if (d.outcome === 'rising' || d.outcome === 'falling')
    return `${where}${q.label} ${d.outcome === 'rising' ? 'rises' : 'falls'} with ${t.factor} (${evidence})${unpaired}`;
  const more = d.seedsToDecide ? `; about ${d.seedsToDecide} seeds would likely decide it` : '';
  return `${where}no clear trend in ${q.label} along ${t.factor} (${evidence})${more}${unpaired}`;
}
