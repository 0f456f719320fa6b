import { variantLabel } from '../shared/factor-value.js';
import { largerIsBetter, marginFor } from '../shared/quantity.js';
import { equivalenceP, pairsToDecide, seedsToDecide, signedRankP } from './paired-stats.js';
import type { Pairing } from './pairing.js';

/** What a comparison concludes. `inconclusive` is "no clear difference" when there is no margin. */
export type Outcome = 'better' | 'worse' | 'equivalent' | 'inconclusive' | 'no data';

export interface Decision {
  outcome: Outcome;
  /** The practical margin (report.margins) that equivalence is judged within. */
  margin?: number;
  /** Unadjusted p-value of "no difference" (paired t, or signed-rank for censored epochs). */
  p: number | null;
  /** Unadjusted p-value of "not equivalent within ±margin" (two one-sided tests). */
  pEquivalent?: number | null;
  /** Holm-adjusted over every hypothesis of the report (after the Bonferroni factor for adaptive rounds). */
  pAdjusted: number | null;
  pEquivalentAdjusted?: number | null;
  /** For an inconclusive comparison: seeds that would likely decide it at the spread seen (null: more than 1,000). */
  seedsToDecide?: number | null;
  verdict: string;
}

export interface VerdictOptions {
  /** report.margins: a practical margin per column, and `epochs` for epochs to a threshold. */
  margins?: Record<string, number>;
  /** Looks at the data an adaptive sweep may take (rounds): each test's p is multiplied by it. */
  looks?: number;
}

/** The family-wise error rate a report's claims are held to. */
export const ALPHA = 0.05;

/**
 * Verdicts for one report's comparisons, decided together: a difference is claimed when its
 * p-value, adjusted by Holm's step-down method over every hypothesis in the report (differences
 * and, with margins, equivalences), is below 5 %, so the chance of any false claim in the report
 * stays ≤ 5 %. With a margin, a comparison without a difference may be shown equivalent (TOST).
 * @example decideVerdicts(pairVariants(variants, runs, 'bn', quantities), {margins: {val_accuracy: 0.005}})
 */
export function decideVerdicts<T extends Pairing>(pairings: T[], options: VerdictOptions = {}): Array<T & Decision> {
  const looks = Math.max(1, options.looks ?? 1);
  const tests = pairings.map((c) => {
    const margin = marginFor(c.quantity, options.margins ?? {});
    const p = c.method === 'signed-rank' ? (c.rank?.p ?? null) : c.stats.p;
    const pEquivalent = margin === undefined ? undefined : c.method === 'signed-rank' ? rankEquivalenceP(c.differences, margin) : equivalenceP(c.stats, margin);
    return { margin, p, pEquivalent };
  });
  const raw = tests.flatMap((t, i) => [
    ...(t.p !== null ? [{ i, kind: 'difference' as const, p: Math.min(1, t.p * looks) }] : []),
    ...(t.pEquivalent !== undefined && t.pEquivalent !== null ? [{ i, kind: 'equivalence' as const, p: Math.min(1, t.pEquivalent * looks) }] : []),
  ]);
  const adjusted = holm(raw.map((h) => h.p));
  const family = raw.length;
  return pairings.map((c, i) => {
    const t = tests[i]!;
    const pAdjusted = adjusted[raw.findIndex((h) => h.i === i && h.kind === 'difference')] ?? null;
    const eqIndex = raw.findIndex((h) => h.i === i && h.kind === 'equivalence');
    const pEquivalentAdjusted = t.pEquivalent === undefined ? undefined : eqIndex < 0 ? null : adjusted[eqIndex]!;
    const centre = c.method === 'signed-rank' ? (c.rank?.median ?? null) : c.stats.meanDifference;
    const n = c.method === 'signed-rank' ? c.differences.length : c.stats.n;
    const different = pAdjusted !== null && pAdjusted < ALPHA && centre !== null && centre !== 0;
    const equivalent = pEquivalentAdjusted !== undefined && pEquivalentAdjusted !== null && pEquivalentAdjusted < ALPHA;
    // Epochs to a threshold that no seed reached on either side: nothing was measured.
    const neverReached = c.reached !== undefined && c.reached.baseline === 0 && c.reached.level === 0;
    const outcome: Outcome = n === 0 || neverReached ? 'no data' : different ? ((centre! > 0) === largerIsBetter(c.quantity) ? 'better' : 'worse') : equivalent ? 'equivalent' : 'inconclusive';
    const perTest = ALPHA / Math.max(1, family);
    const seeds = outcome !== 'inconclusive' ? undefined : c.method === 'signed-rank' ? (c.rank ? pairsToDecide(c.rank, perTest) : null) : seedsToDecide(c.stats, perTest, t.margin);
    const decision: Decision = {
      outcome,
      ...(t.margin !== undefined ? { margin: t.margin } : {}),
      p: t.p,
      ...(t.pEquivalent !== undefined ? { pEquivalent: t.pEquivalent, pEquivalentAdjusted } : {}),
      pAdjusted,
      ...(seeds !== undefined ? { seedsToDecide: seeds } : {}),
      verdict: '',
    };
    return { ...c, ...decision, verdict: sentence(c, decision, family, looks) };
  });
}

/**
 * Holm–Bonferroni adjusted p-values, in the input order: the i-th smallest is multiplied by
 * (m − i + 1), made monotone, capped at 1.
 * @example holm([0.01, 0.04, 0.03]) → [0.03, 0.06, 0.06]
 */
export function holm(p: number[]): number[] {
  const order = p.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(p.length);
  let running = 0;
  order.forEach(({ v, i }, rank) => {
    running = Math.max(running, Math.min(1, v * (p.length - rank)));
    out[i] = running;
  });
  return out;
}

/** TOST with signed-rank tests: the differences shifted by the margin are above −δ and below +δ. */
function rankEquivalenceP(differences: number[], margin: number): number | null {
  if (differences.length === 0) return null;
  return Math.max(signedRankP(differences.map((d) => d + margin), 'greater'), signedRankP(differences.map((d) => d - margin), 'less'));
}

/** One plain sentence per comparison: the claim and its evidence, or why there is none. */
function sentence(c: Pairing, d: Decision, family: number, looks: number): string {
  const where = Object.keys(c.others).length ? `${variantLabel(c.others)}: ` : '';
  const who = variantLabel({ [c.factor]: c.level });
  const versus = variantLabel({ [c.factor]: c.baseline });
  const q = c.quantity;
  const epochs = q.kind === 'epochs';
  const { n, meanDifference: m, ci, ci90 } = c.stats;
  const scale = Math.max(Math.abs(m ?? 0), ...(ci ?? []).map(Math.abs), d.margin ?? 0);
  const digits = epochs ? 1 : scale >= 1000 ? 0 : scale >= 10 ? 2 : 4;
  const fmt = (x: number) => (Number.isFinite(x) ? Math.abs(x).toFixed(digits) : 'never');
  const signed = (x: number) => `${x < 0 ? '−' : '+'}${fmt(x)}`;
  const up = epochs ? 'later' : 'higher';
  const down = epochs ? 'sooner' : 'lower';
  const direction = (x: number) => (x > 0 ? up : down);
  const unit = epochs ? ' epochs' : '';
  const unpaired = c.unpaired ? `; ${c.unpaired} seed${c.unpaired === 1 ? '' : 's'} without a value on both sides` : '';
  const reached = c.reached && c.reached.of > 0 && (c.reached.baseline < c.reached.of || c.reached.level < c.reached.of) ? `reached in ${c.reached.level}/${c.reached.of} seeds with ${who}, ${c.reached.baseline}/${c.reached.of} with ${versus}; ` : '';
  const adjustedNote = (p: number | null | undefined) => (p === null || p === undefined ? '' : `; Holm-adjusted p ${formatP(p)} over ${family} test${family === 1 ? '' : 's'}${looks > 1 ? ` × ${looks} rounds` : ''}`);
  const more = d.seedsToDecide ? `; about ${d.seedsToDecide} seeds would likely decide it` : d.seedsToDecide === null ? '; the spread seen would need more than 1,000 seeds to decide it' : '';

  if (d.outcome === 'no data') {
    if (c.reached && c.reached.of > 0) return `${where}${q.label}: neither ${who} nor ${versus} got there in any of ${c.reached.of} seeds, nothing to compare${unpaired}`;
    return `${where}${q.label}: no seed in which both ${who} and ${versus} finished, nothing to compare${unpaired}`;
  }
  if (c.method === 'signed-rank') {
    const rank = c.rank!;
    const med = rank.median ?? 0;
    const agree = med > 0 ? rank.positive : rank.negative;
    // An infinite median: in the middle seed one side never reached the threshold.
    const middle = Number.isFinite(med) ? `median difference ${signed(med)}${unit}` : `in the median seed only ${med < 0 ? who : versus} reached it`;
    const evidence = `${reached}${middle}; ${agree}/${c.differences.length} seeds ${direction(med)}; signed-rank p ${formatP(d.p ?? 1)}${adjustedNote(d.pAdjusted)}`;
    if (d.outcome === 'better' || d.outcome === 'worse') return `${where}with ${who}, ${q.label} comes ${direction(med)} than with ${versus} (${evidence})${unpaired}`;
    if (d.outcome === 'equivalent') return `${where}${q.label} is equivalent with ${who} and ${versus} within ±${fmt(d.margin!)}${unit} (${evidence})${unpaired}`;
    return `${where}${d.margin === undefined ? 'no clear difference in' : 'inconclusive on'} ${q.label} between ${who} and ${versus} (${evidence})${more}${unpaired}`;
  }
  if (!ci || m === null) return `${where}${who} ${q.label} is ${fmt(m ?? 0)}${unit} ${direction(m ?? 0)} than ${versus} from one seed: no confidence interval, no claim${unpaired}`;
  const agree = m > 0 ? c.stats.positive : c.stats.negative;
  const interval = `95\u00a0% CI ${signed(ci[0])} to ${signed(ci[1])}`;
  if (d.outcome === 'better' || d.outcome === 'worse') {
    const within = d.pEquivalentAdjusted !== undefined && d.pEquivalentAdjusted !== null && d.pEquivalentAdjusted < ALPHA ? `, within the ±${fmt(d.margin!)} margin` : '';
    return `${where}with ${who}, ${q.label} is ${fmt(m)}${unit} ${direction(m)} than with ${versus} (${interval}; ${agree}/${n} seeds ${direction(m)}${adjustedNote(d.pAdjusted)})${within}${unpaired}`;
  }
  if (d.outcome === 'equivalent') {
    return `${where}${q.label} is equivalent with ${who} and ${versus} within ±${fmt(d.margin!)}${unit} (mean ${signed(m)}, 90\u00a0% CI ${signed(ci90![0])} to ${signed(ci90![1])}${adjustedNote(d.pEquivalentAdjusted)})${unpaired}`;
  }
  const excluded = ci[0] > 0 || ci[1] < 0 ? `; the 95\u00a0% CI excludes 0, but not after Holm over ${family} tests${looks > 1 ? ` × ${looks} rounds` : ''}` : '';
  const lead = d.margin === undefined ? `no clear difference in ${q.label} between` : `inconclusive on ${q.label} between`;
  return `${where}${lead} ${who} and ${versus} (mean ${signed(m)}${unit}, ${interval}; ${agree}/${n} seeds ${direction(m)}${excluded})${more}${unpaired}`;
}

function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}
