import { describe, expect, it } from 'vitest';
import { inferShapes } from '../../src/model/shapes.js';
import type { LayerSpec } from '../../src/spec/schema.js';

const dense = (units: number, extra: Partial<LayerSpec> = {}): LayerSpec =>
  ({
    type: 'dense',
    enabled: true,
    units,
    activation: 'linear',
    use_bias: true,
    trainable: true,
    kernel_initializer: 'glorot_uniform',
    bias_initializer: 'zeros',
    ...extra,
  }) as LayerSpec;
const flatten: LayerSpec = { type: 'flatten', enabled: true };
const bn = (enabled: boolean): LayerSpec => ({ type: 'batch_norm', enabled, momentum: 0.99, epsilon: 0.001, trainable: true });

describe('inferShapes', () => {
  it.each([
    {
      name: 'the seed MLP without BN',
      layers: [dense(1, { use_bias: false, trainable: false }), flatten, dense(1024), bn(false), dense(10)],
      out: [10],
      params: 1 + 784 * 1024 + 1024 + 10250,
      trainable: 784 * 1024 + 1024 + 10250,
    },
    {
      name: 'the seed MLP with BN',
      layers: [dense(1, { use_bias: false, trainable: false }), flatten, dense(1024), bn(true), dense(10)],
      out: [10],
      params: 1 + 803840 + 4096 + 10250,
      trainable: 803840 + 2048 + 10250,
    },
    { name: 'dense on the last axis without flatten', layers: [dense(3)], out: [28, 28, 3], params: 6, trainable: 6 },
  ])('$name', ({ layers, out, params, trainable }) => {
    const r = inferShapes([28, 28, 1], layers);
    expect(r.outputShape).toEqual(out);
    expect(r.parameters).toBe(params);
    expect(r.trainableParameters).toBe(trainable);
  });
});
