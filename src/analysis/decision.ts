/** What a comparison concludes. `inconclusive` is "no clear difference" when there is no margin. */
export type Outcome = 'better' | 'worse' | 'equivalent' | 'inconclusive' | 'no data';

export interface Decision {
  outcome: Outcome;
  /** The practical margin that equivalence is judged within (report.margins, or the default). */
  margin?: number;
  /** The margin is nnlab's default (half the seed-to-seed spread, at least the resolution), not the spec's. */
  marginIsDefault?: boolean;
  /** Unadjusted p-value of "no difference" (paired t, signed-rank for censored epochs, sign-flip on a lattice). */
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

/** The family-wise error rate a report's claims are held to. */
export const ALPHA = 0.05;

/** A p-value as sentences quote it. @example formatP(0.0004) === '< 0.001' */
export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}
