import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build-model.js';
import { validateSpecText } from '../../src/spec/validate.js';
import type { OptimizerSpec } from '../../src/spec/schema.js';
import type { RunConfig } from '../../src/run/run-chain.js';
import { expandSweep } from '../../src/sweep/expand.js';
import { selectBackend } from '../../src/train/backend.js';
import { lossAndGradient, metricSum } from '../../src/train/dense/dense-loss.js';
import { DenseNetwork } from '../../src/train/dense/dense-network.js';
import { createDenseOptimizer } from '../../src/train/dense/dense-optimizer.js';
import { planDense } from '../../src/train/dense/dense-plan.js';
import type { DenseKernels } from '../../src/train/dense/dense-kernels.js';
import { LOSS_FUNCTIONS } from '../../src/train/losses.js';
import { makeOptimizer } from '../../src/train/optimizers.js';
import { seededValues } from '../helpers/seeded-values.js';

/**
 * The dense engine against tfjs itself: its loss and every parameter's gradient against tfjs'
 * autodiff of the same model (tfjs-layers, cpu backend), its optimizers against tfjs' optimizers.
 * The kernels are the WebAssembly ones (the path every machine has); fast-kernels.test.ts trains
 * whole runs on the native ones.
 */
const BATCH = 6;

function config(layers: string, inputShape: string, loss: string, optimizer = 'adam'): RunConfig {
  const spec = `name: t
data: {dataset: mnist, samples: 100}
model: {input_shape: ${inputShape}, layers: ${layers}}
train: {optimizer: ${optimizer}, loss: ${loss}, batch_size: ${BATCH}, epochs: 1}
`;
  const { value, errors } = validateSpecText(spec, 't.yaml');
  if (!value) throw new Error(errors.map((e) => e.message).join('; '));
  return expandSweep(value).runs[0]!.config;
}

let kernels: DenseKernels;
beforeAll(async () => {
  await selectBackend('cpu');
  kernels = (await selectBackend('wasm', { native: false })).kernelSet.dense!();
  await tf.setBackend('cpu');
});

/** Targets for `loss` with `width` outputs: one-hot rows, class ids, 0/1 values or real values. */
function targets(loss: string, width: number): { y: Float32Array; width: number } {
  const ids = Array.from({ length: BATCH }, (_, i) => (i * 7) % width);
  if (loss === 'categorical_crossentropy')
    return { y: Float32Array.from(ids.flatMap((c) => Array.from({ length: width }, (_, j) => (j === c ? 1 : 0)))), width };
  if (loss === 'sparse_categorical_crossentropy') return { y: Float32Array.from(ids), width: 0 };
  if (loss === 'binary_crossentropy') return { y: Float32Array.from({ length: BATCH * width }, (_, i) => ((i * 5) % 3 === 0 ? 1 : 0)), width };
  return { y: seededValues([BATCH, width], 4, 'targets'), width };
}

const cases = [
  ...['relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hard_sigmoid', 'softplus', 'softsign', 'tanh', 'swish', 'linear'].map((activation) => ({
    name: `hidden ${activation}, batch norm, softmax + categorical cross-entropy`,
    layers: `[{dense: {units: 7}}, {batch_norm: {}}, {activation: ${activation}}, {dense: {units: 4, activation: softmax}}]`,
    input: '[12]',
    loss: 'categorical_crossentropy',
  })),
  {
    name: 'sparse categorical cross-entropy',
    layers: '[{dense: {units: 5, activation: tanh}}, {dense: {units: 3, activation: softmax}}]',
    input: '[12]',
    loss: 'sparse_categorical_crossentropy',
  },
  {
    name: 'sigmoid + binary cross-entropy, two outputs',
    layers: '[{dense: {units: 5, activation: relu}}, {dense: {units: 2, activation: sigmoid}}]',
    input: '[12]',
    loss: 'binary_crossentropy',
  },
  {
    name: 'linear regression output, mse',
    layers: '[{dense: {units: 6, activation: elu}}, {batch_norm: {}}, {dense: {units: 1}}]',
    input: '[12]',
    loss: 'mse',
  },
  { name: 'mae, no bias', layers: '[{dense: {units: 6, activation: softsign, use_bias: false}}, {dense: {units: 2}}]', input: '[12]', loss: 'mae' },
  {
    name: 'a CNN: conv (same, valid, strided), batch norm over channels, max and average pooling, flatten',
    layers:
      '[{conv2d: {filters: 3, kernel_size: 3, padding: same}}, {batch_norm: {}}, {activation: relu}, {max_pool2d: {pool_size: 2}}, {conv2d: {filters: 4, kernel_size: [2, 3], strides: [1, 2], activation: tanh}}, {average_pool2d: {pool_size: 2, padding: same}}, {flatten: {}}, {dense: {units: 3, activation: softmax}}]',
    input: '[9, 10, 2]',
    loss: 'categorical_crossentropy',
  },
  {
    name: 'a CNN with strided same convolution, max pooling over same padding, global average pooling, 1×1 convolution',
    layers:
      '[{conv2d: {filters: 4, kernel_size: 3, strides: 2, padding: same, activation: elu}}, {max_pool2d: {pool_size: 3, strides: 1, padding: same}}, {conv2d: {filters: 5, kernel_size: 1, use_bias: false}}, {global_average_pool2d: {}}, {dense: {units: 2, activation: sigmoid}}]',
    input: '[7, 8, 3]',
    loss: 'binary_crossentropy',
  },
  {
    name: 'weight penalties (l2 on a conv kernel, l1_l2 on a dense kernel, l1 on a bias) in the loss and the gradients',
    layers:
      '[{conv2d: {filters: 2, kernel_size: 3, kernel_regularizer: {l2: 0.01}, bias_regularizer: {l1: 0.02}}}, {flatten: {}}, {dense: {units: 3, activation: softmax, kernel_regularizer: {l1_l2: {l1: 0.001, l2: 0.005}}}}]',
    input: '[5, 5, 1]',
    loss: 'categorical_crossentropy',
  },
  {
    name: 'dense on the last axis of [4, 3] inputs, frozen layer, then flatten',
    layers:
      '[{dense: {units: 2, activation: tanh, trainable: false}}, {dense: {units: 5, activation: relu}}, {batch_norm: {}}, {flatten: {}}, {dense: {units: 3, activation: softmax}}]',
    input: '[4, 3]',
    loss: 'categorical_crossentropy',
  },
];

describe('the dense engine computes what tfjs computes', () => {
  it.each(cases)('loss and gradients: $name', ({ layers, input, loss }) => {
    const run = config(layers, input, loss);
    const plan = planDense(run.model, run.train);
    if ('unsupported' in plan) throw new Error(plan.unsupported);
    const model = buildModel(run.model, 3);
    const inputShape = run.model.input_shape;
    const x = seededValues([BATCH, ...inputShape], 5, 'inputs');
    const t = targets(loss, plan.outputWidth);
    const yShape = t.width === 0 ? [BATCH] : [BATCH, t.width];
    // Keras' loss: the data loss plus the layers' weight penalties (which exist once the model has been applied).
    const { value, grads } = tf.variableGrads(() => {
      const dataLoss = tf.mean(
        LOSS_FUNCTIONS[run.train.loss](tf.tensor(t.y, yShape), model.apply(tf.tensor(x, [BATCH, ...inputShape]), { training: true }) as tf.Tensor),
      ) as tf.Scalar;
      return model.calculateLosses().reduce<tf.Scalar>((acc, l) => tf.add(acc, l), dataLoss);
    });
    const expectedGrads = model.trainableWeights.map((w) => grads[(w as unknown as { val: tf.Variable }).val.name]!.dataSync());

    const network = new DenseNetwork(
      plan,
      kernels,
      model.layers.flatMap((l) => l.getWeights()).map((w) => Float32Array.from(w.dataSync())),
      3,
      BATCH,
    );
    const p = network.forward(x, BATCH, true);
    const dOut = new Float32Array(BATCH * plan.outputWidth);
    const sum = lossAndGradient(run.train.loss, p, t, BATCH, plan.outputWidth, dOut);
    network.backward(dOut, BATCH);

    expect(sum / BATCH + network.penalty()).toBeCloseTo(value.dataSync()[0]!, 5);
    expect(network.params.length).toBe(expectedGrads.length);
    network.params.forEach((param, i) => {
      const expected = expectedGrads[i]!;
      const scale = Math.max(1e-3, ...Array.from(expected, Math.abs));
      param.grad.forEach((g, j) => expect(Math.abs(g - expected[j]!) / scale, `${model.trainableWeights[i]!.name}[${j}]`).toBeLessThan(2e-4));
    });
    tf.dispose([value, ...Object.values(grads)]);
    model.dispose();
  });

  it('inference uses the moving statistics and no dropout; training updates the moving statistics as Keras does', () => {
    const run = config(
      '[{dense: {units: 4}}, {batch_norm: {momentum: 0.9}}, {dropout: {rate: 0.5}}, {dense: {units: 3, activation: softmax}}]',
      '[5]',
      'categorical_crossentropy',
    );
    const plan = planDense(run.model, run.train) as Exclude<ReturnType<typeof planDense>, { unsupported: string }>;
    const model = buildModel(run.model, 1);
    const x = seededValues([BATCH, 5], 2, 'inputs');
    const network = new DenseNetwork(
      plan,
      kernels,
      model.layers.flatMap((l) => l.getWeights()).map((w) => Float32Array.from(w.dataSync())),
      1,
      BATCH,
    );
    const inference = (model.predict(tf.tensor(x, [BATCH, 5])) as tf.Tensor).dataSync();
    Array.from(network.forward(x, BATCH, false).subarray(0, BATCH * 3)).forEach((v, i) => expect(v).toBeCloseTo(inference[i]!, 5));
    network.forward(x, BATCH, true);
    const [, , movingMean] = network.weights.slice(2);
    const z = tf.tidy(() => tf.add(tf.matMul(tf.tensor(x, [BATCH, 5]), model.layers[1]!.getWeights()[0]!), model.layers[1]!.getWeights()[1]!));
    const batchMean = tf.mean(z, 0).dataSync();
    // moving = moving·momentum + batch·(1 − momentum), from 0.
    Array.from(movingMean!).forEach((v, j) => expect(v).toBeCloseTo(0.1 * batchMean[j]!, 6));
    tf.dispose([z]);
    model.dispose();
  });

  it('accuracy counts argmax hits for softmax outputs and thresholds a single sigmoid above 0.5', () => {
    const p = Float32Array.from([0.1, 0.7, 0.2, 0.5, 0.3, 0.2]);
    expect(metricSum('accuracy', 'categorical_crossentropy', p, { y: Float32Array.from([0, 1, 0, 0, 0, 1]), width: 3 }, 2, 3)).toBe(1);
    expect(metricSum('accuracy', 'sparse_categorical_crossentropy', p, { y: Float32Array.from([1, 0]), width: 0 }, 2, 3)).toBe(2);
    expect(metricSum('accuracy', 'binary_crossentropy', Float32Array.from([0.6, 0.4, 0.5]), { y: Float32Array.from([1, 1, 0]), width: 1 }, 3, 1)).toBe(2);
  });
});

describe('the engine plans what it can run and says why not otherwise', () => {
  it.each([
    ['[{dense: {units: 2, activity_regularizer: {l2: 0.01}}}]', '[4]', 'activity regularizers'],
    ['[{dense: {units: 2, activation: gelu}}]', '[4]', 'activation gelu'],
    ['[{conv2d: {filters: 2, kernel_size: 3}}, {flatten: {}}, {dense: {units: 2}}]', '[64]', 'conv2d on an input that is not [height, width, channels]'],
  ])('%s → %s', (layers, input, why) => {
    const run = config(layers, input, 'mse');
    expect(planDense(run.model, run.train)).toEqual({ unsupported: why });
  });

  it("sizes feature maps as Keras does: 'valid' inside the map, 'same' to ceil(size / stride) with the padding's smaller half first", () => {
    // Height 11, stride 2: 6 rows need 2·5 + 3 − 11 = 2 more, 1 before; width 10: 5 columns need 1 more, 0 before.
    const run = config(
      '[{conv2d: {filters: 4, kernel_size: 3, strides: 2, padding: same}}, {max_pool2d: {pool_size: 2}}, {conv2d: {filters: 2, kernel_size: [3, 2]}}, {flatten: {}}, {dense: {units: 2}}]',
      '[11, 10, 1]',
      'mse',
    );
    expect(planDense(run.model, run.train)).toMatchObject({
      ops: [
        { kind: 'conv2d', output: { height: 6, width: 5, channels: 4 }, window: { kh: 3, kw: 3, sh: 2, sw: 2, padTop: 1, padLeft: 0 }, rowsPerSample: 30 },
        { kind: 'max_pool2d', output: { height: 3, width: 2, channels: 4 }, window: { padTop: 0, padLeft: 0 }, rowsPerSample: 6 },
        { kind: 'conv2d', output: { height: 1, width: 1, channels: 2 }, rowsPerSample: 1 },
        { kind: 'dense', inWidth: 2 },
      ],
    });
  });

  it('skips disabled layers and dropout of rate 0, and treats [..., width] inputs as rows', () => {
    const run = config('[{dense: {units: 3}}, {batch_norm: {enabled: false}}, {dropout: {rate: 0}}, {flatten: {}}, {dense: {units: 2}}]', '[4, 5]', 'mse');
    const plan = planDense(run.model, run.train);
    expect(plan).toMatchObject({
      inputWidth: 20,
      outputWidth: 2,
      ops: [
        { kind: 'dense', inWidth: 5, width: 3, rowsPerSample: 4 },
        { kind: 'dense', inWidth: 12, width: 2, rowsPerSample: 1 },
      ],
    });
  });
});

describe("the dense engine's optimizers follow tfjs' update formulas", () => {
  const optimizers = [
    '{adam: {learning_rate: 0.01}}',
    '{sgd: {learning_rate: 0.1}}',
    '{sgd: {learning_rate: 0.05, momentum: 0.9}}',
    '{sgd: {learning_rate: 0.05, momentum: 0.8, nesterov: true}}',
    '{rmsprop: {learning_rate: 0.01, momentum: 0.5}}',
    '{adagrad: {learning_rate: 0.1}}',
  ];
  it.each(optimizers)('%s, five steps', (optimizer) => {
    const spec: OptimizerSpec = config('[{dense: {units: 2}}]', '[3]', 'mse', optimizer).train.optimizer;
    const start = seededValues([10], 1, 'weights');
    const gradients = Array.from({ length: 5 }, (_, i) => seededValues([10], 10 + i, 'grads'));
    const variable = tf.variable(tf.tensor(start), true, `opt-${optimizer}`);
    const reference = makeOptimizer(spec);
    const param = { value: start.slice(), grad: new Float32Array(10) };
    const dense = createDenseOptimizer(spec, kernels);
    for (const g of gradients) {
      reference.applyGradients({ [variable.name]: tf.tensor(g) });
      param.grad.set(g);
      dense.step([param]);
    }
    Array.from(variable.dataSync()).forEach((v, i) => expect(param.value[i]).toBeCloseTo(v, 6));
    reference.dispose();
    variable.dispose();
  });
});
