import { describe, expect, it } from 'vitest';
import { listVariants, metricColumns, sortVariants } from '../../src/analysis/result-listing.js';

const variant = (factors: Record<string, number>, metrics: Record<string, number | null>) => ({
  factors,
  runs: 2,
  ok: 2,
  diverged: 0,
  failed: 0,
  missing: 0,
  metrics: Object.fromEntries(Object.entries(metrics).map(([c, m]) => [c, { final_mean: m, final_std: 0.01 }])),
});

describe('result listing', () => {
  const rows = listVariants([
    {
      experiment: 'a',
      dir: 'results/a',
      variants: [
        variant({ h: 5 }, { val_accuracy: 0.8, val_loss: 0.5, loss: 0.1, val_top_class_share: 0.2 }),
        variant({ h: 50 }, { val_accuracy: 0.9, val_loss: 0.3 }),
        variant({ h: 500 }, { val_accuracy: null, val_loss: null }),
      ],
    },
    { experiment: 'b', dir: 'results/b', variants: [variant({}, { val_mae: 3, val_loss: 9, val_mae_original: 3000, val_pred_std_ratio: 0.5 })] },
  ]);

  it('keeps the validation metrics, not training ones or the descriptive statistics, and labels each variant', () => {
    expect(rows.map((r) => r.variant)).toEqual(['h=5', 'h=50', 'h=500', 'all']);
    expect(Object.keys(rows[0]!.metrics)).toEqual(['val_accuracy', 'val_loss']);
    expect(Object.keys(rows[3]!.metrics)).toEqual(['val_mae', 'val_loss']);
    expect(metricColumns(rows)).toEqual(['val_accuracy', 'val_mae', 'val_loss']);
  });

  it("sorts best first by the metric's direction, with variants lacking it last", () => {
    expect(sortVariants(rows, 'val_accuracy').map((r) => r.variant)).toEqual(['h=50', 'h=5', 'h=500', 'all']);
    expect(sortVariants(rows, 'val_loss').map((r) => r.variant)).toEqual(['h=50', 'h=5', 'all', 'h=500']);
    expect(() => sortVariants(rows, 'accuracy')).toThrow('--sort accuracy: not a column here; sort by experiment, runs, val_accuracy, val_mae, val_loss.');
  });
});
