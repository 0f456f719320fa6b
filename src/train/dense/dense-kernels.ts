import type { NativeBlas } from '../kernels/native-matmul.js';
import type { SimdKernels } from '../kernels/simd-kernels.js';
import { jsRowKernels, type RowKernels } from './row-kernels.js';

/**
 * The matrix product, fused Adam update and row passes the dense engine runs on: nnlab's native
 * kernels (the system BLAS, or nnlab's own GEMM) or its WebAssembly SIMD ones. Operands are
 * row-major Float32Arrays; op(A) is m×k, op(B) k×n; C = op(A)·op(B) (+ C). The engine allocates its
 * buffers with `alloc`, which puts them where the kernels read them without a copy.
 */
export interface DenseKernels {
  name: string;
  /** A zeroed array of `length` floats, valid until `dispose`. */
  alloc(length: number): Float32Array;
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void;
  adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, lr: number, beta1: number, beta2: number, epsilon: number, accBeta1: number, accBeta2: number): void;
  /** Bias, relu and batch norm passes. */
  rows: RowKernels;
  dispose(): void;
}

/** The native kernels: BLAS where the addon was built with it (unless `own`), else nnlab's GEMM. */
export function nativeDenseKernels(addon: NativeBlas, own: boolean): DenseKernels {
  const gemm = own || !addon.blas ? addon.gemmOwn : addon.gemm;
  return {
    name: own || !addon.blas ? "native (nnlab's own GEMM)" : 'native (system BLAS)',
    alloc: (length) => new Float32Array(length),
    gemm: (a, b, c, m, n, k, ta, tb, acc) => gemm(a, b, c, m, n, k, ta, tb, acc),
    adam: (w, g, m, v, lr, b1, b2, eps, a1, a2) => addon.adamArrays(w, g, m, v, lr, b1, b2, eps, a1, a2),
    // An addon built by an older nnlab has no row kernels until `npm install` rebuilds it.
    rows: typeof addon.batchNormTrain === 'function' ? nativeRowKernels(addon) : jsRowKernels,
    dispose: () => {},
  };
}

/** The addon's row kernels: the same interface, the same formulas, in C. */
function nativeRowKernels(addon: NativeBlas): RowKernels {
  const { addBias, sumRows, relu, reluBackward, batchNormTrain, batchNormInfer, batchNormBackward } = addon;
  return { addBias, sumRows, relu, reluBackward, batchNormTrain, batchNormInfer, batchNormBackward };
}

/**
 * nnlab's WebAssembly SIMD kernels (kernels/simd/), for machines without the native ones. Arrays
 * from `alloc` live in the module's memory and are multiplied where they are; any other operand is
 * copied in and out. Every array this hands out goes back to the heap on `dispose`.
 */
export function simdDenseKernels(simd: SimdKernels): DenseKernels {
  const { heap } = simd;
  const owned: Float32Array[] = [];
  /** Byte offsets of the operands on the heap, copying in those that are not (with `finish` to copy results back and free the copies). */
  const place = (arrays: Array<{ array: Float32Array; length: number; output?: boolean }>) => {
    const copies: Array<{ from: Float32Array; to: Float32Array; output: boolean }> = [];
    const offsets = arrays.map(({ array, length, output }) => {
      const offset = heap.offsetOf(array);
      if (offset !== undefined) return offset;
      const to = heap.alloc(length);
      to.set(array.subarray(0, length));
      copies.push({ from: array, to, output: output ?? false });
      return to.byteOffset;
    });
    const finish = () => {
      for (const { from, to, output } of copies) {
        if (output) from.set(to);
        heap.release(to);
      }
    };
    return { offsets, finish };
  };
  return {
    name: 'WebAssembly (SIMD)',
    alloc(length) {
      const array = heap.alloc(length);
      owned.push(array);
      return array;
    },
    gemm(a, b, c, m, n, k, ta, tb, acc) {
      const { offsets, finish } = place([{ array: a, length: m * k }, { array: b, length: k * n }, { array: c, length: m * n, output: true }]);
      try {
        simd.gemm(offsets[0]!, offsets[1]!, offsets[2]!, m, n, k, ta, tb, acc);
      } finally {
        finish();
      }
    },
    adam(w, g, m, v, lr, beta1, beta2, epsilon, accBeta1, accBeta2) {
      const n = w.length;
      const { offsets, finish } = place([{ array: w, length: n, output: true }, { array: g, length: n }, { array: m, length: n, output: true }, { array: v, length: n, output: true }]);
      try {
        simd.adam(offsets[0]!, offsets[1]!, offsets[2]!, offsets[3]!, n, lr, beta1, beta2, 1 - beta1, 1 - beta2, epsilon, 1 - accBeta1, 1 - accBeta2);
      } finally {
        finish();
      }
    },
    rows: jsRowKernels,
    dispose() {
      for (const array of owned.splice(0)) heap.release(array);
    },
  };
}
