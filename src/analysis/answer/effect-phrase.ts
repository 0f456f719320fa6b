import { higherIsBetter } from '../../shared/history-contract.js';
import type { Quantity } from '../../shared/quantity.js';
import type { Comparison } from '../compare.js';
import { ALPHA } from '../decision.js';

/**
 * A quantity's difference over several comparisons, in words: "loss at epoch 3 lower by
 * 0.011–0.060 in 10/10 seeds", "reaches accuracy ≥ 0.95 1–2 epochs sooner in 8–10/10 seeds",
 * "final val_mae_original lower by 20,000 (−93 %) in 3/3 seeds". `relative` and `seeds` false leave
 * out the share and the seed count (an answer over several factors keeps to where and how much);
 * `named` false, the quantity's name (said already in the sentence).
 */
export function effectPhrase(comparisons: Comparison[], options: { relative?: boolean; seeds?: boolean; named?: boolean } = {}): string {
  const q = comparisons[0]!.quantity;
  const centres = comparisons.map(centreOf).filter((m): m is number => m !== null && Number.isFinite(m));
  if (centres.length === 0) return q.label;
  const up = centres.every((m) => m > 0);
  const down = centres.every((m) => m < 0);
  const sizes = centres.map(Math.abs);
  const amount = range(Math.min(...sizes), Math.max(...sizes), q.kind === 'epochs');
  const relative = options.relative === false ? '' : relativeText(comparisons, q);
  const seeds = (options.seeds === false ? '' : agreement(comparisons, up ? 1 : -1)) + negligible(comparisons);
  if (q.kind === 'epochs') {
    if (!up && !down) return `${q.label} differs by ${amount} epochs${seeds}`;
    return `${thresholdText(q)} ${amount} epoch${amount === '1' ? '' : 's'} ${up ? 'later' : 'sooner'}${seeds}`;
  }
  const label = options.named === false ? '' : `${plainLabel(q)} `;
  if (!up && !down) return `${label}differs by up to ${amount}${seeds}`;
  return `${label}${up ? 'higher' : 'lower'} by ${amount}${relative}${seeds}`;
}

/** The differences' span without a claim: "final val_accuracy −0.020 to −0.002". */
export function spanPhrase(comparisons: Comparison[]): string {
  const q = comparisons[0]!.quantity;
  const centres = comparisons.map(centreOf).filter((m): m is number => m !== null && Number.isFinite(m));
  if (centres.length === 0) return q.label;
  const lo = Math.min(...centres);
  const hi = Math.max(...centres);
  const signed = (x: number) => (x === 0 ? '±0' : `${x < 0 ? '−' : '+'}${short(Math.abs(x), q.kind === 'epochs')}`);
  const unit = q.kind === 'epochs' ? ' epochs' : '';
  return lo === hi ? `${plainLabel(q)} ${signed(lo)}${unit}` : `${plainLabel(q)} ${signed(lo)} to ${signed(hi)}${unit}`;
}

/** A quantity as a newcomer reads it: "auc loss" is "loss averaged over the epochs". */
export function plainLabel(q: Quantity): string {
  return q.kind === 'auc' ? `${q.column} averaged over the epochs` : q.label;
}

/** True for quantities about the speed of training (epochs to a threshold, a value at a given epoch). */
export function isConvergenceQuantity(q: Quantity): boolean {
  return q.kind === 'epochs' || q.kind === 'at';
}

/** A number as the answer writes it: two significant digits, thousands grouped, exponents for huge values. */
export function short(x: number, epochs = false): string {
  if (epochs) return String(Number(x.toFixed(1)));
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1e6) return x.toExponential(1).replace('e+', 'e');
  if (a >= 100) return Math.round(x).toLocaleString('en-US');
  // 0.060, not 0.06: two significant digits, trailing zeros kept.
  return x.toPrecision(2);
}

function centreOf(c: Comparison): number | null {
  return c.method === 'signed-rank' ? (c.rank?.median ?? null) : c.stats.meanDifference;
}

function range(lo: number, hi: number, epochs: boolean): string {
  const a = short(lo, epochs);
  const b = short(hi, epochs);
  return a === b ? a : `${a}–${b}`;
}

/** "(−93 %)" for errors and losses whose baseline is known; accuracy and epochs read better as they are. */
function relativeText(comparisons: Comparison[], q: Quantity): string {
  if (q.kind === 'epochs' || higherIsBetter(q.column)) return '';
  const shares = comparisons
    .map((c) => (c.baselineMean && c.stats.meanDifference !== null ? c.stats.meanDifference / Math.abs(c.baselineMean) : null))
    .filter((s): s is number => s !== null && Number.isFinite(s));
  if (shares.length !== comparisons.length) return '';
  const percents = shares.map((s) => Math.round(Math.abs(s) * 100));
  const lo = Math.min(...percents);
  const hi = Math.max(...percents);
  // Shares that span orders of magnitude (different settings) say less than the absolute range.
  if (lo === 0 || hi > 10 * lo) return '';
  return ` (${lo === hi ? lo : `${lo}–${hi}`} %)`;
}

/** " in 10/10 seeds", " in 43/47 seed pairs": how many seeds point the way of the claim, over every setting. */
function agreement(comparisons: Comparison[], sign: 1 | -1): string {
  let agree = 0;
  let n = 0;
  for (const c of comparisons) {
    n += c.method === 'signed-rank' ? c.differences.length : c.stats.n;
    agree += c.method === 'signed-rank' ? (sign > 0 ? (c.rank?.positive ?? 0) : (c.rank?.negative ?? 0)) : sign > 0 ? c.stats.positive : c.stats.negative;
  }
  return comparisons.length === 1 ? ` in ${agree}/${n} seeds` : ` in ${agree}/${n} seed pairs`;
}

/** ", within the ±0.005 practical margin" when every claim is also shown equivalent: real, and too small to matter. */
function negligible(comparisons: Comparison[]): string {
  const all = comparisons.every((c) => c.pEquivalentAdjusted !== undefined && c.pEquivalentAdjusted !== null && c.pEquivalentAdjusted < ALPHA);
  if (!all) return '';
  const margin = Math.max(...comparisons.map((c) => c.margin ?? 0));
  return `, within the ±${short(margin, comparisons[0]!.quantity.kind === 'epochs')} margin of no practical difference`;
}

/** "reaches accuracy ≥ 0.95" for an epochs-to-threshold quantity. */
function thresholdText(q: Extract<Quantity, { kind: 'epochs' }>): string {
  return `reaches ${q.column} ${higherIsBetter(q.column) ? '≥' : '≤'} ${q.threshold}`;
}
