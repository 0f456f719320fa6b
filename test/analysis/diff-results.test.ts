import { describe, expect, it } from 'vitest';
import { diffResults } from '../../src/analysis/diff-results.js';
import type { VariantSummary } from '../../src/analysis/summarize.js';

const variant = (final: number, std: number | null, curve: number[]): VariantSummary => ({
  variant: 0,
  factors: { bn: true },
  runs: 3,
  ok: 3,
  diverged: 0,
  failed: 0,
  missing: 0,
  thresholds: [],
  metrics: {
    val_accuracy: {
      final_mean: final,
      final_std: std,
      final_ci_low: null,
      final_ci_high: null,
      best_mean: final,
      best_std: std,
      best_epoch_mean: 2,
      auc_mean: null,
    },
  },
  curves: { val_accuracy: curve },
});
const failing = (a: VariantSummary, b: VariantSummary, tol: Parameters<typeof diffResults>[3]) =>
  diffResults([a], [b], ['val_accuracy'], tol)
    .rows.filter((r) => !r.within)
    .map((r) => r.what);

describe('diffResults', () => {
  it.each([
    { name: 'identical: nothing differs at zero tolerance', b: variant(0.9, 0.01, [0.5, 0.9]), tol: { atol: 0, rtol: 0 }, expected: [] },
    {
      name: 'a shifted final value fails an absolute tolerance',
      b: variant(0.92, 0.01, [0.5, 0.92]),
      tol: { atol: 0.01, rtol: 0 },
      expected: ['final mean', 'best mean', 'curve (max per-epoch deviation)'],
    },
    { name: 'the same shift passes 3 sigma of the baseline std', b: variant(0.92, 0.01, [0.5, 0.92]), tol: { atol: 0, rtol: 0, sigma: 3 }, expected: [] },
    { name: 'a relative tolerance scales with |A|', b: variant(0.92, 0.01, [0.5, 0.92]), tol: { atol: 0, rtol: 0.05 }, expected: [] },
    {
      name: 'a curve that differs mid-way fails even when the ends agree',
      b: variant(0.9, 0.01, [0.7, 0.9]),
      tol: { atol: 0.01, rtol: 0 },
      expected: ['curve (max per-epoch deviation)'],
    },
    { name: 'a curve of another length fails', b: variant(0.9, 0.01, [0.5, 0.9, 0.9]), tol: { atol: 1, rtol: 0 }, expected: ['curve length (epochs)'] },
  ])('$name', ({ b, tol, expected }) => {
    expect(failing(variant(0.9, 0.01, [0.5, 0.9]), b, tol)).toEqual(expected);
  });

  it("signs a curve's change of length B − A, without calling it better or worse", () => {
    const shorter = diffResults([variant(0.9, 0.01, [0.5, 0.9, 0.9])], [variant(0.9, 0.01, [0.5, 0.9])], ['val_accuracy'], { atol: 1, rtol: 0 }).rows.find(
      (r) => r.what === 'curve length (epochs)',
    )!;
    expect(shorter).toMatchObject({ a: 3, b: 2, delta: -1 });
    expect(shorter.direction).toBeUndefined();
  });

  it('compares run counts by status', () => {
    const b = { ...variant(0.9, 0.01, [0.5, 0.9]), ok: 2, diverged: 1 };
    expect(failing(variant(0.9, 0.01, [0.5, 0.9]), b, { atol: 1, rtol: 0 })).toEqual(['runs ok', 'runs diverged']);
  });

  it('compares held-out test metrics, and reports them missing on one side', () => {
    const withTest = (mean: number): VariantSummary => ({
      ...variant(0.9, 0.01, [0.5, 0.9]),
      test: { test_accuracy: { mean, std: 0.01, ci_low: null, ci_high: null } },
    });
    expect(failing(withTest(0.9), withTest(0.95), { atol: 0.01, rtol: 0 })).toEqual(['held-out mean']);
    expect(failing(withTest(0.9), withTest(0.905), { atol: 0.01, rtol: 0 })).toEqual([]);
    expect(diffResults([withTest(0.9)], [variant(0.9, 0.01, [0.5, 0.9])], ['val_accuracy'], { atol: 1, rtol: 0 }).missing).toEqual([
      'metric test_accuracy of bn=true is only in A',
    ]);
  });

  it("says which way each value moved, by the metric's direction", () => {
    const moved = (metric: string, a: number, b: number) =>
      diffResults(
        [{ ...variant(a, 0.01, [a]), metrics: { [metric]: variant(a, 0.01, [a]).metrics.val_accuracy! } }],
        [{ ...variant(b, 0.01, [b]), metrics: { [metric]: variant(b, 0.01, [b]).metrics.val_accuracy! } }],
        [metric],
        { atol: 0, rtol: 0 },
      ).rows.find((r) => r.what === 'final mean')!;
    expect(moved('val_accuracy', 0.9, 0.92)).toMatchObject({ delta: expect.closeTo(0.02, 9), direction: 'better' });
    expect(moved('val_loss', 0.3, 0.35)).toMatchObject({ delta: expect.closeTo(0.05, 9), direction: 'worse' });
    expect(moved('val_loss', 0.3, 0.3).direction).toBeUndefined();
    const diverged = diffResults([variant(0.9, 0.01, [0.9])], [{ ...variant(0.9, 0.01, [0.9]), ok: 2, diverged: 1 }], ['val_accuracy'], {
      atol: 0,
      rtol: 0,
    }).rows;
    expect(diverged.find((r) => r.what === 'runs diverged')).toMatchObject({ delta: 1, direction: 'worse' });
    expect(diverged.find((r) => r.what === 'runs ok')).toMatchObject({ delta: -1, direction: 'worse' });
  });
});
