import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type KernelSet } from '../../src/train/backend.js';
import type { DenseKernels } from '../../src/train/dense/dense-kernels.js';
import { loadSimdKernels } from '../../src/train/kernels/simd-kernels.js';
import { ADAM_STEPS, denseAdamWeights, tfjsAdamWeights } from '../helpers/adam-steps.js';
import { float32GemmInOrder, referenceGemm } from '../helpers/reference-gemm.js';
import { bitDifferences, mostlyZeros, seededValues } from '../helpers/seeded-values.js';

/**
 * nnlab's WebAssembly SIMD kernels as the dense engine calls them (the matrix product's blocking
 * edges are in fast-kernels.test.ts): operands in the module's memory, which grows under arrays
 * already handed out, and Adam with tfjs' own float32 arithmetic.
 */
let kernels: DenseKernels;
let kernelSet: KernelSet;
beforeAll(async () => {
  kernelSet = (await selectBackend('wasm', { native: false })).kernelSet;
  kernels = kernelSet.dense!();
  expect(kernels.name).toBe('WebAssembly (SIMD)');
});

describe('the WebAssembly SIMD dense kernels', () => {
  // Steps where a panel of A is all zero are left out (when B is finite): the bits must not move.
  const sparseShapes = [
    { m: 64, n: 100, k: 784 },
    { m: 784, n: 1030, k: 64 },
    { m: 13, n: 9, k: 300 },
    { m: 3, n: 520, k: 33 },
  ];
  it.each(sparseShapes.flatMap((s) => [false, true].flatMap((ta) => [false, true].map((tb) => ({ ...s, ta, tb, acc: ta !== tb })))))(
    'multiply to the bits of their summation order, zero steps left out or not: $m×$n×$k tA=$ta tB=$tb accumulate=$acc',
    ({ m, n, k, ta, tb, acc }) => {
      const own = kernelSet.dense!();
      const dense = seededValues([m, k], m + k, 'dense');
      const sparse = mostlyZeros(m, k, m * k);
      for (const a of [dense, sparse]) {
        const b = seededValues([k, n], n, 'b');
        const c0 = seededValues([m, n], 1, 'c').map((v, i) => (i % 11 === 0 ? -0 : v));
        const [ha, hb, hc] = [own.alloc(m * k), own.alloc(k * n), own.alloc(m * n)];
        ha.set(a);
        hb.set(b);
        hc.set(c0);
        own.gemm(ha, hb, hc, m, n, k, ta, tb, acc);
        expect(bitDifferences(hc, float32GemmInOrder(a, b, c0, m, n, k, ta, tb, acc))).toEqual([]);
        // An infinite B where A is zero makes NaN (0·∞): such a block is multiplied in full.
        hb[0] = Infinity;
        hb[hb.length - 1] = -Infinity;
        // And one in column 12 (the second of two B panels packed together), mid-way down.
        const [row, col] = [Math.floor(k / 2), Math.min(12, n - 1)];
        hb[tb ? col * k + row : row * n + col] = Infinity;
        hc.set(c0);
        own.gemm(ha, hb, hc, m, n, k, ta, tb, acc);
        const want = float32GemmInOrder(a, hb, c0, m, n, k, ta, tb, acc);
        if (a === sparse) expect(want.some(Number.isNaN)).toBe(true);
        expect(bitDifferences(hc, want)).toEqual([]);
      }
      own.dispose();
    },
  );

  it('keep arrays allocated before the memory grew valid, and multiply them in place', () => {
    const simd = loadSimdKernels();
    if (!('gemm' in simd)) throw new Error(simd.unavailable);
    const m = 3,
      k = 50,
      n = 20;
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
    const want = referenceGemm(a, b, null, m, n, k);
    c.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));
  });

  it('give every array back on dispose, and hand out zeroed ones after', () => {
    const simd = loadSimdKernels();
    if (!('gemm' in simd)) throw new Error(simd.unavailable);
    const own = kernelSet.dense!();
    const free = simd.heap.freeBytes;
    const arrays = [1, 1000, 65536, 7].map((n) => own.alloc(n).fill(3));
    expect(simd.heap.freeBytes).toBeLessThan(free);
    own.dispose();
    expect(simd.heap.freeBytes).toBe(free);
    const again = kernelSet.dense!();
    expect(again.alloc(arrays[2]!.length).every((v) => v === 0)).toBe(true);
    again.dispose();
  });

  it("update with Adam to the same bits as tfjs' own Adam (float32, op by op), before and after 1 − β1^t rounds to 1", async () => {
    expect(Math.fround(1 - Math.fround(0.9) ** ADAM_STEPS)).toBe(1);
    const weights = denseAdamWeights(kernels);
    await selectBackend('cpu');
    const expected = tfjsAdamWeights();
    await selectBackend('wasm', { native: false });
    expect(Array.from(weights)).toEqual(Array.from(expected));
  });
});
