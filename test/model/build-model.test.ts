import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build-model.js';
import { inferShapes } from '../../src/model/shapes.js';
import { SeededDropout } from '../../src/model/seeded-dropout.js';
import { addActivityPenalties } from '../../src/model/activity-penalty.js';
import { createRng } from '../../src/shared/rng.js';
import type { LayerSpec, ModelSpec } from '../../src/spec/schema.js';
import { selectBackend } from '../../src/train/backend.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const layers = (bn: boolean): LayerSpec[] => [
  { type: 'flatten', enabled: true },
  {
    type: 'dense',
    enabled: true,
    units: 8,
    activation: 'linear',
    use_bias: true,
    trainable: true,
    kernel_initializer: 'glorot_uniform',
    bias_initializer: 'zeros',
  },
  { type: 'batch_norm', enabled: bn, momentum: 0.99, epsilon: 0.001, trainable: true },
  { type: 'activation', enabled: true, activation: 'relu' },
  {
    type: 'dense',
    enabled: true,
    units: 3,
    activation: 'softmax',
    use_bias: true,
    trainable: true,
    kernel_initializer: 'he_normal',
    bias_initializer: 'zeros',
  },
];
const model = (bn: boolean, seed: number) => buildModel({ input_shape: [2, 2, 1], layers: layers(bn) } satisfies ModelSpec, seed);
const kernels = (m: tf.LayersModel) => m.layers.filter((l) => l.name.startsWith('dense')).map((l) => Array.from(l.getWeights()[0]!.dataSync()));

describe('buildModel', () => {
  it('gives the layers two variants share identical initial weights (paired comparisons)', () => {
    expect(kernels(model(true, 3))).toEqual(kernels(model(false, 3)));
  });

  it('draws other weights for another seed, and the same for the same seed', () => {
    expect(kernels(model(false, 3))).toEqual(kernels(model(false, 3)));
    expect(kernels(model(false, 3))[0]).not.toEqual(kernels(model(false, 4))[0]);
  });

  it('leaves disabled layers out', () => {
    expect(model(false, 1).layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Flatten', 'Dense', 'Activation', 'Dense']);
    expect(model(true, 1).layers.map((l) => l.getClassName())).toContain('BatchNormalization');
  });
});

describe('SeededDropout', () => {
  it('draws a new mask at every training step, reproducibly, and is the identity at inference', () => {
    const x = tf.ones([4, 50]);
    const masks = (seed: number) => {
      const layer = new SeededDropout(0.5, createRng(seed, 'dropout/layer-0'), 'd');
      return [0, 1].map(() => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync()));
    };
    const [first, second] = masks(1);
    expect(first).not.toEqual(second);
    expect(masks(1)).toEqual([first, second]);
    expect(new Set(first)).toEqual(new Set([0, 2]));
    const layer = new SeededDropout(0.5, createRng(1, 'x'), 'd2');
    expect(Array.from((layer.apply(x, { training: false }) as tf.Tensor).dataSync())).toEqual(Array(200).fill(1));
  });
});

describe('regularizers', () => {
  it.each([
    { name: 'l2', reg: { l2: 0.01 }, expected: (w: number[]) => 0.01 * w.reduce((s, x) => s + x * x, 0) },
    { name: 'l1', reg: { l1: 0.001 }, expected: (w: number[]) => 0.001 * w.reduce((s, x) => s + Math.abs(x), 0) },
    { name: 'l1_l2', reg: { l1_l2: { l1: 0.001, l2: 0.01 } }, expected: (w: number[]) => w.reduce((s, x) => s + 0.001 * Math.abs(x) + 0.01 * x * x, 0) },
  ])('$name adds its penalty on the kernel to the model losses', ({ reg, expected }) => {
    const m = buildModel(
      {
        input_shape: [3],
        layers: [
          {
            type: 'dense',
            enabled: true,
            units: 4,
            activation: 'linear',
            use_bias: true,
            trainable: true,
            kernel_initializer: 'glorot_uniform',
            bias_initializer: 'zeros',
            kernel_regularizer: reg,
          } as LayerSpec,
        ],
      },
      1,
    );
    const kernel = Array.from(m.layers[1]!.getWeights()[0]!.dataSync());
    // tfjs collects a model's layer losses once it has been applied (the training step always has).
    tf.tidy(() => m.apply(tf.ones([1, 3])));
    const penalty = tf.tidy(() => m.calculateLosses().reduce((a, l) => a + l.dataSync()[0]!, 0));
    expect(penalty).toBeCloseTo(expected(kernel), 6);
  });
});

describe('conv and pooling layers', () => {
  const conv = (filters: number, kernel_size: number | [number, number], strides: number | [number, number], padding: 'same' | 'valid'): LayerSpec =>
    ({
      type: 'conv2d',
      enabled: true,
      filters,
      kernel_size,
      strides,
      padding,
      activation: 'relu',
      use_bias: true,
      trainable: true,
      kernel_initializer: 'glorot_uniform',
      bias_initializer: 'zeros',
    }) as LayerSpec;
  const pool = (type: 'max_pool2d' | 'average_pool2d', pool_size: number, padding: 'same' | 'valid', strides?: number): LayerSpec =>
    ({ type, enabled: true, pool_size, padding, ...(strides ? { strides } : {}) }) as LayerSpec;
  const stacks: Array<{ name: string; input: number[]; layers: LayerSpec[] }> = [
    {
      name: 'same conv, max pool, valid conv, average pool',
      input: [28, 28, 1],
      layers: [
        conv(4, 3, 1, 'same'),
        pool('max_pool2d', 2, 'valid'),
        conv(6, [3, 2], 2, 'valid'),
        pool('average_pool2d', 2, 'same'),
        { type: 'flatten', enabled: true },
        dense(10),
      ],
    },
    {
      name: 'strided conv and global average pooling',
      input: [9, 7, 3],
      layers: [conv(5, 3, [2, 1], 'same'), pool('max_pool2d', 3, 'same', 1), { type: 'global_average_pool2d', enabled: true }, dense(2)],
    },
  ];
  function dense(units: number): LayerSpec {
    return {
      type: 'dense',
      enabled: true,
      units,
      activation: 'softmax',
      use_bias: true,
      trainable: true,
      kernel_initializer: 'glorot_uniform',
      bias_initializer: 'zeros',
    };
  }

  it.each(stacks)('the pre-flight shapes and parameter counts match the built model: $name', ({ input, layers: stack }) => {
    const built = buildModel({ input_shape: input, layers: stack } satisfies ModelSpec, 1);
    const inferred = inferShapes(input, stack);
    expect(inferred.error).toBeUndefined();
    expect(inferred.parameters).toBe(built.countParams());
    expect(inferred.outputShape).toEqual(built.outputs[0]!.shape.slice(1));
    for (const [i, layer] of built.layers.slice(1).entries()) expect(layer.outputShape.slice(1)).toEqual(inferShapes(input, stack.slice(0, i + 1)).outputShape);
  });

  it('says which layer a kernel does not fit, before building anything', () => {
    const r = inferShapes([5, 5, 1], [conv(2, 3, 1, 'valid'), conv(2, 5, 1, 'valid')]);
    expect(r.error).toEqual({ layerIndex: 1, message: 'a 5×5 kernel does not fit its 3×3 input; use a smaller kernel_size or padding: same' });
  });
});

describe('activity regularizers', () => {
  const dense = (activity?: Record<string, unknown>): LayerSpec =>
    ({
      type: 'dense',
      enabled: true,
      units: 2,
      activation: 'relu',
      use_bias: false,
      trainable: true,
      kernel_initializer: 'ones',
      bias_initializer: 'zeros',
      ...(activity ? { activity_regularizer: activity } : {}),
    }) as LayerSpec;

  it('add the penalty of the layer output, per sample as in Keras, to the loss of the same pass', () => {
    const model = buildModel({ input_shape: [3], layers: [dense({ l2: 0.5 }), dense({ l1: 0.25 })] } satisfies ModelSpec, 1);
    const penalty = tf.tidy(() => {
      model.apply(
        tf.tensor2d([
          [1, 2, 3],
          [0, 1, 0],
        ]),
        { training: true },
      );
      return addActivityPenalties(model, tf.scalar(0)).dataSync()[0]!;
    });
    // First layer outputs [6, 6] and [1, 1]; the second [12, 12] and [2, 2]. Two samples.
    const l2 = (0.5 * (36 + 36 + 1 + 1)) / 2;
    const l1 = (0.25 * (12 + 12 + 2 + 2)) / 2;
    expect(penalty).toBeCloseTo(l2 + l1, 4);
    expect(model.countParams()).toBe(3 * 2 + 2 * 2);
    model.dispose();
  });

  it('leave no trace without a regularizer', () => {
    const model = buildModel({ input_shape: [3], layers: [dense(), dense()] } satisfies ModelSpec, 1);
    expect(model.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Dense', 'Dense']);
    model.dispose();
  });
});
