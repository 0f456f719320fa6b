import type { FactorValue } from '../shared/factor-value.js';
import { higherIsBetter } from '../shared/history-contract.js';
import { pairedStats, type PairedStats } from './paired-stats.js';
import { epochsToThreshold, keptHistory, type RunForSummary } from './summarize.js';
import { variantLabel } from '../shared/factor-value.js';

interface Quantity {
  /** e.g. 'final val_accuracy', 'epochs to val_accuracy ≥ 0.95' */
  label: string;
  column: string;
  kind: 'final' | 'best' | 'epochs';
  threshold?: number;
}

export interface Comparison {
  factor: string;
  baseline: FactorValue;
  level: FactorValue;
  /** The other factors, held fixed. */
  others: Record<string, FactorValue>;
  quantity: Quantity;
  stats: PairedStats;
  /** Seeds without a usable value on both sides (failed, diverged, missing, threshold never reached). */
  unpaired: number;
  verdict: string;
}

/**
 * Paired comparison along `factor`: within every combination of the other factors, each level
 * against the first (baseline), seed by seed. Seeds pair up because a seed's data split, batch
 * order and shared-layer weights are the same in every variant.
 * @example compareVariants(variants, runs, 'bn', quantitiesFor(['loss', 'val_loss', 'val_accuracy'], {}))
 */
export function compareVariants(variants: Array<{ factors: Record<string, FactorValue> }>, runs: RunForSummary[], factor: string, quantities: Quantity[]): Comparison[] {
  const levels = [...new Set(variants.map((v) => v.factors[factor]!))];
  const baseline = levels[0]!;
  const key = (f: Record<string, FactorValue>) => JSON.stringify(Object.entries(f).filter(([k]) => k !== factor));
  const out: Comparison[] = [];
  const groups = [...new Set(variants.map((v) => key(v.factors)))];
  for (const group of groups) {
    const index = (level: FactorValue) => variants.findIndex((v) => key(v.factors) === group && v.factors[factor] === level);
    const baseIndex = index(baseline);
    if (baseIndex < 0) continue;
    const others = Object.fromEntries(Object.entries(variants[baseIndex]!.factors).filter(([k]) => k !== factor));
    for (const level of levels.slice(1)) {
      const levelIndex = index(level);
      if (levelIndex < 0) continue;
      for (const quantity of quantities) {
        const base = valuesBySeed(runs, baseIndex, quantity);
        const other = valuesBySeed(runs, levelIndex, quantity);
        const seeds = [...new Set([...base.keys(), ...other.keys(), ...runs.filter((r) => r.variant === baseIndex || r.variant === levelIndex).map((r) => r.seed)])];
        const differences = seeds.filter((s) => base.has(s) && other.has(s)).map((s) => other.get(s)! - base.get(s)!);
        const stats = pairedStats(differences);
        const comparison = { factor, baseline, level, others, quantity, stats, unpaired: seeds.length - differences.length };
        out.push({ ...comparison, verdict: verdictFor(comparison) });
      }
    }
  }
  return out;
}

/** What to compare: the first validation metric's final and best value, final val_loss, epochs to each threshold. */
export function quantitiesFor(columns: string[], thresholds: Record<string, number> = {}): Quantity[] {
  const validation = columns.filter((c) => c.startsWith('val_'));
  const primary = validation.find((c) => c !== 'val_loss') ?? validation[0] ?? columns[0]!;
  const list: Quantity[] = [
    { label: `final ${primary}`, column: primary, kind: 'final' },
    { label: `best ${primary}`, column: primary, kind: 'best' },
  ];
  if (primary !== 'val_loss' && validation.includes('val_loss')) list.push({ label: 'final val_loss', column: 'val_loss', kind: 'final' });
  for (const [column, threshold] of Object.entries(thresholds)) {
    list.push({ label: `epochs to ${column} ${higherIsBetter(column) ? '≥' : '≤'} ${threshold}`, column, kind: 'epochs', threshold });
  }
  return list;
}

function valuesBySeed(runs: RunForSummary[], variant: number, q: Quantity): Map<number, number> {
  const values = new Map<number, number>();
  for (const run of runs) {
    if (run.variant !== variant || run.status !== 'ok') continue;
    const series = run.history.map((r) => r[q.column]).filter((v): v is number => typeof v === 'number');
    if (series.length === 0) continue;
    const better = higherIsBetter(q.column) ? Math.max : Math.min;
    const kept = keptHistory(run).map((r) => r[q.column]).filter((v): v is number => typeof v === 'number');
    const value = q.kind === 'final' ? (kept.length ? kept[kept.length - 1]! : series[series.length - 1]!) : q.kind === 'best' ? better(...series) : epochsToThreshold(run.history, q.column, q.threshold!);
    if (value !== null && value !== undefined) values.set(run.seed, value);
  }
  return values;
}

/** One plain sentence; a difference is claimed only when the 95 % CI excludes zero. */
function verdictFor(c: Omit<Comparison, 'verdict'>): string {
  const where = Object.keys(c.others).length ? `${variantLabel(c.others)}: ` : '';
  const who = variantLabel({ [c.factor]: c.level });
  const versus = variantLabel({ [c.factor]: c.baseline });
  const { n, meanDifference: d, ci } = c.stats;
  const scale = Math.max(Math.abs(c.stats.meanDifference ?? 0), ...(c.stats.ci ?? []).map(Math.abs));
  const digits = c.quantity.kind === 'epochs' ? 1 : scale >= 1000 ? 0 : scale >= 10 ? 2 : 4;
  const fmt = (x: number) => Math.abs(x).toFixed(digits);
  const signed = (x: number) => `${x < 0 ? '−' : '+'}${fmt(x)}`;
  const unpaired = c.unpaired ? `; ${c.unpaired} seed${c.unpaired === 1 ? '' : 's'} without a value on both sides` : '';
  if (n === 0 || d === null) {
    const what = c.quantity.kind === 'epochs' ? 'reach it' : 'finish';
    return `${where}${c.quantity.label}: no seed in which both ${who} and ${versus} ${what}, nothing to compare`;
  }
  const up = c.quantity.kind === 'epochs' ? 'later' : 'higher';
  const down = c.quantity.kind === 'epochs' ? 'sooner' : 'lower';
  const direction = (x: number) => (x > 0 ? up : down);
  const agree = d > 0 ? c.stats.positive : c.stats.negative;
  const unit = c.quantity.kind === 'epochs' ? ' epochs' : '';
  if (!ci) return `${where}${who} ${c.quantity.label} is ${fmt(d)}${unit} ${direction(d)} than ${versus} from one seed: no confidence interval, no claim${unpaired}`;
  const interval = `95\u00a0% CI ${signed(ci[0])} to ${signed(ci[1])}`;
  if (ci[0] > 0 || ci[1] < 0) {
    return `${where}with ${who}, ${c.quantity.label} is ${fmt(d)}${unit} ${direction(d)} than with ${versus} (${interval}; ${agree}/${n} seeds ${direction(d)})${unpaired}`;
  }
  return `${where}no clear difference in ${c.quantity.label} between ${who} and ${versus} (mean ${signed(d)}, ${interval}; ${agree}/${n} seeds ${direction(d)})${unpaired}`;
}
