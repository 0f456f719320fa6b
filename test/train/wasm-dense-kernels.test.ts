import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { activeDenseKernels, selectBackend } from '../../src/train/backend.js';
import type { DenseKernels } from '../../src/train/dense/dense-kernels.js';
import { createDenseOptimizer } from '../../src/train/dense/dense-optimizer.js';
import { loadSimdKernels } from '../../src/train/kernels/simd-kernels.js';
import { seededValues } from '../helpers/seeded-values.js';

/**
 * nnlab's WebAssembly SIMD kernels as the dense engine calls them (the matrix product's blocking
 * edges are in fast-kernels.test.ts): operands in the module's memory, which grows under arrays
 * already handed out, and Adam with tfjs' own float32 arithmetic.
 */
let kernels: DenseKernels;
beforeAll(async () => {
  await selectBackend('wasm', { native: false });
  kernels = activeDenseKernels()!;
  expect(kernels.name).toBe('WebAssembly (SIMD)');
});

function reference(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[i * n + j] += a[i * k + p]! * b[p * n + j]!;
  return c;
}

describe('the WebAssembly SIMD dense kernels', () => {
  it('keep arrays allocated before the memory grew valid, and multiply them in place', () => {
    const simd = loadSimdKernels();
    if (!('gemm' in simd)) throw new Error(simd.unavailable);
    const m = 3, k = 50, n = 20;
    const a = kernels.alloc(m * k);
    a.set(seededValues([m, k], 1, 'a'));
    const before = simd.heap.memory.buffer.byteLength;
    // 48 MiB: more than the memory holds, so it grows under `a`.
    const big = kernels.alloc(12 << 20);
    expect(simd.heap.memory.buffer.byteLength).toBeGreaterThan(before);
    big.fill(1);
    const b = kernels.alloc(k * n);
    b.set(seededValues([k, n], 2, 'b'));
    const c = kernels.alloc(m * n);
    kernels.gemm(a, b, c, m, n, k, false, false, false);
    const want = reference(a, b, m, n, k);
    c.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));
  });

  it('give every array back on dispose, and hand out zeroed ones after', () => {
    const simd = loadSimdKernels();
    if (!('gemm' in simd)) throw new Error(simd.unavailable);
    const own = activeDenseKernels()!;
    const free = simd.heap.freeBytes;
    const arrays = [1, 1000, 65536, 7].map((n) => own.alloc(n).fill(3));
    expect(simd.heap.freeBytes).toBeLessThan(free);
    own.dispose();
    expect(simd.heap.freeBytes).toBe(free);
    const again = activeDenseKernels()!;
    expect(again.alloc(arrays[2]!.length).every((v) => v === 0)).toBe(true);
    again.dispose();
  });

  it("update with Adam to the same bits as tfjs' own Adam (float32, op by op)", async () => {
    const n = 1003; // not a multiple of 4: the scalar tail too
    const w0 = seededValues([n], 3, 'w');
    const grads = [1, 2, 3].map((s) => seededValues([n], s, 'g').map((g) => g * 0.01 * s));
    const spec = { type: 'adam' as const, learning_rate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const value = kernels.alloc(n);
    value.set(w0);
    const grad = kernels.alloc(n);
    const optimizer = createDenseOptimizer(spec, kernels);
    for (const g of grads) {
      grad.set(g);
      optimizer.step([{ value, grad }]);
    }
    // tfjs' Adam on its cpu backend: every op rounds to float32.
    await selectBackend('cpu');
    const variable = tf.variable(tf.tensor1d(w0));
    const adam = tf.train.adam(spec.learning_rate, spec.beta1, spec.beta2, spec.epsilon);
    for (const g of grads) adam.applyGradients({ [variable.name]: tf.tensor1d(g) });
    const expected = variable.dataSync();
    await selectBackend('wasm', { native: false });
    expect(Array.from(value)).toEqual(Array.from(expected));
  });
});
