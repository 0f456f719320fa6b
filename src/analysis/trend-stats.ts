import { mean } from '../shared/numbers.js';
import { twoSidedNormalP } from './normal-distribution.js';

export interface TrendStats {
  /** Seeds with a value at every level (Page's blocks). */
  n: number;
  /** Levels of the factor, in increasing order. */
  levels: number;
  /** Spearman's correlation of the value with the level, per seed, averaged (−1 falling … +1 rising). */
  rho: number | null;
  /** Seeds whose own correlation is positive / negative. */
  rising: number;
  falling: number;
  /** Two-sided p of "no trend" by Page's test (exact up to 8 levels, normal beyond). */
  p: number | null;
}

/** Beyond this many levels the exact distribution (levels! orders per seed) gives way to the normal one. */
const EXACT_LEVELS = 8;

/**
 * Page's test for an ordered trend in a blocked design: each seed (block) ranks its values across
 * the factor's levels, in the levels' order, and L = Σ level index × rank is large when values rise
 * with the level in most seeds. Under "no trend" every order of a seed's ranks is equally likely,
 * which gives L's exact distribution (ties keep their averaged ranks). It uses every seed's whole
 * ordering, so 3 seeds that rise at every step of 5 levels give p ≈ 1e-6, where a paired test of
 * two levels could never reach 5 %.
 * @example pageTrend([[0.8, 0.85, 0.9], [0.79, 0.86, 0.91], [0.81, 0.84, 0.92]]).p ≈ 0.0093
 */
export function pageTrend(blocks: number[][]): TrendStats {
  const complete = blocks.filter((b) => b.length > 1 && b.every((v) => !Number.isNaN(v)));
  const k = complete[0]?.length ?? 0;
  const usable = complete.filter((b) => b.length === k);
  const n = usable.length;
  if (n === 0 || k < 2) return { n, levels: k, rho: null, rising: 0, falling: 0, p: null };
  // Ranks are doubled so that averaged ties stay integers.
  const doubled = usable.map(doubledRanks);
  const weights = Array.from({ length: k }, (_, j) => j + 1);
  const observed = doubled.reduce((s, r) => s + r.reduce((t, x, j) => t + weights[j]! * x, 0), 0);
  const correlations = doubled.map((r) => spearman(r, weights));
  const p = k <= EXACT_LEVELS ? exactP(doubled, weights, observed) : normalP(n, k, observed);
  return {
    n,
    levels: k,
    rho: mean(correlations.filter(Number.isFinite)),
    rising: correlations.filter((c) => c > 0).length,
    falling: correlations.filter((c) => c < 0).length,
    p,
  };
}

/** Two-sided exact p: the distribution of L is the convolution of each seed's, over all its orders. */
function exactP(doubled: number[][], weights: number[], observed: number): number {
  let dist = new Map<number, number>([[0, 1]]);
  for (const ranks of doubled) {
    const block = new Map<number, number>();
    let orders = 0;
    permute(ranks, (order) => {
      const l = order.reduce((s, x, j) => s + weights[j]! * x, 0);
      block.set(l, (block.get(l) ?? 0) + 1);
      orders++;
    });
    const next = new Map<number, number>();
    for (const [a, pa] of dist) for (const [b, count] of block) next.set(a + b, (next.get(a + b) ?? 0) + (pa * count) / orders);
    dist = next;
  }
  let atLeast = 0;
  let atMost = 0;
  for (const [l, prob] of dist) {
    if (l >= observed) atLeast += prob;
    if (l <= observed) atMost += prob;
  }
  return Math.min(1, 2 * Math.min(atLeast, atMost));
}

/** Page's normal approximation (in doubled ranks: the mean and sd double). */
function normalP(n: number, k: number, observed: number): number {
  const expected = (2 * n * k * (k + 1) ** 2) / 4;
  const sd = 2 * Math.sqrt((n * k ** 2 * (k + 1) * (k ** 2 - 1)) / 144);
  return twoSidedNormalP((observed - expected) / sd);
}

/** Each ordering of `values` (k! of them, repeats included, so each is equally likely). */
function permute(values: number[], visit: (order: number[]) => void): void {
  const a = [...values];
  const c = new Array<number>(a.length).fill(0);
  visit(a);
  // Heap's algorithm.
  for (let i = 1; i < a.length;) {
    if (c[i]! < i) {
      const j = i % 2 ? c[i]! : 0;
      [a[j], a[i]] = [a[i]!, a[j]!];
      visit(a);
      c[i]!++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
}

/** Ranks 1..k of the values, ties averaged, times two. */
function doubledRanks(values: number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : 0));
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    for (let m = start; m <= end; m++) out[order[m]!.i] = start + end + 2;
    start = end + 1;
  }
  return out;
}

/** Pearson's correlation of two rank vectors (Spearman's rho); NaN when one is constant. */
function spearman(a: number[], b: number[]): number {
  const ma = mean(a)!;
  const mb = mean(b)!;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  a.forEach((x, i) => {
    sab += (x - ma) * (b[i]! - mb);
    saa += (x - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  });
  return sab / Math.sqrt(saa * sbb);
}
