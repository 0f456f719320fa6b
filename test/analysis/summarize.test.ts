import { describe, expect, it } from 'vitest';
import { epochsToThreshold, summarizeVariants, type RunForSummary } from '../../src/analysis/summarize.js';

const history = (acc: number[], loss: number[]) => acc.map((a, i) => ({ epoch: i + 1, val_accuracy: a, val_loss: loss[i]! }));

describe('summarizeVariants', () => {
  const runs: RunForSummary[] = [
    { id: 'a1', variant: 0, seed: 1, status: 'ok', history: history([0.5, 0.9, 0.8], [1, 0.5, 0.6]) },
    { id: 'a2', variant: 0, seed: 2, status: 'ok', history: history([0.7, 0.95, 0.9], [0.9, 0.4, 0.3]) },
    { id: 'a3', variant: 0, seed: 3, status: 'diverged', history: history([0.1], [Number.NaN]) },
    { id: 'b1', variant: 1, seed: 1, status: 'failed', history: [] },
  ];
  const [a, b] = summarizeVariants([{ factors: { bn: false } }, { factors: { bn: true } }], runs, ['val_accuracy', 'val_loss'], { val_accuracy: 0.9 });

  it('averages final and best values over ok runs only', () => {
    expect(a!.metrics.val_accuracy!.final_mean).toBeCloseTo(0.85, 12);
    expect(a!.metrics.val_accuracy!.final_std).toBeCloseTo(Math.sqrt(0.005), 12);
    expect(a!.metrics.val_accuracy!.best_mean).toBeCloseTo(0.925, 12);
    expect(a!.metrics.val_accuracy!.best_epoch_mean).toBe(2);
    expect(a!.metrics.val_loss!.best_mean).toBeCloseTo(0.4, 12);
    expect(a!.metrics.val_loss!.best_epoch_mean).toBe(2.5);
    // Area per epoch: (0.5+0.9+0.8)/3 and (0.7+0.95+0.9)/3, averaged.
    expect(a!.metrics.val_accuracy!.auc_mean).toBeCloseTo((2.2 / 3 + 2.55 / 3) / 2, 12);
    // Two seeds: t(1) = 12.7062047 times sd/sqrt(2).
    expect(a!.metrics.val_accuracy!.final_ci_high! - 0.85).toBeCloseTo((12.7062047 * Math.sqrt(0.005)) / Math.SQRT2, 6);
  });

  it('counts runs by status instead of averaging them away', () => {
    expect([a!.runs, a!.ok, a!.diverged, a!.failed]).toEqual([3, 2, 1, 0]);
    expect([b!.runs, b!.ok, b!.failed]).toEqual([1, 0, 1]);
    expect(b!.metrics.val_accuracy!.final_mean).toBeNull();
  });

  it('reports epochs to threshold with how many runs reached it', () => {
    expect(a!.thresholds).toEqual([{ column: 'val_accuracy', threshold: 0.9, epochs_mean: 2, epochs_std: 0, reached: 2, runs: 2 }]);
  });

  it('reports every column at report.at_epochs over the ok runs that got that far', () => {
    const early = { id: 'e', variant: 0, seed: 4, status: 'ok' as const, history: history([0.6], [0.8]) };
    const [v] = summarizeVariants([{ factors: {} }], [...runs.slice(0, 2), early], ['val_accuracy', 'val_loss'], {}, [1, 3]);
    const at = (epoch: number, column: string) => v!.at_epochs.find((x) => x.epoch === epoch && x.column === column);
    expect(at(1, 'val_accuracy')!.mean).toBeCloseTo(0.6, 12);
    expect(at(1, 'val_accuracy')!.std).toBeCloseTo(0.1, 12);
    expect(at(1, 'val_accuracy')!.runs).toBe(3);
    expect(at(3, 'val_loss')).toMatchObject({ runs: 2 });
    expect(at(3, 'val_loss')!.mean).toBeCloseTo(0.45, 12);
    expect(a!.at_epochs).toEqual([]);
  });

  it('builds per-epoch mean curves', () => {
    expect(a!.curves.val_accuracy!.map((v) => Number(v!.toFixed(3)))).toEqual([0.6, 0.925, 0.85]);
  });
});

describe('epochsToThreshold', () => {
  it.each([
    { name: 'accuracy reaches upwards', column: 'val_accuracy', threshold: 0.9, expected: 2 },
    { name: 'loss reaches downwards', column: 'val_loss', threshold: 0.5, expected: 2 },
    { name: 'never reached', column: 'val_accuracy', threshold: 0.99, expected: null },
  ])('$name', ({ column, threshold, expected }) => {
    expect(epochsToThreshold(history([0.5, 0.9, 0.8], [1, 0.5, 0.6]), column, threshold)).toBe(expected);
  });
});

describe('runs that restored their best weights', () => {
  it('report as final the epoch they kept, while best, AUC and curves use every epoch', () => {
    const runs: RunForSummary[] = [
      { id: 'r', variant: 0, seed: 1, status: 'ok', history: history([0.5, 0.9, 0.8, 0.7], [1, 0.4, 0.6, 0.7]), restoredEpoch: 2 },
      { id: 's', variant: 0, seed: 2, status: 'ok', history: history([0.6, 0.8, 0.85, 0.9], [0.9, 0.6, 0.5, 0.45]) },
    ];
    const [v] = summarizeVariants([{ factors: {} }], runs, ['val_accuracy', 'val_loss']);
    expect(v!.metrics.val_accuracy!.final_mean).toBeCloseTo((0.9 + 0.9) / 2, 12);
    expect(v!.metrics.val_loss!.final_mean).toBeCloseTo((0.4 + 0.45) / 2, 12);
    expect(v!.metrics.val_accuracy!.auc_mean).toBeCloseTo((2.9 / 4 + 3.15 / 4) / 2, 12);
    expect(v!.curves.val_accuracy).toHaveLength(4);
  });
});
