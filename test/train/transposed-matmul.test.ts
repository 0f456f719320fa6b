import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/train/backend.js';
import { createRng } from '../../src/shared/rng.js';

/** Run `fn` on a backend and return the result's values. */
async function on(backend: string, fn: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const t = fn();
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}
const random = (shape: number[], seed: number) => {
  const rng = createRng(seed, 'matmul-test');
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1);
  return () => tf.tensor(values, shape);
};
const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

beforeAll(async () => {
  await selectBackend('cpu'); // silences the cpu backend's banner once
  await selectBackend('wasm'); // installs the fix
});

describe('wasm matmul with the transposed-operand fix', () => {
  const shapes = [
    { m: 64, k: 784, n: 33 },
    { m: 1, k: 5, n: 7 },
    { m: 17, k: 1, n: 9 },
    { m: 128, k: 100, n: 10 },
  ];
  const cases = shapes.flatMap((s) => [false, true].flatMap((ta) => [false, true].map((tb) => ({ ...s, ta, tb }))));

  it.each(cases)('agrees with the stock cpu kernel: $m×$k×$n transposeA=$ta transposeB=$tb', async ({ m, k, n, ta, tb }) => {
    const a = random(ta ? [k, m] : [m, k], m * 7 + k);
    const b = random(tb ? [n, k] : [k, n], n * 13 + k);
    const run = () => tf.tidy(() => tf.matMul(a(), b(), ta, tb));
    const fused = () => tf.tidy(() => tf.fused.matMul({ a: a(), b: b(), transposeA: ta, transposeB: tb, bias: tf.ones([n]), activation: 'relu' }));
    const scale = Math.sqrt(k);
    expect(maxAbsDiff(await on('wasm', run), await on('cpu', run))).toBeLessThan(1e-5 * scale);
    expect(maxAbsDiff(await on('wasm', fused), await on('cpu', fused))).toBeLessThan(1e-5 * scale);
    await tf.setBackend('wasm');
  });

  it('handles batched (rank-3) products', async () => {
    const a = random([3, 4, 5], 1);
    const b = random([3, 6, 5], 2);
    const run = () => tf.tidy(() => tf.matMul(a(), b(), false, true));
    expect(maxAbsDiff(await on('wasm', run), await on('cpu', run))).toBeLessThan(1e-5);
    await tf.setBackend('wasm');
  });
});
