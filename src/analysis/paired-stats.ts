import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, median, sampleStd } from '../shared/numbers.js';
import { normalUpperTail } from './normal-distribution.js';

export interface PairedStats {
  n: number;
  meanDifference: number | null;
  /** 95 % t interval of the mean difference; null with fewer than two pairs. */
  ci: [number, number] | null;
  /** 90 % t interval: inside ±margin it shows equivalence (two one-sided tests at 5 %). */
  ci90: [number, number] | null;
  /** Two-sided p-value of "no difference" (paired t); null with fewer than two pairs. */
  p: number | null;
  sd: number | null;
  positive: number;
  negative: number;
}

/**
 * Mean of paired differences with 95 % and 90 % intervals and the p-value of Student's paired t
 * (n − 1 df). Identical differences (sd 0) give a zero-width interval and p 0 (or 1 when all are 0).
 * @example pairedStats([0.01, 0.02, 0.03]) → {n: 3, meanDifference: 0.02, ci: [-0.0048, 0.0448], …}
 */
export function pairedStats(differences: number[]): PairedStats {
  const n = differences.length;
  const m = mean(differences);
  const sd = sampleStd(differences);
  const interval = (level: number): [number, number] | null => (m === null || sd === null ? null : [m - halfWidth(n, sd, level), m + halfWidth(n, sd, level)]);
  return {
    n,
    meanDifference: m,
    ci: interval(0.95),
    ci90: interval(0.9),
    p: m === null || sd === null ? null : tTestP(m, sd, n, 'two-sided'),
    sd,
    positive: differences.filter((d) => d > 0).length,
    negative: differences.filter((d) => d < 0).length,
  };
}

/**
 * Two one-sided tests (TOST) of equivalence within ±margin: the larger of the p-values of "the mean
 * difference is ≤ −margin" and "≥ +margin". Below 0.05 exactly when the 90 % interval lies inside.
 */
export function equivalenceP(stats: PairedStats, margin: number): number | null {
  const { meanDifference: m, sd, n } = stats;
  if (m === null || sd === null) return null;
  return Math.max(tTestP(m + margin, sd, n, 'greater'), tTestP(m - margin, sd, n, 'less'));
}

/** p of a t test of the mean `m` against 0 (two-sided, or that it is greater / less than 0). */
function tTestP(m: number, sd: number, n: number, side: 'two-sided' | 'greater' | 'less'): number {
  if (sd === 0) {
    const sign = Math.sign(m);
    if (side === 'two-sided') return sign === 0 ? 1 : 0;
    return (side === 'greater' ? sign > 0 : sign < 0) ? 0 : 1;
  }
  const t = m / (sd / Math.sqrt(n));
  const upper = 1 - tCdf(t, n - 1);
  if (side === 'greater') return upper;
  if (side === 'less') return tCdf(t, n - 1);
  return Math.min(1, 2 * Math.min(upper, 1 - upper));
}

function halfWidth(n: number, sd: number, level: number): number {
  return (tQuantile(1 - (1 - level) / 2, n - 1) * sd) / Math.sqrt(n);
}

/**
 * The smallest number of seeds at which a paired t test at `alpha` would likely decide, if the
 * mean difference and spread stay as observed: show the difference (when it is non-zero) or, with a
 * margin, equivalence (when the mean lies inside it). Null when neither is in reach of `limit` seeds.
 */
export function seedsToDecide(stats: PairedStats, alpha: number, margin?: number, limit = 1000): number | null {
  const { meanDifference: m, sd } = stats;
  if (m === null || sd === null) return null;
  // Both half-widths shrink as n grows, so the first n that decides is found by bisection.
  const difference = Math.abs(m) > 0 ? firstFrom(2, limit, (n) => (tQuantile(1 - alpha / 2, n - 1) * sd) / Math.sqrt(n) < Math.abs(m)) : null;
  const equivalence =
    margin !== undefined && Math.abs(m) < margin ? firstFrom(2, limit, (n) => (tQuantile(1 - alpha, n - 1) * sd) / Math.sqrt(n) < margin - Math.abs(m)) : null;
  return difference === null ? equivalence : equivalence === null ? difference : Math.min(difference, equivalence);
}

/** The smallest n in [from, to] where the monotone `holds` becomes true; null when it never does. */
function firstFrom(from: number, to: number, holds: (n: number) => boolean): number | null {
  if (!holds(to)) return null;
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (holds(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface SignedRankStats {
  /** Pairs with a non-zero difference (ties, e.g. neither side reaching a threshold, are left out). */
  n: number;
  /** Median of the differences (±Infinity when the middle pair has one side that never got there). */
  median: number | null;
  /** Two-sided exact p-value of "no difference". */
  p: number | null;
  positive: number;
  negative: number;
}

/**
 * Wilcoxon's signed-rank test on paired differences that may be ±Infinity (a censored value: one
 * side never reached a threshold within the epochs run). Infinite differences rank above every
 * finite one, tied among themselves; the p-value is exact (the distribution of the rank sum over all
 * sign patterns, ties included), so it holds for the few seeds an experiment has.
 * @example signedRank([-1, -1, -2, -Infinity, -1]).p === 0.0625   // 5 of 5 seeds sooner: the smallest p of 5 pairs
 */
export function signedRank(differences: number[]): SignedRankStats {
  const nonZero = differences.filter((d) => d !== 0 && !Number.isNaN(d));
  const positive = nonZero.filter((d) => d > 0).length;
  return {
    n: nonZero.length,
    median: median(differences),
    p: nonZero.length === 0 ? null : signedRankP(nonZero, 'two-sided'),
    positive,
    negative: nonZero.length - positive,
  };
}

/** One-sided signed-rank p-value that the differences are centred above (greater) or below (less) 0. */
export function signedRankP(differences: number[], side: 'two-sided' | 'greater' | 'less'): number {
  const d = differences.filter((x) => x !== 0 && !Number.isNaN(x));
  if (d.length === 0) return 1;
  // Ranks of |d| with ties averaged, doubled to stay integers.
  const order = d.map((x, i) => ({ a: Math.abs(x), i })).sort((p, q) => ascending(p.a, q.a));
  const doubled = new Array<number>(d.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.a === order[start]!.a) end++;
    for (let k = start; k <= end; k++) doubled[order[k]!.i] = start + end + 2; // 2 × the average of ranks start+1..end+1
    start = end + 1;
  }
  const total = doubled.reduce((s, r) => s + r, 0);
  const observed = d.reduce((s, x, i) => s + (x > 0 ? doubled[i]! : 0), 0);
  // ways[s]: sign patterns whose positive ranks sum to s (doubled units); all 2^n equally likely under H0.
  let ways = new Float64Array(total + 1);
  ways[0] = 1;
  for (const r of doubled) {
    const next = new Float64Array(total + 1);
    for (let s = 0; s <= total; s++)
      if (ways[s]) {
        next[s] = next[s]! + ways[s]!;
        next[s + r] = next[s + r]! + ways[s]!;
      }
    ways = next;
  }
  const all = 2 ** d.length;
  let atMost = 0;
  let atLeast = 0;
  for (let s = 0; s <= total; s++) {
    if (s <= observed) atMost += ways[s]!;
    if (s >= observed) atLeast += ways[s]!;
  }
  if (side === 'greater') return atLeast / all;
  if (side === 'less') return atMost / all;
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / all);
}

/**
 * The smallest number of pairs at which an exact signed-rank test at `alpha` could decide if the
 * observed share of pairs pointing one way held: all of them one way needs log2(2/alpha) pairs.
 */
export function pairsToDecide(stats: SignedRankStats, alpha: number, limit = 1000): number | null {
  if (stats.n === 0) return null;
  const share = Math.max(stats.positive, stats.negative) / stats.n;
  if (share <= 0.5) return null;
  for (let n = 2; n <= limit; n++) {
    const agree = Math.round(share * n);
    // Ranks unknown ahead: assume the disagreeing pairs have the smallest ranks (the test's best case is all agree).
    const signs = Array.from({ length: n }, (_, i) => (i < n - agree ? -1 : 1) * (i + 1));
    if (signedRankP(signs, 'two-sided') < alpha) return n;
  }
  return null;
}

/** Ascending order that copes with infinities (∞ − ∞ is NaN, which sort cannot use). */
function ascending(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Exact sign-flip (permutation) test of paired differences: under "no difference" each difference is
 * as likely to have either sign, so the p-value is the share of the 2^n sign patterns whose sum is
 * at least as extreme as the one observed. It makes no assumption about the spread, so it holds
 * where Student's t does not: differences that are all equal (zero spread gives t no meaning) or
 * that take a few values on a lattice (accuracy on a small validation set, epoch counts). Its
 * smallest p is 2/2^n two-sided: 3 seeds can never reach 5 %. Beyond 20 pairs the permutation
 * distribution is normal to a good approximation and is used instead of enumerating.
 * @example signFlipP([-1, -1, -1], 'two-sided') === 0.25
 */
export function signFlipP(differences: number[], side: 'two-sided' | 'greater' | 'less'): number {
  const d = differences.filter((x) => Number.isFinite(x));
  const n = d.length;
  if (n === 0) return 1;
  const observed = d.reduce((s, x) => s + x, 0);
  // A sum equal to the observed one up to rounding counts as at least as extreme.
  const slack = 1e-9 * d.reduce((s, x) => s + Math.abs(x), 0);
  if (n > 20) {
    const sd = Math.sqrt(d.reduce((s, x) => s + x * x, 0));
    if (sd === 0) return 1;
    const z = observed / sd;
    const upper = normalUpperTail(z);
    const lower = 1 - upper;
    return side === 'greater' ? upper : side === 'less' ? lower : Math.min(1, 2 * Math.min(upper, lower));
  }
  let atLeast = 0;
  let atMost = 0;
  // Gray code: each step flips one sign, so each pattern's sum costs one addition.
  let sum = d.reduce((s, x) => s - x, 0);
  const signs = new Int8Array(n).fill(-1);
  const total = 2 ** n;
  for (let k = 0; k < total; k++) {
    if (k > 0) {
      const bit = 31 - Math.clz32(k & -k);
      signs[bit] = -signs[bit]! as -1 | 1;
      sum += 2 * signs[bit]! * d[bit]!;
    }
    if (sum >= observed - slack) atLeast++;
    if (sum <= observed + slack) atMost++;
  }
  if (side === 'greater') return atLeast / total;
  if (side === 'less') return atMost / total;
  return Math.min(1, (2 * Math.min(atLeast, atMost)) / total);
}

/**
 * Sign-flip equivalence within ±margin (two one-sided tests): the differences shifted by the margin
 * lie above −margin and below +margin. Zero differences from n seeds give 1/2^n.
 */
export function signFlipEquivalenceP(differences: number[], margin: number): number | null {
  if (differences.length === 0) return null;
  return Math.max(
    signFlipP(
      differences.map((d) => d + margin),
      'greater',
    ),
    signFlipP(
      differences.map((d) => d - margin),
      'less',
    ),
  );
}

/**
 * Seeds an exact test needs at best (every seed agreeing): the smallest n with 2/2^n (a difference,
 * two-sided) or 1/2^n (equivalence, one-sided each way) below `alpha`.
 * @example exactSeedsToDecide(0.05, 'difference') === 6
 */
export function exactSeedsToDecide(alpha: number, kind: 'difference' | 'equivalence'): number {
  const numerator = kind === 'difference' ? 2 : 1;
  return Math.max(2, Math.floor(Math.log2(numerator / alpha)) + 1);
}
