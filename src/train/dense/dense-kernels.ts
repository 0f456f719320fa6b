import type { ArrayAdam, ArrayGemm, NativeBlas } from '../kernels/native-matmul.js';
import { nativeGemmName } from '../kernel-choice.js';
import type { MapKernels } from './map-kernels.js';
import type { RowKernels } from './row-kernels.js';

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
  gemm: ArrayGemm;
  adam: ArrayAdam;
  /** Bias, relu and batch norm passes. */
  rows: RowKernels;
  /** Convolution windows and pooling over feature maps. */
  maps: MapKernels;
  dispose(): void;
}

/** The native kernels: the system BLAS's GEMM where the addon was built with it (nnlab's for operands whose zeros it skips), unless `own`; else nnlab's. */
export function nativeDenseKernels(addon: NativeBlas, own: boolean): DenseKernels {
  const gemm = own || !addon.blas ? addon.gemmOwn : addon.gemm;
  return {
    name: `native (${nativeGemmName(own || !addon.blas ? 'own' : 'blas', true)})`,
    alloc: (length) => new Float32Array(length),
    gemm: (a, b, c, m, n, k, ta, tb, acc) => gemm(a, b, c, m, n, k, ta, tb, acc),
    adam: (w, g, m, v, lr, b1, b2, eps, a1, a2) => addon.adamArrays(w, g, m, v, lr, b1, b2, eps, a1, a2),
    rows: nativeRowKernels(addon),
    maps: nativeMapKernels(addon),
    dispose: () => {},
  };
}

/** The addon's row kernels: the same interface, the same formulas, in C. */
function nativeRowKernels(addon: NativeBlas): RowKernels {
  const { gatherRows, addBias, sumRows, relu, reluBackward, batchNormTrain, batchNormInfer, batchNormBackward } = addon;
  return { gatherRows, addBias, sumRows, relu, reluBackward, batchNormTrain, batchNormInfer, batchNormBackward };
}

/** The addon's feature-map kernels: the same interface and order of operations, in C. */
function nativeMapKernels(addon: NativeBlas): MapKernels {
  const { im2col, col2im, maxPool, averagePool, scatterAdd, averagePoolBackward } = addon;
  return { im2col, col2im, maxPool, averagePool, scatterAdd, averagePoolBackward };
}
