import type { FactorValue } from '../shared/factor-value.js';
import { canonicalJson } from '../shared/canonical-json.js';
import type { AdaptiveSeeds } from '../spec/schema.js';
import type { Outcome } from './decision.js';
import type { TrendDecision } from './trends.js';

interface DecidedComparison {
  factor: string;
  baseline: FactorValue;
  level: FactorValue;
  others: Record<string, FactorValue>;
  outcome: Outcome;
}

interface DecidedTrend {
  factor: string;
  levels: FactorValue[];
  others: Record<string, FactorValue>;
  outcome: TrendDecision['outcome'];
}

/**
 * Seeds until decided: the seed count of each variant for the next round, `step` more (up to max)
 * for every variant of a comparison still inconclusive (both sides) or a trend not yet shown (every
 * level); undefined when nothing needs more seeds or nothing can get them. Seeds are added in order
 * (a variant with n seeds has seeds 1..n), so the same results always lead to the same rounds.
 * @example nextSeedCounts({comparisons, trends: []}, [{factors: {bn: false}}, {factors: {bn: true}}], [5, 5], {min: 5, max: 30, step: 5}) → [10, 10]
 */
export function nextSeedCounts(
  verdicts: { comparisons: DecidedComparison[]; trends?: DecidedTrend[] },
  variants: Array<{ factors: Record<string, FactorValue> }>,
  counts: number[],
  schedule: AdaptiveSeeds,
): number[] | undefined {
  const grow = new Set<number>();
  const same = (a: Record<string, FactorValue>, b: Record<string, FactorValue>) => Object.keys(b).every((k) => canonicalJson(a[k]) === canonicalJson(b[k]));
  const undecided = [
    // "no data" (a threshold nobody reached, runs that all failed) is not a question of seeds.
    ...verdicts.comparisons.filter((c) => c.outcome === 'inconclusive').map((c) => ({ ...c, levels: [c.baseline, c.level] })),
    ...(verdicts.trends ?? []).filter((t) => t.outcome === 'no trend'),
  ];
  for (const c of undecided) {
    for (const level of c.levels) {
      const index = variants.findIndex((v) => same(v.factors, { ...c.others, [c.factor]: level }));
      if (index >= 0 && counts[index]! < schedule.max) grow.add(index);
    }
  }
  if (grow.size === 0) return undefined;
  return counts.map((n, i) => (grow.has(i) ? Math.min(schedule.max, n + schedule.step) : n));
}
