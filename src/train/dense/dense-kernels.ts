import type { NativeBlas } from '../kernels/native-matmul.js';
import { jsRowKernels, type RowKernels } from './row-kernels.js';

/**
 * The matrix product (and, natively, the fused Adam update) the dense engine runs on: nnlab's
 * native kernels (the system BLAS, or nnlab's own GEMM), or tfjs' WebAssembly XNNPACK kernel.
 * Operands are row-major Float32Arrays; op(A) is m×k, op(B) k×n; C = op(A)·op(B) (+ C).
 */
export interface DenseKernels {
  name: string;
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void;
  adam?(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, lr: number, beta1: number, beta2: number, epsilon: number, accBeta1: number, accBeta2: number): void;
  /** Bias, relu and batch norm passes. */
  rows: RowKernels;
  dispose(): void;
}

/** The native kernels: BLAS where the addon was built with it (unless `own`), else nnlab's GEMM. */
export function nativeDenseKernels(addon: NativeBlas, own: boolean): DenseKernels {
  const gemm = own || !addon.blas ? addon.gemmOwn : addon.gemm;
  return {
    name: own || !addon.blas ? "native (nnlab's own GEMM)" : 'native (system BLAS)',
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

/** The parts of tfjs' wasm backend this reads: its heap, tensor registry and the compiled BatchMatMul. */
interface WasmBackendInternals {
  wasm: { HEAPF32: Float32Array; cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void };
  makeOutput(shape: number[], dtype: string): { dataId: object };
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
  disposeData(dataId: object): void;
}

/**
 * tfjs' WebAssembly matrix product (XNNPACK) for the dense engine. The operands are copied onto the
 * wasm heap — transposed where the product wants them so, as XNNPACK is many times slower on
 * transposed operands — multiplied, and the result copied back. tfjs caches XNNPACK's packed weights
 * by the tensor holding B, so every product gets tensors of its own, released after it.
 */
export function wasmDenseKernels(backend: WasmBackendInternals): DenseKernels {
  const batchMatMul = backend.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']);
  const shape = (...dims: number[]) => new Uint8Array(new Int32Array(dims).buffer);
  return {
    name: 'WebAssembly (XNNPACK)',
    gemm(a, b, c, m, n, k, ta, tb, acc) {
      const tensors = [m * k, k * n, m * n].map((size) => backend.makeOutput([size], 'float32').dataId);
      try {
        // Growing the wasm memory (an allocation, or XNNPACK's own inside the product) detaches
        // the heap's buffer: take a fresh view after each step that may allocate.
        const [ia, ib, ic] = tensors.map((id) => backend.dataIdMap.get(id)!);
        copyInto(backend.wasm.HEAPF32, ia!.memoryOffset / 4, a, m, k, ta);
        copyInto(backend.wasm.HEAPF32, ib!.memoryOffset / 4, b, k, n, tb);
        batchMatMul(ia!.id, shape(1, m, k), 3, ib!.id, shape(1, k, n), 3, 0, 0, ic!.id);
        const out = backend.wasm.HEAPF32.subarray(ic!.memoryOffset / 4, ic!.memoryOffset / 4 + m * n);
        if (acc) for (let i = 0; i < m * n; i++) c[i] = c[i]! + out[i]!;
        else c.set(out);
      } finally {
        for (const id of tensors) backend.disposeData(id);
      }
    },
    rows: jsRowKernels,
    dispose() {},
  };
}

/** Write the rows×cols matrix op(src) at `offset` of `heap`, reading src transposed when `trans`. */
function copyInto(heap: Float32Array, offset: number, src: Float32Array, rows: number, cols: number, trans: boolean): void {
  if (!trans) {
    heap.set(src.subarray(0, rows * cols), offset);
    return;
  }
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) heap[offset + r * cols + c] = src[c * rows + r]!;
}
