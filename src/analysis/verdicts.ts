import { largerIsBetter, marginFor } from '../shared/quantity.js';
import { equivalenceP, exactSeedsToDecide, pairsToDecide, seedsToDecide, signedRankP, signFlipEquivalenceP, signFlipP } from './paired-stats.js';
import type { Pairing } from './pairing.js';
import { verdictSentence } from './verdict-sentence.js';
import { decideTrend, type Trend, type TrendPairing } from './trends.js';
import { ALPHA, type Decision, type Outcome } from './decision.js';

export { ALPHA, type Decision, type Outcome } from './decision.js';

export interface VerdictOptions {
  /** report.margins: a practical margin per column, and `epochs` for epochs to a threshold. */
  margins?: Record<string, number>;
  /** Looks at the data an adaptive sweep may take (rounds): each test's p is multiplied by it. */
  looks?: number;
}

/**
 * Without report.margins for a column, equivalence is judged within half the seed-to-seed spread
 * (a difference smaller than that is lost among seeds), and never within less than the quantity's
 * resolution (an epoch; one sample's share of accuracy).
 */
const DEFAULT_MARGIN_SPREADS = 0.5;

/**
 * Verdicts for one report's comparisons, decided together: a difference is claimed when its
 * p-value, adjusted by Holm's step-down method over every hypothesis in the report (differences
 * and equivalences), is below 5 %, so the chance of any false claim in the report stays ≤ 5 %.
 * A comparison without a difference may be shown equivalent within its margin (TOST).
 * @example decideVerdicts(pairVariants(variants, runs, 'bn', quantities), {margins: {val_accuracy: 0.005}})
 */
export function decideVerdicts<T extends Pairing>(pairings: T[], options: VerdictOptions = {}): Array<T & Decision> {
  return decideAll(pairings, [], options).comparisons;
}

/**
 * Paired comparisons and trends of one report, decided together: Holm's adjustment runs over every
 * hypothesis of both, so the report's chance of any false claim stays ≤ 5 %.
 */
export function decideAll<T extends Pairing>(
  pairings: T[],
  trends: TrendPairing[],
  options: VerdictOptions = {},
): { comparisons: Array<T & Decision>; trends: Trend[] } {
  const looks = Math.max(1, options.looks ?? 1);
  const tests = pairings.map((c) => testsOf(c, options.margins ?? {}));
  const raw = [
    ...tests.flatMap((t, i) => [
      ...(t.p !== null ? [{ i, kind: 'difference' as const, p: Math.min(1, t.p * looks) }] : []),
      ...(t.pEquivalent !== undefined && t.pEquivalent !== null ? [{ i, kind: 'equivalence' as const, p: Math.min(1, t.pEquivalent * looks) }] : []),
    ]),
    ...trends.flatMap((t, i) => (t.stats.p !== null ? [{ i, kind: 'trend' as const, p: Math.min(1, t.stats.p * looks) }] : [])),
  ];
  const adjusted = holm(raw.map((h) => h.p));
  const family = raw.length;
  const adjustedOf = (i: number, kind: 'difference' | 'equivalence' | 'trend') => {
    const at = raw.findIndex((h) => h.i === i && h.kind === kind);
    return at < 0 ? null : adjusted[at]!;
  };
  const perTest = ALPHA / Math.max(1, family) / looks;
  const comparisons = pairings.map((c, i) => {
    const t = tests[i]!;
    const pAdjusted = adjustedOf(i, 'difference');
    const pEquivalentAdjusted = t.pEquivalent === undefined ? undefined : adjustedOf(i, 'equivalence');
    const centre = c.method === 'signed-rank' ? (c.rank?.median ?? null) : c.stats.meanDifference;
    const n = c.method === 'signed-rank' ? c.differences.length : c.stats.n;
    const different = pAdjusted !== null && pAdjusted < ALPHA && centre !== null && centre !== 0;
    const equivalent = pEquivalentAdjusted !== undefined && pEquivalentAdjusted !== null && pEquivalentAdjusted < ALPHA;
    // Epochs to a threshold that no seed reached on either side: nothing was measured.
    const neverReached = c.reached !== undefined && c.reached.baseline === 0 && c.reached.level === 0;
    const outcome: Outcome =
      n === 0 || neverReached
        ? 'no data'
        : different
          ? centre! > 0 === largerIsBetter(c.quantity)
            ? 'better'
            : 'worse'
          : equivalent
            ? 'equivalent'
            : 'inconclusive';
    const seeds = outcome !== 'inconclusive' ? undefined : seedsNeeded(c, perTest, t.margin);
    const decision: Decision = {
      outcome,
      ...(t.margin !== undefined ? { margin: t.margin, ...(t.marginIsDefault ? { marginIsDefault: true } : {}) } : {}),
      p: t.p,
      ...(t.pEquivalent !== undefined ? { pEquivalent: t.pEquivalent, pEquivalentAdjusted } : {}),
      pAdjusted,
      ...(seeds !== undefined ? { seedsToDecide: seeds } : {}),
      verdict: '',
    };
    return { ...c, ...decision, verdict: verdictSentence(c, decision, family, looks) };
  });
  const decidedTrends = trends.map((t, i) => decideTrend(t, adjustedOf(i, 'trend'), perTest, family, looks));
  return { comparisons, trends: decidedTrends };
}

/** The margin a comparison is judged within, and its unadjusted p-values, by the comparison's method. */
function testsOf(c: Pairing, margins: Record<string, number>): { margin?: number; marginIsDefault?: boolean; p: number | null; pEquivalent?: number | null } {
  const given = marginFor(c.quantity, margins);
  const fallback = given === undefined ? defaultMargin(c) : undefined;
  const margin = given ?? fallback;
  const p = c.method === 'signed-rank' ? (c.rank?.p ?? null) : c.method === 'sign-flip' ? signFlipP(c.differences, 'two-sided') : c.stats.p;
  const pEquivalent =
    margin === undefined
      ? undefined
      : c.method === 'signed-rank'
        ? rankEquivalenceP(c.differences, margin)
        : c.method === 'sign-flip'
          ? signFlipEquivalenceP(c.differences, margin)
          : equivalenceP(c.stats, margin);
  return {
    ...(margin !== undefined ? { margin } : {}),
    ...(fallback !== undefined ? { marginIsDefault: true } : {}),
    p,
    ...(pEquivalent !== undefined ? { pEquivalent } : {}),
  };
}

/** Half the seed-to-seed spread, at least the resolution; none when the seeds do not vary and the quantity is continuous. */
function defaultMargin(c: Pairing): number | undefined {
  const margin = Math.max(c.resolution, DEFAULT_MARGIN_SPREADS * (c.spread ?? 0));
  return margin > 0 && Number.isFinite(margin) ? Number(margin.toPrecision(2)) : undefined;
}

/** Seeds that would likely decide an inconclusive comparison, by its method (null: out of reach). */
function seedsNeeded(c: Pairing, perTest: number, margin: number | undefined): number | null {
  if (c.method === 'paired t') return seedsToDecide(c.stats, perTest, margin);
  const finite = c.differences.filter(Number.isFinite);
  const allWithin = margin !== undefined && finite.length === c.differences.length && finite.every((d) => Math.abs(d) < margin);
  if (allWithin) return exactSeedsToDecide(perTest, 'equivalence');
  if (c.method === 'signed-rank') return c.rank ? pairsToDecide(c.rank, perTest) : null;
  const oneWay = c.differences.every((d) => d > 0) || c.differences.every((d) => d < 0);
  return oneWay ? exactSeedsToDecide(perTest, 'difference') : null;
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
  return Math.max(
    signedRankP(
      differences.map((d) => d + margin),
      'greater',
    ),
    signedRankP(
      differences.map((d) => d - margin),
      'less',
    ),
  );
}
