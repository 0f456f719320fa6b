import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareSplit } from '../../src/data/prepare-split.js';
import { readDataset } from '../../src/data/read-dataset.js';
import type { Dataset } from '../../src/data/dataset.js';
import { validateSpecText } from '../../src/spec/validate.js';
import type { RunConfig } from '../../src/run/run-chain.js';
import { expandSweep } from '../../src/sweep/expand.js';
import { selectBackend, type KernelSet } from '../../src/train/backend.js';
import { originalUnitErrors, trainRun } from '../../src/train/train-run.js';
import { loadCheckpoint } from '../../src/train/checkpoint.js';

const spec = (layers: string, extra = '') => `name: t
data: {dataset: mnist${extra}}
model:
  input_shape: [28, 28, 1]
  layers:
${layers}
train:
  optimizer: {adam: {learning_rate: 0.001}}
  loss: categorical_crossentropy
  batch_size: 64
  epochs: 2
`;
const configOf = (text: string): RunConfig => {
  const { value, issues } = validateSpecText(text, 't.yaml');
  if (!value) throw new Error(issues.map((i) => i.message).join('\n'));
  return expandSweep(value).runs[0]!.config;
};

let mnist: Dataset;
let kernels: KernelSet;
beforeAll(async () => {
  kernels = (await selectBackend('wasm')).kernelSet;
  mnist = await readDataset({ dataset: 'mnist', validation_split: 0.2 });
});

describe('trainRun on real MNIST', () => {
  it('learns: a small MLP passes 85 % validation accuracy in two epochs', async () => {
    const config = configOf(spec('    - flatten: {}\n    - dense: {units: 64, activation: relu}\n    - dense: {units: 10, activation: softmax}'));
    const out = await trainRun(config, prepareSplit(mnist, config.data, config.seed), kernels);
    expect(out.status).toBe('ok');
    expect(out.history).toHaveLength(2);
    expect(out.history[1]!.val_accuracy).toBeGreaterThan(0.85);
    expect(out.history[1]!.loss).toBeLessThan(out.history[0]!.loss!);
  });

  it('is deterministic and releases every tensor it creates', async () => {
    const config = configOf(
      spec(
        '    - flatten: {}\n    - dense: {units: 16, activation: relu}\n    - dropout: {rate: 0.3}\n    - dense: {units: 10, activation: softmax}',
        ', samples: 600',
      ),
    );
    const split = prepareSplit(mnist, config.data, config.seed);
    const before = tf.memory().numTensors;
    const a = await trainRun(config, split, kernels);
    expect(tf.memory().numTensors).toBe(before);
    const b = await trainRun(config, split, kernels);
    expect(b.history).toEqual(a.history);
    const otherSeed = await trainRun({ ...config, seed: 2 }, split, kernels);
    expect(otherSeed.history).not.toEqual(a.history);
  });

  it('records a run whose loss becomes NaN as diverged, with the epoch', async () => {
    const config = configOf(
      spec('    - flatten: {}\n    - dense: {units: 16, activation: relu}\n    - dense: {units: 10}', ', samples: 300')
        .replace('{adam: {learning_rate: 0.001}}', '{sgd: {learning_rate: 1000000}}')
        .replace('categorical_crossentropy', 'mse')
        .replace('epochs: 2', 'epochs: 5'),
    );
    const out = await trainRun(config, prepareSplit(mnist, config.data, config.seed), kernels);
    expect(out.status).toBe('diverged');
    expect(out.diverged_epoch).toBe(out.history.length);
    expect(out.history[out.history.length - 1]!.loss).toBeNull();
  });
});

describe('trainRun: a small CNN, augmentation and the checkpoint callback', () => {
  const cnn = [
    '    - conv2d: {filters: 4, kernel_size: 3, padding: same, activation: relu}',
    '    - max_pool2d: {pool_size: 2}',
    '    - dropout: {rate: 0.2}',
    '    - flatten: {}',
    '    - dense: {units: 10, activation: softmax}',
  ].join('\n');

  it('trains a CNN on wasm and saves the best epoch as a loadable tfjs model that reproduces its validation accuracy', async () => {
    const text = spec(cnn, ', samples: 600').replace('epochs: 2', 'epochs: 4\n  callbacks: {checkpoint: {monitor: val_accuracy}}');
    const config = configOf(text);
    const split = prepareSplit(mnist, config.data, config.seed);
    const out = await trainRun(config, split, kernels);
    expect(out.status).toBe('ok');
    const accuracies = out.history.map((r) => r.val_accuracy!);
    const best = accuracies.indexOf(Math.max(...accuracies)) + 1;
    expect(out.callbacks.checkpoint_epoch).toBe(best);
    expect(out.checkpoint!.epoch).toBe(best);
    const topology = JSON.parse(out.checkpoint!.modelJson);
    expect(topology.format).toBe('layers-model');
    expect(out.checkpoint!.modelJson).not.toContain('NnlabSeededDropout');
    const model = await loadCheckpoint(out.checkpoint!.modelJson, out.checkpoint!.weights);
    const x = tf.tensor(split.validation.x, [split.validation.labels.length, 28, 28, 1]);
    const predicted = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, -1).dataSync());
    const correct = predicted.filter((p, i) => p === split.validation.labels[i]).length;
    expect(correct / split.validation.labels.length).toBeCloseTo(accuracies[best - 1]!, 5);
    x.dispose();
    // The files do not depend on what the process built before (tfjs numbers its models sequential_1, _2, …).
    expect(topology.modelTopology.config.name).toBe('sequential');
    expect((await trainRun(config, split, kernels)).checkpoint!.modelJson).toBe(out.checkpoint!.modelJson);
    model.dispose();
  });

  it('augments the training images per epoch, reproducibly, and not when disabled', async () => {
    const aug = ', samples: 300, augmentation: {rotation: 10, width_shift: 0.1, height_shift: 0.1, zoom: 0.1}';
    const config = configOf(spec(cnn, aug));
    const off = configOf(spec(cnn, aug.replace('{rotation', '{enabled: false, rotation')));
    const plain = configOf(spec(cnn, ', samples: 300'));
    const split = prepareSplit(mnist, config.data, config.seed);
    const a = await trainRun(config, split, kernels);
    expect((await trainRun(config, split, kernels)).history).toEqual(a.history);
    const withoutAugmentation = await trainRun(plain, split, kernels);
    expect(a.history).not.toEqual(withoutAugmentation.history);
    expect((await trainRun(off, split, kernels)).history).toEqual(withoutAugmentation.history);
    // The validation split is never augmented: only the training loss pays for the harder images.
    expect(a.history[0]!.loss!).toBeGreaterThan(withoutAugmentation.history[0]!.loss!);
  });
});

describe('originalUnitErrors', () => {
  it('undoes the target scaling before measuring the error', () => {
    // Targets standardized with mean 1000 and std 500: a 0.1 error in scaled units is 50 in metres.
    const scaler = { mode: 'standardize' as const, offset: Float32Array.of(1000), factor: Float32Array.of(1 / 500) };
    const errors = originalUnitErrors([0.1, -0.2], [0, 0], scaler);
    expect(errors.mae).toBeCloseTo(75, 3);
    expect(errors.mse).toBeCloseTo((50 ** 2 + 100 ** 2) / 2, 1);
    expect(originalUnitErrors([3, 5], [1, 1])).toEqual({ mae: 3, mse: 10 });
  });
});

describe('trainRun with an activity regularizer', () => {
  it('adds the output penalty to the loss, releases its tensors, and saves a checkpoint without the penalty layer', async () => {
    const layers = (activity: string) =>
      `    - flatten: {}\n    - dense: {units: 16, activation: relu${activity}}\n    - dense: {units: 10, activation: softmax}`;
    const withPenalty = configOf(
      spec(layers(', activity_regularizer: {l1: 0.01}'), ', samples: 300').replace('epochs: 2', 'epochs: 2\n  callbacks: {checkpoint: {}}'),
    );
    const without = configOf(spec(layers(''), ', samples: 300'));
    const split = prepareSplit(mnist, withPenalty.data, withPenalty.seed);
    const before = tf.memory().numTensors;
    const a = await trainRun(withPenalty, split, kernels);
    expect(tf.memory().numTensors).toBe(before);
    const b = await trainRun(without, split, kernels);
    expect(a.history[0]!.loss!).toBeGreaterThan(b.history[0]!.loss!);
    expect(a.checkpoint!.modelJson).not.toContain('NnlabActivityPenalty');
    const model = await loadCheckpoint(a.checkpoint!.modelJson, a.checkpoint!.weights);
    expect(model.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Flatten', 'Dense', 'Dense']);
    model.dispose();
  });
});
