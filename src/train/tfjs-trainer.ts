import type { RunConfig } from '../run/run-chain.js';
import * as tf from '@tensorflow/tfjs';
import { addActivityPenalties } from '../model/activity-penalty.js';
import { serializeModel } from './checkpoint.js';
import { LOSS_FUNCTIONS, type LossFn } from './losses.js';
import { metricFunction, type MetricFn } from './metrics.js';
import { makeOptimizer } from './optimizers.js';
import type { NativeBlas } from './kernels/native-matmul.js';
import { batchTensors, type HostArrays } from './tensors.js';
import type { Trainer, WeightSnapshot } from './trainer.js';
import { createTfjsLayerRecorder } from './tfjs-layer-recorder.js';

type TfjsLayerRecorder = ReturnType<typeof createTfjsLayerRecorder>;

/** Evaluation batches are large: no gradients are kept, so only activations cost memory. */
const EVAL_BATCH = 1024;

/**
 * Training through tfjs-layers: the model's own apply, tfjs' autodiff and optimizers. Metrics are
 * accumulated on the device and read once per pass. It owns the model (built by the caller, so the
 * weights come from nnlab's seeded initializers) and releases every tensor on dispose.
 */
export function tfjsTrainer(
  model: tf.LayersModel,
  config: RunConfig,
  task: 'classification' | 'regression',
  options: { trainSamples: number; recordLayers: boolean; nativeAdam?: NativeBlas },
): Trainer {
  const { train } = config;
  const optimizer = makeOptimizer(train.optimizer, options.nativeAdam);
  const outputUnits = (model.outputs[0]!.shape[model.outputs[0]!.shape.length - 1] as number) ?? 1;
  const lossFn = LOSS_FUNCTIONS[train.loss];
  const metricFns = train.metrics.map((m) => metricFunction(m, train.loss, outputUnits));
  const snapshots: tf.Tensor[][] = [];
  // Only the trainable layers' weights: a frozen layer's variables are trainable to tfjs-core, and
  // minimize() without a list would train them (every variable registered as trainable).
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const recorder = options.recordLayers ? createTfjsLayerRecorder(model, config.model.layers, Math.ceil(options.trainSamples / train.batch_size)) : undefined;
  return {
    engine: 'tfjs-layers',
    runEpoch: (data, order, batchSize) => runEpoch(model, optimizer, variables, data, order, batchSize, lossFn, metricFns, recorder),
    ...(recorder ? { layerSignals: (epoch: number, probe: HostArrays) => recorder.endEpoch(epoch, probe), layerSignalsMs: () => recorder.spentMs() } : {}),
    evaluate: (data) => evaluate(model, data, lossFn, metricFns, task),
    snapshot() {
      const weights = model.getWeights().map((w) => tf.keep(w.clone()));
      snapshots.push(weights);
      return { kind: 'snapshot', weights } as WeightSnapshot;
    },
    restore(snapshot) {
      model.setWeights((snapshot as unknown as { weights: tf.Tensor[] }).weights);
    },
    setLearningRate(learningRate) {
      // tfjs optimizers read their learning rate at every step; SGD-based ones cache it as a tensor.
      const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate?: number };
      if (o.setLearningRate) o.setLearningRate(learningRate);
      else o.learningRate = learningRate;
    },
    serialize: (epoch) => serializeModel(model, epoch),
    dispose() {
      tf.dispose(snapshots.flat());
      model.dispose();
      optimizer.dispose();
    },
  };
}

function runEpoch(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  data: HostArrays,
  order: Int32Array,
  batchSize: number,
  lossFn: LossFn,
  metricFns: MetricFn[],
  recorder?: TfjsLayerRecorder,
): number[] {
  let sums: tf.Tensor = tf.zeros([1 + metricFns.length]);
  for (let start = 0; start < order.length; start += batchSize) {
    const size = Math.min(batchSize, order.length - start);
    const batch = batchTensors(data, order, start, size);
    let batchSums: tf.Tensor | undefined;
    const loss = () => {
      const predictions = model.apply(batch.x, { training: true }) as tf.Tensor;
      const total = totalLoss(model, tf.mean(lossFn(batch.y, predictions)) as tf.Scalar);
      batchSums = tf.keep(tf.stack([tf.mul(total, size), ...metricFns.map((m) => tf.sum(m(batch.y, predictions)))]));
      return total;
    };
    // A sampled step computes and applies the same gradients as minimize(), reading them on the way.
    if (recorder?.sampled(start / batchSize)) recorder.step(optimizer, loss, variables);
    else optimizer.minimize(loss, false, variables);
    const next = tf.add(sums, batchSums!);
    tf.dispose([sums, batchSums!, batch.x, batch.y]);
    sums = next;
  }
  const values = Array.from(sums.dataSync());
  sums.dispose();
  return values;
}

function evaluate(
  model: tf.LayersModel,
  data: HostArrays,
  lossFn: LossFn,
  metricFns: MetricFn[],
  task: 'classification' | 'regression',
): { sums: number[]; predictions: number[] } {
  const n = data.x.length / data.xWidth;
  const outputs: tf.Tensor[] = [];
  let sums: tf.Tensor = tf.zeros([1 + metricFns.length]);
  for (let start = 0; start < n; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, n - start);
    const batch = batchTensors(data, null, start, size);
    const next = tf.tidy(() => {
      const p = model.apply(batch.x, { training: false }) as tf.Tensor;
      outputs.push(
        tf.keep(task === 'regression' ? tf.reshape(p, [-1]) : p.shape[p.shape.length - 1] === 1 ? tf.reshape(tf.greater(p, 0.5), [-1]) : tf.argMax(p, -1)),
      );
      const lossSum = tf.mul(totalLoss(model, tf.mean(lossFn(batch.y, p)) as tf.Scalar), size);
      return tf.add(sums, tf.stack([lossSum, ...metricFns.map((m) => tf.sum(m(batch.y, p)))]));
    });
    tf.dispose([sums, batch.x, batch.y]);
    sums = next;
  }
  const values = Array.from(sums.dataSync());
  const predictions = outputs.flatMap((t) => Array.from(t.dataSync()));
  tf.dispose([sums, ...outputs]);
  return { sums: values, predictions };
}

/** The data loss plus the layers' weight and activity penalties, as Keras reports "loss". */
function totalLoss(model: tf.LayersModel, dataLoss: tf.Scalar): tf.Scalar {
  return addActivityPenalties(
    model,
    model.calculateLosses().reduce<tf.Scalar>((acc, l) => tf.add(acc, l), dataLoss),
  );
}
