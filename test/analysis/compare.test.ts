import { describe, expect, it } from 'vitest';
import { compareVariants, quantitiesFor } from '../../src/analysis/compare.js';
import { pairedStats } from '../../src/analysis/paired-stats.js';
import type { RunForSummary } from '../../src/analysis/summarize.js';

describe('pairedStats', () => {
  it('gives the t interval of the mean difference', () => {
    const s = pairedStats([0.01, 0.02, 0.03]);
    expect(s.meanDifference).toBeCloseTo(0.02, 12);
    // sd = 0.01, t(2) = 4.302653: half-width 0.01 * 4.302653 / sqrt(3)
    expect(s.ci![0]).toBeCloseTo(0.02 - (0.01 * 4.302653) / Math.sqrt(3), 6);
    expect(s.ci![1]).toBeCloseTo(0.02 + (0.01 * 4.302653) / Math.sqrt(3), 6);
    expect([s.positive, s.negative]).toEqual([3, 0]);
    // Beyond 30 pairs the quantile is still Student's, not the normal 1.96 (≈4 % narrower at 31 df).
    const many = pairedStats(Array.from({ length: 32 }, (_, i) => (i % 2 ? 1 : -1)));
    expect(many.ci![1]).toBeCloseTo((2.0395134 * 1.0159) / Math.sqrt(32), 4);
  });

  it('claims no interval from one pair', () => {
    expect(pairedStats([0.5]).ci).toBeNull();
  });
});

/** Two variants (bn false/true) × seeds, val_accuracy curves given per seed. */
function runs(base: number[][], other: number[][]): RunForSummary[] {
  const history = (curve: number[]) => curve.map((v, i) => ({ epoch: i + 1, val_accuracy: v, val_loss: 1 - v }));
  return [
    ...base.map((c, s) => ({ id: `a${s}`, variant: 0, seed: s + 1, status: 'ok' as const, history: history(c) })),
    ...other.map((c, s) => ({ id: `b${s}`, variant: 1, seed: s + 1, status: 'ok' as const, history: history(c) })),
  ];
}
const variants = [{ factors: { hidden: 5, bn: false } }, { factors: { hidden: 5, bn: true } }];
const quantities = quantitiesFor(['loss', 'val_loss', 'val_accuracy'], { val_accuracy: 0.9 });
const find = (list: ReturnType<typeof compareVariants>, label: string) => list.find((c) => c.quantity.label === label)!;

describe('compareVariants', () => {
  it('pairs seeds and claims a difference the CI supports, with the right direction', () => {
    const finals = [0.9012, 0.9134, 0.9205, 0.9076, 0.9051, 0.9162];
    const gains = [0.041, 0.052, 0.047, 0.06, 0.038, 0.055];
    const base = finals.map((f) => [0.5, 0.8, 0.85, f]);
    const faster = finals.map((f, i) => [0.7, 0.92, 0.93, f + gains[i]!]);
    const c = compareVariants(variants, runs(base, faster), 'bn', quantities);
    const final = find(c, 'final val_accuracy');
    expect(final.method).toBe('paired t');
    expect(final.stats.meanDifference).toBeCloseTo(0.0488333, 6);
    expect(final.verdict).toMatch(
      /^hidden=5: with bn=true, final val_accuracy is 0\.0488 higher than with bn=false \(95\u00a0% CI \+0\.\d+ to \+0\.\d+; 6\/6 seeds higher; Holm-adjusted p (< )?0\.\d+ over \d+ tests\)$/,
    );
    expect(final.outcome).toBe('better');
    // Every seed reaches 0.9 at epoch 4 without, epoch 2 with: a difference without spread, which an
    // exact test weighs (6 seeds can give at best p = 2/64), not a t test (it would say p = 0).
    const epochs = find(c, 'epochs to val_accuracy ≥ 0.9');
    expect(epochs.stats.meanDifference).toBe(-2);
    expect(epochs.method).toBe('sign-flip');
    expect(epochs.p).toBeCloseTo(2 / 64, 12);
    expect(epochs.verdict).toContain(
      "−2.0 epochs in all 6 seeds; the same difference in every seed, where Student's t is not reliable: an exact sign-flip test decides, p 0.031, at best 0.031 from 6 seeds",
    );
  });

  it('calls identical inputs undecided, not equivalent, from three seeds', () => {
    const same = [
      [0.5, 0.9],
      [0.6, 0.95],
      [0.55, 0.92],
    ];
    const final = find(compareVariants(variants, runs(same, same), 'bn', quantities), 'final val_accuracy');
    expect(final.stats.meanDifference).toBe(0);
    expect(final.method).toBe('sign-flip');
    expect(final.outcome).toBe('inconclusive');
    expect(final.verdict).toMatch(/inconclusive on final val_accuracy between bn=true and bn=false \(\+0\.0000 in all 3 seeds;/);
  });

  it('calls seeds that disagree inconclusive, with the default margin it was judged within', () => {
    const final = find(compareVariants(variants, runs([[0.9], [0.9], [0.9]], [[0.95], [0.85], [0.91]]), 'bn', quantities), 'final val_accuracy');
    expect(final.method).toBe('paired t');
    expect(final.marginIsDefault).toBe(true);
    expect(final.verdict).toMatch(/^hidden=5: inconclusive on final val_accuracy/);
  });

  it('claims nothing from one seed', () => {
    const final = find(compareVariants(variants, runs([[0.5, 0.9]], [[0.5, 0.95]]), 'bn', quantities), 'final val_accuracy');
    expect(final.stats.ci).toBeNull();
    expect(final.verdict).toContain('from one seed: no confidence interval, no claim');
  });

  it('leaves out runs that are not ok and says how many seeds could not be paired', () => {
    const r = runs([[0.9], [0.91], [0.92]], [[0.95], [0.96], [0.97]]);
    r[5] = { ...r[5]!, status: 'diverged' };
    const final = find(compareVariants(variants, r, 'bn', quantities), 'final val_accuracy');
    expect(final.stats.n).toBe(2);
    expect(final.unpaired).toBe(1);
    expect(final.verdict).toContain('1 seed without a value on both sides');
  });
});
