import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, sampleStd } from '../shared/numbers.js';

export interface PairedStats {
  n: number;
  meanDifference: number | null;
  /** 95 % t interval of the mean difference; null with fewer than two pairs. */
  ci: [number, number] | null;
  positive: number;
  negative: number;
}

/**
 * Mean of paired differences with a 95 % confidence interval from Student's t (n − 1 df).
 * @example pairedStats([0.01, 0.02, 0.03]) → {n: 3, meanDifference: 0.02, ci: [-0.0048, 0.0448], …}
 */
export function pairedStats(differences: number[]): PairedStats {
  const n = differences.length;
  const m = mean(differences);
  const sd = sampleStd(differences);
  const ci = m !== null && sd !== null ? halfWidth(n, sd) : null;
  return {
    n,
    meanDifference: m,
    ci: ci === null || m === null ? null : [m - ci, m + ci],
    positive: differences.filter((d) => d > 0).length,
    negative: differences.filter((d) => d < 0).length,
  };
}

function halfWidth(n: number, sd: number): number {
  return (tQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
}
