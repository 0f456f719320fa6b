import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/train/backend.js';
import { transposedPatchesInto } from '../../src/train/kernels/conv2d-backprop-filter.js';
import { maxAbsDiff, seededValues } from '../helpers/seeded-values.js';

const values = (shape: number[], seed: number) => seededValues(shape, seed, 'conv-test');

/**
 * The gradient of `fn` at `x` on one backend. A weighted sum of the output (weights from seed
 * `probeSeed`) makes every output position's gradient different.
 */
async function gradientOn(backend: string, fn: (x: tf.Tensor4D) => tf.Tensor, x: Float32Array, shape: number[], probeSeed = 11): Promise<Float32Array> {
  await tf.setBackend(backend);
  const g = tf.tidy(() => {
    const input = tf.tensor4d(x, shape as [number, number, number, number]);
    const probe = (t: tf.Tensor) => tf.sum(tf.mul(t, tf.tensor(values(t.shape, probeSeed), t.shape)));
    return tf.grad((t: tf.Tensor) => probe(fn(t as tf.Tensor4D)))(input);
  });
  const out = g.dataSync().slice() as Float32Array;
  g.dispose();
  return out;
}

describe('transposedPatchesInto', () => {
  it('lays out each filter tap as a row over the output positions, zero in the padding', () => {
    // One 3×3 single-channel image, 2×2 kernel, stride 1, one pixel of padding on top/left.
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const g = {
      batch: 1,
      inHeight: 3,
      inWidth: 3,
      channels: 1,
      outHeight: 3,
      outWidth: 3,
      filterHeight: 2,
      filterWidth: 2,
      strideHeight: 1,
      strideWidth: 1,
      padTop: 1,
      padLeft: 1,
    };
    const out = new Float32Array(4 * 9).fill(NaN);
    transposedPatchesInto(x, g, out);
    const rows = [0, 1, 2, 3].map((r) => Array.from(out.subarray(r * 9, r * 9 + 9)));
    expect(rows[0]).toEqual([0, 0, 0, 0, 1, 2, 0, 4, 5]); // tap (0,0) sees the pixel up-left of each output
    expect(rows[3]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]); // tap (1,1) sees the pixel under each output
  });
});

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
    await selectBackend('wasm');
  });

  /** The gradient with respect to the filter: the kernel nnlab registers on wasm. */
  const filterGradient = (backend: string, x: Float32Array, xShape: number[], f: Float32Array, fShape: number[], strides: number, pad: 'same' | 'valid') =>
    gradientOn(backend, (w) => tf.conv2d(tf.tensor4d(x, xShape as [number, number, number, number]), w, strides, pad), f, fShape, 7);

  it.each([
    { xShape: [2, 7, 6, 3], fShape: [3, 3, 3, 4], strides: 1, pad: 'same' as const },
    { xShape: [3, 8, 8, 2], fShape: [3, 2, 2, 5], strides: 2, pad: 'valid' as const },
    { xShape: [1, 5, 5, 1], fShape: [5, 5, 1, 2], strides: 1, pad: 'valid' as const },
    { xShape: [4, 9, 7, 1], fShape: [2, 3, 1, 3], strides: 2, pad: 'same' as const },
  ])('equals the cpu backend for x $xShape, filter $fShape, stride $strides, $pad', async ({ xShape, fShape, strides, pad }) => {
    const x = values(xShape, 1);
    const f = values(fShape, 2);
    const onCpu = await filterGradient('cpu', x, xShape, f, fShape, strides, pad);
    const onWasm = await filterGradient('wasm', x, xShape, f, fShape, strides, pad);
    expect(onWasm.length).toBe(fShape.reduce((a, b) => a * b, 1));
    expect(maxAbsDiff(onWasm, onCpu)).toBeLessThan(1e-4);
    expect(Math.max(...Array.from(onCpu, Math.abs))).toBeGreaterThan(0.1);
  });

  it('leaves no tensors behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const x = values([2, 6, 6, 2], 3);
    await filterGradient('wasm', x, [2, 6, 6, 2], values([3, 3, 2, 2], 4), [3, 3, 2, 2], 1, 'same');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('MaxPoolGrad and Conv2DBackpropInput on wasm', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
    await selectBackend('wasm');
  });

  it.each([
    { shape: [2, 6, 6, 3], size: 2, stride: 2, pad: 'valid' as const },
    { shape: [1, 7, 5, 2], size: 3, stride: 2, pad: 'same' as const },
    { shape: [3, 5, 5, 1], size: 3, stride: 1, pad: 'valid' as const },
  ])('max pooling gradients equal the cpu backend for $shape, pool $size stride $stride $pad', async ({ shape, size, stride, pad }) => {
    const x = values(shape, 5);
    const pool = (t: tf.Tensor4D) => tf.maxPool(t, size, stride, pad);
    expect(maxAbsDiff(await gradientOn('wasm', pool, x, shape), await gradientOn('cpu', pool, x, shape))).toBeLessThan(1e-6);
  });

  it("uses nnlab's kernels, not the stock ones", () => {
    expect(String(tf.getKernel('MaxPoolGrad', 'wasm')!.kernelFunc)).toContain('maxPoolGradInto');
    expect(String(tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc)).toContain('columnsToImageInto');
  });

  it('routes ties to the first maximum, as the cpu backend does (relu zeros)', async () => {
    const shape = [1, 4, 4, 2];
    const x = values(shape, 6).map((v) => Math.max(0, v));
    const pool = (t: tf.Tensor4D) => tf.maxPool(t, 2, 2, 'valid');
    expect(Array.from(await gradientOn('wasm', pool, x, shape))).toEqual(Array.from(await gradientOn('cpu', pool, x, shape)));
  });

  it.each([
    { shape: [2, 7, 6, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' as const },
    { shape: [3, 8, 8, 2], filter: [3, 2, 2, 5], stride: 2, pad: 'valid' as const },
    { shape: [1, 9, 7, 1], filter: [2, 3, 1, 3], stride: 2, pad: 'same' as const },
  ])('convolution input gradients equal the cpu backend for $shape, filter $filter, stride $stride, $pad', async ({ shape, filter, stride, pad }) => {
    const x = values(shape, 7);
    const w = values(filter, 8);
    const conv = (t: tf.Tensor4D) => tf.conv2d(t, tf.tensor4d(w, filter as [number, number, number, number]), stride, pad);
    expect(maxAbsDiff(await gradientOn('wasm', conv, x, shape), await gradientOn('cpu', conv, x, shape))).toBeLessThan(1e-5);
  });
});
