import type { FactorValue } from '../shared/factor-value.js';
import type { AdaptiveSeeds } from '../spec/schema.js';
import type { Outcome } from './verdicts.js';

interface Decided {
  factor: string;
  baseline: FactorValue;
  level: FactorValue;
  others: Record<string, FactorValue>;
  outcome: Outcome;
}

/**
 * Seeds until decided: the seed count of each variant for the next round, `step` more (up to max)
 * for both sides of every comparison that is still inconclusive;
 * undefined when no comparison needs more seeds or none can get them. Seeds are added in order
 * (a variant with n seeds has seeds 1..n), so the same results always lead to the same rounds.
 * @example nextSeedCounts(comparisons, [{factors: {bn: false}}, {factors: {bn: true}}], [5, 5], {min: 5, max: 30, step: 5}) → [10, 10]
 */
export function nextSeedCounts(comparisons: Decided[], variants: Array<{ factors: Record<string, FactorValue> }>, counts: number[], schedule: AdaptiveSeeds): number[] | undefined {
  const grow = new Set<number>();
  const same = (a: Record<string, FactorValue>, b: Record<string, FactorValue>) => Object.keys(b).every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
  for (const c of comparisons) {
    // "no data" (a threshold nobody reached, runs that all failed) is not a question of seeds.
    if (c.outcome !== 'inconclusive') continue;
    for (const level of [c.baseline, c.level]) {
      const index = variants.findIndex((v) => same(v.factors, { ...c.others, [c.factor]: level }));
      if (index >= 0 && counts[index]! < schedule.max) grow.add(index);
    }
  }
  if (grow.size === 0) return undefined;
  return counts.map((n, i) => (grow.has(i) ? Math.min(schedule.max, n + schedule.step) : n));
}
