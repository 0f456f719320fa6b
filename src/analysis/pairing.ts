import type { FactorValue } from '../shared/factor-value.js';
import { higherIsBetter } from '../shared/history-contract.js';
import type { Quantity } from '../shared/quantity.js';
import { mean, sampleStd } from '../shared/numbers.js';
import { canonicalJson } from '../shared/canonical-json.js';
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
  /**
   * paired t on the differences; signed-rank when some seed never reached an epochs-to threshold;
   * sign-flip (exact) when the seeds' differences spread less than the quantity's resolution, where
   * t would take a lattice's ties for certainty.
   */
  method: 'paired t' | 'signed-rank' | 'sign-flip';
  stats: PairedStats;
  rank?: SignedRankStats;
  /** Epochs to a threshold: of the paired seeds, how many reached it on each side. */
  reached?: { baseline: number; level: number; of: number };
  /** Level minus baseline, per paired seed (±Infinity: one side never reached a threshold). */
  differences: number[];
  /** Seeds without a usable value on both sides (failed, diverged, missing). */
  unpaired: number;
  /** Seed-to-seed spread of the quantity: the two sides' standard deviations pooled (null below two seeds). */
  spread: number | null;
  /** The baseline's mean over the paired seeds (finite values): what a relative difference is relative to. */
  baselineMean: number | null;
  /** The smallest step the quantity moves in (an epoch; one validation sample's share of accuracy); 0 when continuous. */
  resolution: number;
}

/**
 * Each level of `factor` against the first (baseline), within every combination of the other
 * factors, seed by seed: the per-seed differences of every quantity and their statistics.
 */
export function pairVariants(
  variants: Array<{ factors: Record<string, FactorValue> }>,
  runs: RunForSummary[],
  factor: string,
  quantities: Quantity[],
): Pairing[] {
  // Levels by value, not identity: a mapping such as {adam: {…}} is a new object in every variant.
  const levels = [...new Map(variants.map((v) => [canonicalJson(v.factors[factor]), v.factors[factor]!])).values()];
  const baseline = levels[0]!;
  const key = (f: Record<string, FactorValue>) => canonicalJson(Object.entries(f).filter(([k]) => k !== factor));
  const out: Pairing[] = [];
  const groups = [...new Set(variants.map((v) => key(v.factors)))];
  for (const group of groups) {
    const index = (level: FactorValue) => variants.findIndex((v) => key(v.factors) === group && canonicalJson(v.factors[factor]) === canonicalJson(level));
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
  const sides = [paired.map((s) => base.get(s)!), paired.map((s) => other.get(s)!)].map((v) => v.filter(Number.isFinite));
  const common = {
    quantity: q,
    differences,
    unpaired,
    spread: pooledSpread(sides[0]!, sides[1]!),
    baselineMean: mean(sides[0]!),
    resolution: resolutionOf(q, [...sides[0]!, ...sides[1]!]),
  };
  const counts =
    q.kind === 'epochs'
      ? {
          baseline: paired.filter((s) => Number.isFinite(base.get(s)!)).length,
          level: paired.filter((s) => Number.isFinite(other.get(s)!)).length,
          of: paired.length,
        }
      : undefined;
  const reached = counts ? { reached: counts } : {};
  // A seed that never reached the threshold (on either side) is censored: ranks, not means, compare those.
  const censored = counts !== undefined && (counts.baseline < paired.length || counts.level < paired.length);
  if (censored) return { ...common, ...reached, method: 'signed-rank', stats: pairedStats(differences.filter(Number.isFinite)), rank: signedRank(differences) };
  const stats = pairedStats(differences);
  return { ...common, ...reached, method: spreadBelowResolution(stats, common.resolution) ? 'sign-flip' : 'paired t', stats };
}

/**
 * True when the differences of two or more seeds spread less than the quantity can resolve: all
 * equal (to rounding), or closer together than one step of its lattice. Student's t would then
 * read the ties as certainty (sd 0 gives p 0 from two seeds).
 */
function spreadBelowResolution(stats: PairedStats, resolution: number): boolean {
  if (stats.n < 2 || stats.sd === null) return false;
  const scale = Math.max(Math.abs(stats.meanDifference ?? 0), resolution);
  return stats.sd <= 1e-9 * scale || stats.sd < resolution;
}

/** The two sides' sample standard deviations pooled (equal weights); null below two values a side. */
function pooledSpread(a: number[], b: number[]): number | null {
  const sa = sampleStd(a);
  const sb = sampleStd(b);
  return sa === null || sb === null ? null : Math.sqrt((sa * sa + sb * sb) / 2);
}

/**
 * The smallest step a quantity moves in: one epoch for epochs to a threshold; for accuracy (a count
 * of samples over a fixed number) the smallest gap between the values seen, which is one sample's
 * share or a multiple of it; 0 for continuous quantities (losses, errors).
 * @example resolutionOf(quantity('final', 'val_accuracy'), [0.9, 0.9125, 0.925]) === 0.0125
 */
function resolutionOf(q: Quantity, values: number[]): number {
  if (q.kind === 'epochs') return 1;
  if (!higherIsBetter(q.column) || q.kind === 'auc') return 0;
  const sorted = [...new Set(values.filter(Number.isFinite).map((v) => Number(v.toPrecision(6))))].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i]! - sorted[i - 1]!);
  return Number.isFinite(gap) ? gap : 0;
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
      const kept = keptHistory(run)
        .map((r) => r[q.column])
        .filter((v): v is number => typeof v === 'number');
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
