import { mean, sampleStd } from '../shared/numbers.js';

/** Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom; above 30 the normal 1.96 is within 2 %. */
const T_975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

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
  const t = n - 1 <= T_975.length ? T_975[n - 2]! : 1.96;
  return (t * sd) / Math.sqrt(n);
}
