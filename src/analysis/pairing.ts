import type { FactorValue } from '../shared/factor-value.js';
import { higherIsBetter } from '../shared/history-contract.js';
import type { Quantity } from '../shared/quantity.js';
import { pairedStats, signedRank, type PairedStats, type SignedRankStats } from './paired-stats.js';
import { epochsToThreshold, keptHistory, type RunForSummary } from './summarize.js';

/** One quantity compared between a level of a factor and its baseline, seed by seed, before any verdict. */
export interface Pairing {
  factor: string;
  baseline: FactorValue;
  level: FactorValue;
  /** The other factors, held fixed. */
  others: Record<string, FactorValue>;
  quantity: Quantity;
  /** paired t on the differences; signed-rank when some seed never reached an epochs-to threshold. */
  method: 'paired t' | 'signed-rank';
  stats: PairedStats;
  rank?: SignedRankStats;
  /** Epochs to a threshold: of the paired seeds, how many reached it on each side. */
  reached?: { baseline: number; level: number; of: number };
  /** Level minus baseline, per paired seed (±Infinity: one side never reached a threshold). */
  differences: number[];
  /** Seeds without a usable value on both sides (failed, diverged, missing). */
  unpaired: number;
}

/**
 * Each level of `factor` against the first (baseline), within every combination of the other
 * factors, seed by seed: the per-seed differences of every quantity and their statistics.
 */
export function pairVariants(variants: Array<{ factors: Record<string, FactorValue> }>, runs: RunForSummary[], factor: string, quantities: Quantity[]): Pairing[] {
  const levels = [...new Set(variants.map((v) => v.factors[factor]!))];
  const baseline = levels[0]!;
  const key = (f: Record<string, FactorValue>) => JSON.stringify(Object.entries(f).filter(([k]) => k !== factor));
  const out: Pairing[] = [];
  const groups = [...new Set(variants.map((v) => key(v.factors)))];
  for (const group of groups) {
    const index = (level: FactorValue) => variants.findIndex((v) => key(v.factors) === group && v.factors[factor] === level);
    const baseIndex = index(baseline);
    if (baseIndex < 0) continue;
    const others = Object.fromEntries(Object.entries(variants[baseIndex]!.factors).filter(([k]) => k !== factor));
    for (const level of levels.slice(1)) {
      const levelIndex = index(level);
      if (levelIndex < 0) continue;
      for (const q of quantities) out.push({ factor, baseline, level, others, ...pairSeeds(runs, baseIndex, levelIndex, q) });
    }
  }
  return out;
}

function pairSeeds(runs: RunForSummary[], baseIndex: number, levelIndex: number, q: Quantity): Omit<Pairing, 'factor' | 'baseline' | 'level' | 'others'> {
  const base = valuesBySeed(runs, baseIndex, q);
  const other = valuesBySeed(runs, levelIndex, q);
  const seeds = [...new Set(runs.filter((r) => r.variant === baseIndex || r.variant === levelIndex).map((r) => r.seed))];
  const paired = seeds.filter((s) => base.has(s) && other.has(s));
  const differences = paired.map((s) => difference(other.get(s)!, base.get(s)!));
  const unpaired = seeds.length - paired.length;
  if (q.kind !== 'epochs') return { quantity: q, method: 'paired t', stats: pairedStats(differences), differences, unpaired };
  const reached = { baseline: paired.filter((s) => Number.isFinite(base.get(s)!)).length, level: paired.filter((s) => Number.isFinite(other.get(s)!)).length, of: paired.length };
  const censored = reached.baseline < paired.length || reached.level < paired.length;
  if (!censored) return { quantity: q, method: 'paired t', stats: pairedStats(differences), differences, reached, unpaired };
  return { quantity: q, method: 'signed-rank', stats: pairedStats(differences.filter(Number.isFinite)), rank: signedRank(differences), differences, reached, unpaired };
}

/** Level minus baseline; a seed in which neither reached a threshold is a tie (0). */
function difference(level: number, baseline: number): number {
  return level === baseline ? 0 : level - baseline;
}

/**
 * Each ok run's value of `q` by seed. Epochs to a threshold a run never reached is +Infinity: the
 * run is censored (it would have needed more epochs), not missing.
 */
export function valuesBySeed(runs: RunForSummary[], variant: number, q: Quantity): Map<number, number> {
  const values = new Map<number, number>();
  for (const run of runs) {
    if (run.variant !== variant || run.status !== 'ok') continue;
    const series = run.history.map((r) => r[q.column]).filter((v): v is number => typeof v === 'number');
    if (series.length === 0) continue;
    const value = valueOf(run, q, series);
    if (value !== null) values.set(run.seed, value);
  }
  return values;
}

function valueOf(run: RunForSummary, q: Quantity, series: number[]): number | null {
  switch (q.kind) {
    case 'final': {
      const kept = keptHistory(run).map((r) => r[q.column]).filter((v): v is number => typeof v === 'number');
      return kept.length ? kept[kept.length - 1]! : series[series.length - 1]!;
    }
    case 'best':
      return (higherIsBetter(q.column) ? Math.max : Math.min)(...series);
    case 'auc':
      return series.reduce((s, v) => s + v, 0) / series.length;
    case 'at': {
      const v = run.history.find((r) => r.epoch === q.epoch)?.[q.column];
      return typeof v === 'number' ? v : null;
    }
    case 'epochs':
      return epochsToThreshold(run.history, q.column, q.threshold) ?? Infinity;
  }
}
