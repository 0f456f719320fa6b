import { beforeAll, describe, expect, it } from 'vitest';
import { activeDenseKernels, selectBackend } from '../../src/train/backend.js';
import type { DenseKernels } from '../../src/train/dense/dense-kernels.js';
import { seededValues } from '../helpers/seeded-values.js';

/**
 * tfjs' WebAssembly product as the dense engine calls it. XNNPACK allocates inside the product
 * (packed weights) and may grow the wasm memory there, which detaches every view of the old heap:
 * a product larger than anything before must still come back right (a 1024-unit layer failed with
 * "Cannot perform Construct on a detached ArrayBuffer" when it read the result through an old view).
 */
let kernels: DenseKernels;
beforeAll(async () => {
  await selectBackend('wasm', { native: false });
  kernels = activeDenseKernels()!;
});

function reference(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[i * n + j] += a[i * k + p]! * b[p * n + j]!;
  return c;
}

describe('the WebAssembly dense kernels', () => {
  it.each([
    { m: 4, k: 64, n: 32 },
    { m: 3, k: 1500, n: 1500 },
    { m: 2, k: 2600, n: 2600 },
  ])('multiply right when the product grows the wasm memory ($m×$k · $k×$n)', ({ m, k, n }) => {
    const a = seededValues([m, k], 1, 'a');
    const b = seededValues([k, n], 2, 'b');
    const c = new Float32Array(m * n);
    kernels.gemm(a, b, c, m, n, k, false, false, false);
    const want = reference(a, b, m, n, k);
    let worst = 0;
    for (let i = 0; i < c.length; i++) worst = Math.max(worst, Math.abs(c[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
    expect(worst).toBeLessThan(1e-4);
  });
});
