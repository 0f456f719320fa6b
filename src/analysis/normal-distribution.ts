import erfc from '@stdlib/math-base-special-erfc';
import erfcinv from '@stdlib/math-base-special-erfcinv';

/** P(Z ≥ z) for a standard normal Z. @example normalUpperTail(1.959964) ≈ 0.025 */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** The z with P(Z ≥ z) = p. @example upperQuantile(0.025) ≈ 1.959964 */
export function upperQuantile(p: number): number {
  return Math.SQRT2 * erfcinv(2 * p);
}

/** Two-sided p of a normal statistic z. */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}
