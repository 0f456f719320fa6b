import { higherIsBetter, type HistoryRow } from '../shared/history-contract.js';
import type { CallbacksSpec } from '../spec/schema.js';

/** Tracks the best value of a monitored column, as Keras' callbacks do. */
class Monitor {
  best: number | null = null;
  bestEpoch = 0;
  wait = 0;
  private readonly higher: boolean;

  constructor(
    private readonly column: string,
    mode: 'auto' | 'min' | 'max',
    private readonly minDelta: number,
  ) {
    this.higher = mode === 'max' || (mode === 'auto' && higherIsBetter(column));
  }

  /** True when this epoch improved on the best by more than min_delta. */
  observe(row: HistoryRow): boolean {
    const v = row[this.column];
    if (typeof v !== 'number') return false;
    const improved = this.best === null || (this.higher ? v - this.best > this.minDelta : this.best - v > this.minDelta);
    if (improved) {
      this.best = v;
      this.bestEpoch = row.epoch!;
      this.wait = 0;
    } else this.wait++;
    return improved;
  }
}

interface EpochDecision {
  stop: boolean;
  /** The epoch improved the early-stopping monitor: snapshot the weights if restore_best. */
  improved: boolean;
  /** The epoch improved the checkpoint monitor: its weights are the ones to save. */
  checkpoint: boolean;
  /** The learning rate for the next epoch. */
  learningRate: number;
}

/**
 * Early stopping and reduce-on-plateau as pure state over history rows.
 * @example const cb = createCallbacks({early_stopping: {...}}, 0.001); cb.afterEpoch(row).stop
 */
export function createCallbacks(spec: CallbacksSpec, initialLearningRate: number) {
  const es = spec.early_stopping?.enabled !== false ? spec.early_stopping : undefined;
  const rl = spec.reduce_lr_on_plateau?.enabled !== false ? spec.reduce_lr_on_plateau : undefined;
  const cp = spec.checkpoint?.enabled !== false ? spec.checkpoint : undefined;
  const stopMonitor = es ? new Monitor(es.monitor, es.mode, es.min_delta) : undefined;
  const lrMonitor = rl ? new Monitor(rl.monitor, rl.mode, rl.min_delta) : undefined;
  const checkpointMonitor = cp ? new Monitor(cp.monitor, cp.mode, 0) : undefined;
  let learningRate = initialLearningRate;
  let stoppedEpoch: number | undefined;
  return {
    afterEpoch(row: HistoryRow): EpochDecision {
      const improved = stopMonitor?.observe(row) ?? false;
      const checkpoint = checkpointMonitor?.observe(row) ?? false;
      if (rl && lrMonitor) {
        lrMonitor.observe(row);
        if (lrMonitor.wait >= rl.patience && learningRate > rl.min_lr) {
          learningRate = Math.max(learningRate * rl.factor, rl.min_lr);
          lrMonitor.wait = 0;
        }
      }
      const stop = es !== undefined && stopMonitor!.wait > es.patience - 1 && !improved;
      if (stop) stoppedEpoch = row.epoch!;
      return { stop, improved, checkpoint, learningRate };
    },
    /** For run.json: when early stopping fired and which epoch was best. */
    summary(): { stopped_epoch?: number; best_epoch?: number; restored_best?: boolean; checkpoint_epoch?: number } {
      const saved = checkpointMonitor?.bestEpoch ? { checkpoint_epoch: checkpointMonitor.bestEpoch } : {};
      if (!es || !stopMonitor) return saved;
      return {
        ...(stoppedEpoch ? { stopped_epoch: stoppedEpoch } : {}),
        best_epoch: stopMonitor.bestEpoch,
        ...(es.restore_best ? { restored_best: true } : {}),
        ...saved,
      };
    },
  };
}
