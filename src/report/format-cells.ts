import { higherIsBetter } from '../shared/history-contract.js';
import { roundForOutput } from '../shared/numbers.js';
import type { AtEpochStats, ThresholdStats } from '../analysis/summarize.js';

/** `0.9123 ± 0.0041`; the ± part is left out for a single seed. */
export function formatMeanStd(mean: number | null, std: number | null, digits = 4): string {
  if (mean === null) return '—';
  // Rounded as summary.json has them first, so every command shows the same last digit (nnlab ls reads the file).
  const fixed = (x: number) => (roundForOutput(x) ?? x).toFixed(digits);
  return std === null ? fixed(mean) : `${fixed(mean)} ± ${fixed(std)}`;
}

/** Digits that suit a metric: losses can be large, accuracies are fractions. */
export function digitsFor(column: string, values: Array<number | null>): number {
  if (higherIsBetter(column)) return 4;
  const max = Math.max(0, ...values.filter((v): v is number => v !== null).map(Math.abs));
  return max >= 1000 ? 0 : max >= 10 ? 2 : 4;
}

/** `5.0 ± 1.2`, `15.7 ± 4.2 (3/5)` when only 3 of 5 runs got there, `never (0/5)`. */
export function formatEpochsToThreshold(t: ThresholdStats): string {
  if (t.reached === 0) return `never (0/${t.runs})`;
  // Most runs never got there: say that first, so the few that did do not read as the variant's speed.
  if (t.reached * 2 < t.runs) return `never in ${t.runs - t.reached}/${t.runs}; ${formatMeanStd(t.epochs_mean, t.epochs_std, 1)} in ${t.reached}`;
  return `${formatMeanStd(t.epochs_mean, t.epochs_std, 1)}${t.reached < t.runs ? ` (${t.reached}/${t.runs})` : ''}`;
}

/** A metric at one epoch; `(2/3)` when early stopping ended some runs before it. */
export function formatAtEpoch(a: AtEpochStats | undefined, okRuns: number): string {
  if (!a || a.runs === 0) return '—';
  return formatMeanStd(a.mean, a.std, digitsFor(a.column, [a.mean])) + (a.runs < okRuns ? ` (${a.runs}/${okRuns})` : '');
}

export const thresholdHeading = (t: ThresholdStats) => `${t.column} ${higherIsBetter(t.column) ? '≥' : '≤'} ${t.threshold}`;
