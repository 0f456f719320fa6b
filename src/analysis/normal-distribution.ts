import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/**
 * Student's t with this many degrees of freedom is the standard normal to ~1e-8 relative, down to
 * tails of 1e-300: the t functions the verdicts already load stand in for it, where separate
 * erfc/erfcinv packages would add 40 ms to every command's start.
 */
const NORMAL_DF = 1e12;

/** P(Z ≥ z) for a standard normal Z. @example normalUpperTail(1.959964) ≈ 0.025 */
export function normalUpperTail(z: number): number {
  return tCdf(-z, NORMAL_DF);
}

/** The z with P(Z ≥ z) = p. @example upperQuantile(0.025) ≈ 1.959964 */
export function upperQuantile(p: number): number {
  return -tQuantile(p, NORMAL_DF);
}

/** Two-sided p of a normal statistic z. */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}
