import hypergeometricPmf from '@stdlib/stats-base-dists-hypergeometric-pmf';
import ttest2 from '@stdlib/stats-ttest2';
import { mean, sampleStd } from '../shared/numbers.js';

export interface TwoSampleStats {
  nA: number;
  nB: number;
  meanA: number | null;
  meanB: number | null;
  /** Two-sided p of "same mean"; null with fewer than two values on a side. */
  p: number | null;
  method: 'paired t' | "Welch's t" | "Fisher's exact" | 'constant on both sides' | 'too few values';
}

/**
 * Two independent samples (one value per seed on each side) compared by Welch's t, which allows
 * each side its own spread. Two sides that are each constant differ for certain (p 0) or not at all
 * (p 1); a side with fewer than two values cannot be judged.
 * @example welch([0.91, 0.92, 0.90], [0.80, 0.81, 0.79]).p < 0.001
 */
export function welch(a: number[], b: number[]): TwoSampleStats {
  const base = { nA: a.length, nB: b.length, meanA: mean(a), meanB: mean(b) };
  if (a.length < 2 || b.length < 2) return { ...base, p: null, method: 'too few values' };
  if (sampleStd(a) === 0 && sampleStd(b) === 0) return { ...base, p: base.meanA === base.meanB ? 1 : 0, method: 'constant on both sides' };
  return { ...base, p: ttest2(a, b).pValue, method: "Welch's t" };
}

/**
 * Fisher's exact test of two proportions (k of n on side A, l of m on side B), two-sided: the
 * probability, given the margins, of a table at most as likely as the one observed.
 * @example fisherExact(0, 5, 5, 5) ≈ 0.0079
 */
export function fisherExact(k: number, n: number, l: number, m: number): number {
  const total = n + m;
  const hits = k + l;
  const observed = hypergeometricPmf(k, total, hits, n);
  let p = 0;
  for (let x = Math.max(0, hits - m); x <= Math.min(hits, n); x++) {
    const px = hypergeometricPmf(x, total, hits, n);
    if (px <= observed * (1 + 1e-9)) p += px;
  }
  return Math.min(1, p);
}
