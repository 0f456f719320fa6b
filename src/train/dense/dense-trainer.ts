import type { RunConfig } from '../../run/run-chain.js';
import * as tf from '@tensorflow/tfjs';
import { serializeModel } from '../checkpoint.js';
import type { HostArrays } from '../tensors.js';
import type { Trainer, WeightSnapshot } from '../trainer.js';
import type { DenseKernels } from './dense-kernels.js';
import { argMax, lossAndGradient, metricSum, type Targets } from './dense-loss.js';
import { DenseNetwork } from './dense-network.js';
import { createDenseOptimizer } from './dense-optimizer.js';
import type { DensePlan } from './dense-plan.js';
import { createLayerRecorder } from './layer-recorder.js';
import { probeIndices } from '../../shared/layer-signals.js';

/**
 * Evaluation batches are large: no gradients are kept, so only activations cost memory. A
 * convolution's window rows (kh·kw·channels values per output position) make a CNN's smaller.
 */
const EVAL_BATCH = 1024;
const CONV_EVAL_BATCH = 128;

/**
 * Training on nnlab's dense engine: the model's initial weights (from nnlab's seeded tfjs
 * initializers) are taken over, trained by DenseNetwork's own passes and the optimizer's tfjs
 * formulas, and put back into the tfjs model only to save a checkpoint. One kernel call per
 * matrix product, no tensors, no tape: a step costs its arithmetic.
 */
export function denseTrainer(
  model: tf.LayersModel,
  plan: DensePlan,
  config: RunConfig,
  kernels: DenseKernels,
  task: 'classification' | 'regression',
  options: { trainSamples: number; recordLayers: boolean },
): Trainer {
  const { train } = config;
  const evalBatch = plan.ops.some((op) => op.kind === 'conv2d') ? CONV_EVAL_BATCH : EVAL_BATCH;
  const maxSamples = Math.max(train.batch_size, evalBatch);
  // Layer by layer: a model's getWeights() lists all trainable weights before the others.
  const network = new DenseNetwork(
    plan,
    kernels,
    model.layers.flatMap((l) => l.getWeights()).map((w) => Float32Array.from(w.dataSync())),
    config.seed,
    maxSamples,
  );
  const optimizer = createDenseOptimizer(train.optimizer, kernels);
  const recorder = options.recordLayers ? createLayerRecorder(network, Math.ceil(options.trainSamples / train.batch_size)) : undefined;
  const x = kernels.alloc(maxSamples * plan.inputWidth);
  const dOut = kernels.alloc(maxSamples * plan.outputWidth);
  let y = new Float32Array(0);

  /** Copy samples `order[start..start+size)` (or start.. when no order) of `data` into x and y. */
  const gather = (data: HostArrays, order: Int32Array | null, start: number, size: number): Targets => {
    const yw = Math.max(1, data.yWidth);
    if (y.length < maxSamples * yw) y = new Float32Array(maxSamples * yw);
    kernels.rows.gatherRows(data.x, data.xWidth, order, start, size, x);
    kernels.rows.gatherRows(data.y, yw, order, start, size, y);
    return { y, width: data.yWidth };
  };
  // Keras' reported loss is the data loss plus the weight penalties (the same for every sample of a batch).
  const penalized = plan.ops.some((op) => 'penalties' in op && (op.penalties.kernel || op.penalties.bias));
  const sumsOf = (p: Float32Array, t: Targets, size: number, grad: Float32Array) => [
    lossAndGradient(train.loss, p, t, size, plan.outputWidth, grad) + (penalized ? network.penalty() * size : 0),
    ...train.metrics.map((m) => metricSum(m, train.loss, p, t, size, plan.outputWidth)),
  ];

  return {
    engine: `nnlab dense engine, ${kernels.name}`,
    runEpoch(data, order, batchSize) {
      const totals = new Array<number>(1 + train.metrics.length).fill(0);
      for (let start = 0; start < order.length; start += batchSize) {
        const size = Math.min(batchSize, order.length - start);
        const t = gather(data, order, start, size);
        const p = network.forward(x, size, true);
        sumsOf(p, t, size, dOut).forEach((v, i) => (totals[i]! += v));
        network.backward(dOut, size);
        const sampled = recorder?.sampled(start / batchSize);
        if (sampled) recorder!.beforeUpdate();
        optimizer.step(network.params);
        if (sampled) recorder!.afterUpdate();
      }
      return totals;
    },
    evaluate(data) {
      const n = data.x.length / data.xWidth;
      const totals = new Array<number>(1 + train.metrics.length).fill(0);
      const predictions = new Float32Array(task === 'regression' ? n * plan.outputWidth : n);
      for (let start = 0; start < n; start += evalBatch) {
        const size = Math.min(evalBatch, n - start);
        const t = gather(data, null, start, size);
        const p = network.forward(x, size, false);
        sumsOf(p, t, size, dOut).forEach((v, i) => (totals[i]! += v));
        if (task === 'regression') predictions.set(p.subarray(0, size * plan.outputWidth), start * plan.outputWidth);
        else
          for (let s = 0; s < size; s++)
            predictions[start + s] = plan.outputWidth === 1 ? (p[s]! > 0.5 ? 1 : 0) : argMax(p, s * plan.outputWidth, plan.outputWidth);
      }
      return { sums: totals, predictions };
    },
    ...(recorder
      ? {
          layerSignals(epoch: number, probe: HostArrays) {
            const order = probeIndices(probe.x.length / probe.xWidth);
            gather(probe, order, 0, order.length);
            return recorder.endEpoch(epoch, x, order.length);
          },
          layerSignalsMs: () => recorder.spentMs(),
        }
      : {}),
    snapshot() {
      return { kind: 'snapshot', weights: network.weights.map((w) => w.slice()) } as WeightSnapshot;
    },
    restore(snapshot) {
      const saved = (snapshot as unknown as { weights: Float32Array[] }).weights;
      network.weights.forEach((w, i) => w.set(saved[i]!));
    },
    setLearningRate: (learningRate) => optimizer.setLearningRate(learningRate),
    async serialize(epoch) {
      let next = 0;
      for (const layer of model.layers) {
        const tensors = layer.getWeights().map((w) => tf.tensor(network.weights[next++]!, w.shape, 'float32'));
        layer.setWeights(tensors);
        tf.dispose(tensors);
      }
      return serializeModel(model, epoch);
    },
    dispose() {
      model.dispose();
      kernels.dispose();
    },
  };
}
