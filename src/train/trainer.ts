import type { ModelCheckpoint } from '../run/run-chain.js';
import type { LayerSignalRow } from '../shared/layer-signals.js';
import type { HostArrays } from './tensors.js';

/** Weights kept aside (restore-best, the checkpoint callback's best epoch), to put back later. */
export type WeightSnapshot = { readonly kind: 'snapshot' };

/**
 * What the training loop needs of a model, whichever engine runs it: tfjs-layers (every model) or
 * nnlab's dense engine (stacks of dense layers, much faster). Numbers come back as plain numbers.
 */
export interface Trainer {
  /** Which engine, for run.json. */
  readonly engine: string;
  /** One pass over the training set in `order`, in batches; returns summed [loss, ...metrics] over samples. */
  runEpoch(data: HostArrays, order: Int32Array, batchSize: number): number[];
  /**
   * An inference-mode pass (dropout off, batch norm on moving statistics): summed [loss, ...metrics],
   * and the predictions (class ids, or values for regression) for the prediction statistics.
   */
  evaluate(data: HostArrays): { sums: number[]; predictions: ArrayLike<number> };
  /**
   * The epoch's per-layer signals (gradients and updates of the steps since the last call, activation
   * statistics on a fixed sample of `probe`), where the engine records them.
   */
  layerSignals?(epoch: number, probe: HostArrays): LayerSignalRow[];
  /** Milliseconds spent recording the per-layer signals so far (part of the training time). */
  layerSignalsMs?(): number;
  snapshot(): WeightSnapshot;
  restore(snapshot: WeightSnapshot): void;
  setLearningRate(learningRate: number): void;
  /** The current weights as a tfjs layers-model checkpoint. */
  serialize(epoch: number): Promise<ModelCheckpoint>;
  dispose(): void;
}
