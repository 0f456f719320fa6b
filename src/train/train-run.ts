import type { SplitData } from '../data/prepare-split.js';
import { buildModel } from '../model/build-model.js';
import { createRng, shuffleInPlace } from '../shared/rng.js';
import type { RunConfig, TrainingOutcome } from '../run/run-chain.js';
import { toHostArrays, type HostArrays } from './tensors.js';
import { historyColumns, originalUnitColumns, PREDICTION_STAT_COLUMNS, type HistoryRow } from '../shared/history-contract.js';
import type { Scaler } from '../data/scale.js';
import { createCallbacks } from './callbacks.js';
import { augmentImages } from '../data/augment.js';
import type { ModelCheckpoint } from '../run/run-chain.js';
import type { KernelSet } from './backend.js';
import { denseTrainer } from './dense/dense-trainer.js';
import { planDense } from './dense/dense-plan.js';
import { tfjsTrainer } from './tfjs-trainer.js';
import type { Trainer, WeightSnapshot } from './trainer.js';
import type { LayerSignalRow } from '../shared/layer-signals.js';

interface TrainEvents {
  onEpoch?(row: HistoryRow, epochs: number): void;
}

/**
 * Train one run with nnlab's own seeded loop: batch order from the `shuffle` stream, weights from
 * per-layer `init` streams, dropout masks from per-layer `dropout` streams, callbacks on the history
 * rows. The model trains on the dense engine where it can, else through tfjs-layers (see Trainer).
 * Everything it allocates is released before it returns.
 */
export async function trainRun(
  config: RunConfig,
  split: SplitData,
  kernels: KernelSet,
  events: TrainEvents = {},
  clock: () => number = () => performance.now(),
): Promise<TrainingOutcome> {
  const { model: modelSpec, train } = config;
  const columns = ['loss', ...train.metrics];
  const task = split.train.task;
  const statColumn = PREDICTION_STAT_COLUMNS[task];
  const originalColumns = originalUnitColumns(task, train.metrics);
  const callbacks = createCallbacks(train.callbacks, train.optimizer.learning_rate);
  let learningRate = train.optimizer.learning_rate;
  let best: WeightSnapshot | undefined;
  let checkpointed: WeightSnapshot | undefined;
  let checkpoint: ModelCheckpoint | undefined;
  let test: Record<string, number | null> | undefined;
  const history: HistoryRow[] = [];
  const trainer = createTrainer(config, task, split.train.labels.length, kernels);
  const layers: LayerSignalRow[] | undefined = trainer.layerSignals ? [] : undefined;
  const trainSet = toHostArrays(split.train, modelSpec.input_shape, train.loss);
  const valSet = toHostArrays(split.validation, modelSpec.input_shape, train.loss);
  const shuffleRng = createRng(config.seed, 'shuffle');
  const augmentation = config.data.augmentation?.enabled ? config.data.augmentation : undefined;
  const augmentRng = createRng(config.seed, 'augment');
  const nTrain = split.train.labels.length;
  const started = clock();
  let steps = 0;
  let divergedEpoch: number | undefined;
  try {
    for (let epoch = 1; epoch <= train.epochs; epoch++) {
      const order = shuffleInPlace(
        Int32Array.from({ length: nTrain }, (_, i) => i),
        shuffleRng,
      ) as Int32Array;
      const epochSet = augmentation ? { ...trainSet, x: augmentImages(trainSet.x, split.train.featureShape, augmentation, augmentRng) } : trainSet;
      const trainStats = trainer.runEpoch(epochSet, order, train.batch_size);
      steps += Math.ceil(nTrain / train.batch_size);
      const { sums: valStats, predictions } = trainer.evaluate(valSet);
      const row: HistoryRow = { epoch };
      columns.forEach((c, i) => (row[c] = finiteOrNull(trainStats[i]! / nTrain)));
      columns.forEach((c, i) => (row[`val_${c}`] = finiteOrNull(valStats[i]! / split.validation.labels.length)));
      const stat = predictionSpread(predictions, valSet, task);
      row[statColumn] = stat === null ? null : finiteOrNull(stat);
      const original = task === 'regression' ? originalUnitErrors(predictions, valSet.y, split.targetScaler) : undefined;
      for (const c of originalColumns) row[c] = finiteOrNull(c.startsWith('val_mae') ? original!.mae : original!.mse);
      row.lr = learningRate;
      history.push(row);
      layers?.push(...trainer.layerSignals!(epoch, valSet));
      events.onEpoch?.(row, train.epochs);
      if (row.loss === null) {
        divergedEpoch = epoch;
        break;
      }
      const decision = callbacks.afterEpoch(row);
      if (decision.improved && train.callbacks.early_stopping?.restore_best) best = trainer.snapshot();
      if (decision.checkpoint) checkpointed = trainer.snapshot();
      if (decision.stop) break;
      if (decision.learningRate !== learningRate) {
        learningRate = decision.learningRate;
        trainer.setLearningRate(learningRate);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (best) trainer.restore(best);
    if (split.test && divergedEpoch === undefined) {
      const testSet = toHostArrays(split.test, modelSpec.input_shape, train.loss);
      const { sums } = trainer.evaluate(testSet);
      test = Object.fromEntries(columns.map((c, i) => [`test_${c}`, finiteOrNull(sums[i]! / split.test!.labels.length)]));
    }
    const checkpointEpoch = callbacks.summary().checkpoint_epoch;
    if (checkpointed && checkpointEpoch && divergedEpoch === undefined) {
      trainer.restore(checkpointed);
      checkpoint = await trainer.serialize(checkpointEpoch);
    }
  } finally {
    trainer.dispose();
  }
  const trainMs = clock() - started;
  const layerSignalsMs = trainer.layerSignalsMs?.();
  return {
    status: divergedEpoch === undefined ? 'ok' : 'diverged',
    ...(divergedEpoch !== undefined ? { diverged_epoch: divergedEpoch } : {}),
    callbacks: callbacks.summary(),
    ...(checkpoint ? { checkpoint } : {}),
    ...(test ? { test } : {}),
    columns: historyColumns(task, train.metrics),
    history,
    ...(layers ? { layers } : {}),
    engine: trainer.engine,
    timings: {
      trainMs,
      msPerStep: steps ? trainMs / steps : 0,
      samplesPerSecond: trainMs ? (steps * train.batch_size * 1000) / trainMs : 0,
      ...(layerSignalsMs !== undefined ? { layerSignalsMs } : {}),
    },
  };
}

/**
 * The model with nnlab's seeded initial weights, trained by the dense engine where it can run the
 * model and the kernel set has its kernels, else by tfjs-layers.
 */
function createTrainer(config: RunConfig, task: 'classification' | 'regression', trainSamples: number, kernelSet: KernelSet): Trainer {
  const model = buildModel(config.model, config.seed);
  const recordLayers = config.train.layer_signals ?? true;
  const plan = kernelSet.dense ? planDense(config.model, config.train) : undefined;
  if (kernelSet.dense && plan && !('unsupported' in plan)) return denseTrainer(model, plan, config, kernelSet.dense(), task, { trainSamples, recordLayers });
  return tfjsTrainer(model, config, task, { trainSamples, recordLayers, ...(kernelSet.nativeAdam ? { nativeAdam: kernelSet.nativeAdam } : {}) });
}

/** Mean absolute and squared error after undoing the target scaling (identity when there was none). */
export function originalUnitErrors(predictions: ArrayLike<number>, targets: ArrayLike<number>, scaler?: Scaler): { mae: number; mse: number } {
  const width = scaler?.offset.length ?? 1;
  const unscale = (v: number, i: number) => (scaler && scaler.mode !== 'none' ? v / scaler.factor[i % width]! + scaler.offset[i % width]! : v);
  let abs = 0;
  let sq = 0;
  for (let i = 0; i < predictions.length; i++) {
    const e = unscale(predictions[i]!, i) - unscale(targets[i]!, i);
    abs += Math.abs(e);
    sq += e * e;
  }
  return { mae: abs / predictions.length, mse: sq / predictions.length };
}

function predictionSpread(predictions: ArrayLike<number>, data: HostArrays, task: 'classification' | 'regression'): number | null {
  if (predictions.length === 0) return null;
  if (task === 'classification') {
    const counts = new Map<number, number>();
    for (let i = 0; i < predictions.length; i++) counts.set(predictions[i]!, (counts.get(predictions[i]!) ?? 0) + 1);
    return Math.max(...counts.values()) / predictions.length;
  }
  const std = (v: ArrayLike<number>) => {
    let sum = 0;
    for (let i = 0; i < v.length; i++) sum += v[i]!;
    const m = sum / v.length;
    let sq = 0;
    for (let i = 0; i < v.length; i++) sq += (v[i]! - m) ** 2;
    return Math.sqrt(sq / v.length);
  };
  const targetStd = std(data.y);
  return targetStd > 0 ? std(predictions) / targetStd : null;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
