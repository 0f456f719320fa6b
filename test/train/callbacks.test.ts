import { describe, expect, it } from 'vitest';
import { createCallbacks } from '../../src/train/callbacks.js';

const rows = (valLoss: number[]) => valLoss.map((v, i) => ({ epoch: i + 1, val_loss: v, val_accuracy: 1 - v }));
const es = (patience: number, extra = {}) => ({
  early_stopping: { monitor: 'val_loss', min_delta: 0, patience, mode: 'auto' as const, restore_best: true, ...extra },
});

/** Feed rows until the callbacks say stop; return the epoch it stopped at (or null). */
function stopEpoch(cb: ReturnType<typeof createCallbacks>, history: ReturnType<typeof rows>): number | null {
  for (const row of history) if (cb.afterEpoch(row).stop) return row.epoch;
  return null;
}

describe('early stopping', () => {
  it.each([
    { name: 'stops `patience` epochs after the best', patience: 2, loss: [1, 0.8, 0.7, 0.75, 0.76, 0.6], stop: 5, best: 3 },
    { name: 'patience 0 stops at the first epoch without improvement', patience: 0, loss: [1, 0.8, 0.9, 0.5], stop: 3, best: 2 },
    { name: 'never stops while improving', patience: 1, loss: [1, 0.9, 0.8, 0.7], stop: null, best: 4 },
  ])('$name', ({ patience, loss, stop, best }) => {
    const cb = createCallbacks(es(patience), 0.01);
    expect(stopEpoch(cb, rows(loss))).toBe(stop);
    expect(cb.summary()).toEqual({ ...(stop ? { stopped_epoch: stop } : {}), best_epoch: best, restored_best: true });
  });

  it('watches accuracy upwards in auto mode, and respects min_delta', () => {
    const cb = createCallbacks({ early_stopping: { monitor: 'val_accuracy', min_delta: 0.05, patience: 1, mode: 'auto', restore_best: false } }, 0.01);
    // val_accuracy 0, 0.2, 0.22 (+0.02 < min_delta: no improvement) → stop at epoch 3
    expect(stopEpoch(cb, rows([1, 0.8, 0.78]))).toBe(3);
  });
});

describe('reduce learning rate on plateau', () => {
  it('multiplies by factor after `patience` epochs without improvement, down to min_lr', () => {
    const cb = createCallbacks({ reduce_lr_on_plateau: { monitor: 'val_loss', factor: 0.5, patience: 2, min_delta: 0, min_lr: 0.002, mode: 'auto' } }, 0.01);
    const lrs = rows([1, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0, 1.1]).map((r) => cb.afterEpoch(r).learningRate);
    expect(lrs).toEqual([0.01, 0.01, 0.01, 0.005, 0.005, 0.0025, 0.0025, 0.002, 0.002]);
  });
});
