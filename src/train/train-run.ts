import * as tf from '@tensorflow/tfjs';
import type { SplitData } from '../data/prepare-split.js';
import { buildModel } from '../model/build-model.js';
import { createRng, shuffleInPlace } from '../shared/rng.js';
import type { RunConfig } from '../sweep/expand.js';
import { LOSS_FUNCTIONS, type LossFn } from './losses.js';
import { metricFunction, type MetricFn } from './metrics.js';
import { makeOptimizer } from './optimizers.js';
import { batchTensors, toHostArrays, type HostArrays } from './tensors.js';
import { historyColumns, originalUnitColumns, PREDICTION_STAT_COLUMNS, type HistoryRow } from '../shared/history-contract.js';
import type { Scaler } from '../data/scale.js';
import { createCallbacks } from './callbacks.js';
import { augmentImages } from '../data/augment.js';
import { serializeModel, type ModelCheckpoint } from './checkpoint.js';
import { addActivityPenalties } from '../model/activity-penalty.js';

interface RunOutcome {
  status: 'ok' | 'diverged';
  /** For diverged runs: the first epoch whose loss was NaN or infinite. */
  divergedEpoch?: number;
  /** Early stopping: the epoch it stopped at (if it fired) and the best epoch. */
  callbacks: { stopped_epoch?: number; best_epoch?: number; restored_best?: boolean; checkpoint_epoch?: number };
  /** The checkpoint callback's best weights, in tfjs format. */
  checkpoint?: ModelCheckpoint;
  /** data.test_split: loss and metrics of the final model (the restored best with restore_best) on the held-out split. */
  test?: Record<string, number | null>;
  columns: string[];
  history: HistoryRow[];
  timings: { trainMs: number; msPerStep: number; samplesPerSecond: number };
}

interface TrainEvents {
  onEpoch?(row: HistoryRow, epochs: number): void;
}

/** Evaluation batches are large: no gradients are kept, so only activations cost memory. */
const EVAL_BATCH = 1024;

/**
 * Train one run with nnlab's own seeded loop: batch order from the `shuffle` stream, weights from
 * per-layer `init` streams, dropout masks from per-layer `dropout` streams. Metrics are accumulated
 * on the device and read once per epoch. All tensors it creates are released before it returns.
 */
export async function trainRun(config: RunConfig, split: SplitData, events: TrainEvents = {}, clock: () => number = () => performance.now()): Promise<RunOutcome> {
  const { model: modelSpec, train } = config;
  const columns = ['loss', ...train.metrics];
  const statColumn = PREDICTION_STAT_COLUMNS[split.train.task];
  const originalColumns = originalUnitColumns(split.train.task, train.metrics);
  const allColumns = historyColumns(split.train.task, train.metrics);
  const callbacks = createCallbacks(train.callbacks, train.optimizer.learning_rate);
  let learningRate = train.optimizer.learning_rate;
  let bestWeights: tf.Tensor[] | undefined;
  let checkpointWeights: tf.Tensor[] | undefined;
  let checkpoint: ModelCheckpoint | undefined;
  let test: Record<string, number | null> | undefined;
  const history: HistoryRow[] = [];
  const model = buildModel(modelSpec, config.seed);
  const optimizer = makeOptimizer(train.optimizer);
  const trainSet = toHostArrays(split.train, modelSpec.input_shape, train.loss);
  const valSet = toHostArrays(split.validation, modelSpec.input_shape, train.loss);
  const outputUnits = (model.outputs[0]!.shape[model.outputs[0]!.shape.length - 1] as number) ?? 1;
  const lossFn = LOSS_FUNCTIONS[train.loss];
  const metricFns = train.metrics.map((m) => metricFunction(m, train.loss, outputUnits));
  const shuffleRng = createRng(config.seed, 'shuffle');
  const augmentation = config.data.augmentation?.enabled ? config.data.augmentation : undefined;
  const augmentRng = createRng(config.seed, 'augment');
  const nTrain = split.train.labels.length;
  const started = clock();
  let steps = 0;
  let divergedEpoch: number | undefined;
  try {
    for (let epoch = 1; epoch <= train.epochs; epoch++) {
      const order = shuffleInPlace(Int32Array.from({ length: nTrain }, (_, i) => i), shuffleRng) as Int32Array;
      const epochSet = augmentation ? { ...trainSet, x: augmentImages(trainSet.x, split.train.featureShape, augmentation, augmentRng) } : trainSet;
      const trainStats = runEpoch(model, optimizer, epochSet, order, train.batch_size, lossFn, metricFns);
      steps += Math.ceil(nTrain / train.batch_size);
      const { sums: valStats, predictionStat, original } = evaluate(model, valSet, lossFn, metricFns, split.validation.task, split.targetScaler);
      const row: HistoryRow = { epoch };
      columns.forEach((c, i) => (row[c] = finiteOrNull(trainStats[i]! / nTrain)));
      columns.forEach((c, i) => (row[`val_${c}`] = finiteOrNull(valStats[i]! / split.validation.labels.length)));
      row[statColumn] = predictionStat === null ? null : finiteOrNull(predictionStat);
      for (const c of originalColumns) row[c] = finiteOrNull(c.startsWith('val_mae') ? original.mae : original.mse);
      row.lr = learningRate;
      history.push(row);
      events.onEpoch?.(row, train.epochs);
      if (row.loss === null) {
        divergedEpoch = epoch;
        break;
      }
      const decision = callbacks.afterEpoch(row);
      if (decision.improved && train.callbacks.early_stopping?.restore_best) {
        tf.dispose(bestWeights ?? []);
        bestWeights = model.getWeights().map((w) => tf.keep(w.clone()));
      }
      if (decision.checkpoint) {
        tf.dispose(checkpointWeights ?? []);
        checkpointWeights = model.getWeights().map((w) => tf.keep(w.clone()));
      }
      if (decision.stop) break;
      if (decision.learningRate !== learningRate) {
        learningRate = decision.learningRate;
        setLearningRate(optimizer, learningRate);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (bestWeights) model.setWeights(bestWeights);
    if (split.test && divergedEpoch === undefined) {
      const testSet = toHostArrays(split.test, modelSpec.input_shape, train.loss);
      const { sums } = evaluate(model, testSet, lossFn, metricFns, split.test.task);
      test = Object.fromEntries(columns.map((c, i) => [`test_${c}`, finiteOrNull(sums[i]! / split.test!.labels.length)]));
    }
    const checkpointEpoch = callbacks.summary().checkpoint_epoch;
    if (checkpointWeights && checkpointEpoch && divergedEpoch === undefined) {
      model.setWeights(checkpointWeights);
      checkpoint = await serializeModel(model, checkpointEpoch);
    }
  } finally {
    tf.dispose([...(bestWeights ?? []), ...(checkpointWeights ?? [])]);
    model.dispose();
    optimizer.dispose();
  }
  const trainMs = clock() - started;
  return {
    status: divergedEpoch === undefined ? 'ok' : 'diverged',
    divergedEpoch,
    callbacks: callbacks.summary(),
    ...(checkpoint ? { checkpoint } : {}),
    ...(test ? { test } : {}),
    columns: allColumns,
    history,
    timings: { trainMs, msPerStep: steps ? trainMs / steps : 0, samplesPerSecond: trainMs ? (steps * train.batch_size * 1000) / trainMs : 0 },
  };
}

/** One pass over the training set in `order`; returns summed [loss, ...metrics] over samples. */
function runEpoch(model: tf.LayersModel, optimizer: tf.Optimizer, data: HostArrays, order: Int32Array, batchSize: number, lossFn: LossFn, metricFns: MetricFn[]): number[] {
  let sums: tf.Tensor = tf.zeros([1 + metricFns.length]);
  for (let start = 0; start < order.length; start += batchSize) {
    const size = Math.min(batchSize, order.length - start);
    const batch = batchTensors(data, order, start, size);
    let batchSums: tf.Tensor | undefined;
    optimizer.minimize(() => {
      const predictions = model.apply(batch.x, { training: true }) as tf.Tensor;
      const total = totalLoss(model, tf.mean(lossFn(batch.y, predictions)) as tf.Scalar);
      batchSums = tf.keep(tf.stack([tf.mul(total, size), ...metricFns.map((m) => tf.sum(m(batch.y, predictions)))]));
      return total;
    });
    const next = tf.add(sums, batchSums!);
    tf.dispose([sums, batchSums!, batch.x, batch.y]);
    sums = next;
  }
  const values = Array.from(sums.dataSync());
  sums.dispose();
  return values;
}

/**
 * Inference-mode pass (dropout off, batch norm on moving statistics): summed [loss, ...metrics], and
 * how varied the predictions are — the share of the most-predicted class, or std(predictions) /
 * std(targets) for regression.
 */
function evaluate(model: tf.LayersModel, data: HostArrays, lossFn: LossFn, metricFns: MetricFn[], task: 'classification' | 'regression', targetScaler?: Scaler): { sums: number[]; predictionStat: number | null; original: { mae: number; mse: number } } {
  const n = data.x.length / data.xWidth;
  const outputs: tf.Tensor[] = [];
  let sums: tf.Tensor = tf.zeros([1 + metricFns.length]);
  for (let start = 0; start < n; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, n - start);
    const batch = batchTensors(data, null, start, size);
    const next = tf.tidy(() => {
      const p = model.apply(batch.x, { training: false }) as tf.Tensor;
      outputs.push(tf.keep(task === 'regression' ? tf.reshape(p, [-1]) : p.shape[p.shape.length - 1] === 1 ? tf.reshape(tf.greater(p, 0.5), [-1]) : tf.argMax(p, -1)));
      const lossSum = tf.mul(totalLoss(model, tf.mean(lossFn(batch.y, p)) as tf.Scalar), size);
      return tf.add(sums, tf.stack([lossSum, ...metricFns.map((m) => tf.sum(m(batch.y, p)))]));
    });
    tf.dispose([sums, batch.x, batch.y]);
    sums = next;
  }
  const values = Array.from(sums.dataSync());
  const predictions = outputs.flatMap((t) => Array.from(t.dataSync()));
  tf.dispose([sums, ...outputs]);
  return { sums: values, predictionStat: predictionSpread(predictions, data, task), original: task === 'regression' ? originalUnitErrors(predictions, data.y, targetScaler) : { mae: NaN, mse: NaN } };
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

function predictionSpread(predictions: number[], data: HostArrays, task: 'classification' | 'regression'): number | null {
  if (predictions.length === 0) return null;
  if (task === 'classification') {
    const counts = new Map<number, number>();
    for (const p of predictions) counts.set(p, (counts.get(p) ?? 0) + 1);
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

/** The data loss plus the layers' weight and activity penalties, as Keras reports "loss". */
function totalLoss(model: tf.LayersModel, dataLoss: tf.Scalar): tf.Scalar {
  return addActivityPenalties(model, model.calculateLosses().reduce<tf.Scalar>((acc, l) => tf.add(acc, l), dataLoss));
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** tfjs optimizers read their learning rate at every step; SGD-based ones cache it as a tensor. */
function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate?: number };
  if (o.setLearningRate) o.setLearningRate(learningRate);
  else o.learningRate = learningRate;
}
