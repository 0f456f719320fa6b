import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { replaceKernel, type KernelArgs, type KernelResult } from './replace-kernel.js';

import type { NativeAdamKernel } from './native-adam.js';
import type { RowKernels } from '../dense/row-kernels.js';
import type { MapKernels } from '../dense/map-kernels.js';

/** The native addon (native/blas-addon.c documents each function). */
/** C = op(A)·op(B) (+ C) on Float32Arrays: A m×k, B k×n (as stored before transposition). */
export type ArrayGemm = (
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
) => void;
/** tfjs' Adam update of w in place, with its moments m and v; accBeta1/2 are β1^t and β2^t. */
export type ArrayAdam = (
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  lr: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  accBeta1: number,
  accBeta2: number,
) => void;

export interface NativeBlas extends NativeAdamKernel, RowKernels, MapKernels {
  sgemm(
    heap: ArrayBuffer,
    aOff: number,
    bOff: number,
    cOff: number,
    batch: number,
    strideA: number,
    strideB: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    biasOff: number,
    biasSize: number,
    relu: boolean,
  ): void;
  gemm: ArrayGemm;
  gemmOwn: ArrayGemm;
  adamArrays: ArrayAdam;
  /** True when gemm (and sgemm) are the system BLAS's; false when the addon was built with nnlab's own. */
  blas: boolean;
}

/** The parts of tfjs' wasm backend this kernel reads: its heap and where each tensor lives in it. */
interface WasmBackendInternals {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number | null } | undefined };
  makeOutput(shape: number[], dtype: string): TensorInfo;
}
type TensorInfo = { dataId: object; shape: number[]; dtype: string };

import { NATIVE_ADDON_PATH as ADDON } from './addon-path.js';

/** The native addon built at install time, or why it is not there. */
export function loadNativeBlas(): NativeBlas | { unavailable: string } {
  if (!existsSync(ADDON)) return { unavailable: 'not built at install (needs a C compiler)' };
  try {
    return createRequire(import.meta.url)(ADDON) as NativeBlas;
  } catch (err) {
    return { unavailable: `did not load (${(err as Error).message.split('\n')[0]})` };
  }
}

/**
 * Replace the wasm backend's BatchMatMul and _FusedMatMul (bias + linear/relu) with BLAS sgemm
 * working directly on the wasm heap. Inputs the native path does not cover (other dtypes or
 * activations, broadcast batches, empty tensors) go to the kernel registered before.
 */
export function installNativeMatMul(blas: NativeBlas, backendName = 'wasm'): void {
  for (const kernelName of ['BatchMatMul', '_FusedMatMul']) {
    replaceKernel(kernelName, backendName, (previous) => (args: KernelArgs) => (nativeMatMul(blas, args) as KernelResult | undefined) ?? previous(args));
  }
}

function nativeMatMul(blas: NativeBlas, args: KernelArgs): TensorInfo | undefined {
  const backend = args.backend as unknown as WasmBackendInternals;
  const { a, b, bias, preluActivationWeights } = args.inputs as unknown as Record<string, TensorInfo | undefined>;
  const attrs = args.attrs as { transposeA: boolean; transposeB: boolean; activation?: string };
  const activation = attrs.activation ?? 'linear';
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32' || preluActivationWeights) return undefined;
  if (activation !== 'linear' && activation !== 'relu') return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return undefined;
  const m = attrs.transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = attrs.transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = attrs.transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = attrs.transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const batchA = a.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const batchB = b.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  if (k !== kb || m * n * k === 0) return undefined;
  // Only same-rank batches or one broadcast matrix; tfjs' general broadcasting stays with tfjs.
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  if (ra !== rb && batchA !== 1 && batchB !== 1) return undefined;
  const biasSize = bias ? bias.shape.reduce((p, d) => p * d, 1) : 0;
  if (bias && (bias.dtype !== 'float32' || (biasSize !== 1 && biasSize !== n) || (bias.shape.length > 1 && bias.shape.slice(0, -1).some((d) => d !== 1))))
    return undefined;
  const batch = Math.max(batchA, batchB);
  const outer = (batchA >= batchB ? a : b).shape.slice(0, -2);
  const out = backend.makeOutput([...outer, m, n], 'float32');
  const offset = (t: TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset!;
  // Read the heap only after makeOutput: allocation may grow (and replace) the wasm memory.
  blas.sgemm(
    backend.wasm.HEAPU8.buffer as ArrayBuffer,
    offset(a),
    offset(b),
    offset(out),
    batch,
    batchA === 1 ? 0 : m * k,
    batchB === 1 ? 0 : k * n,
    m,
    n,
    k,
    attrs.transposeA,
    attrs.transposeB,
    bias ? offset(bias) : -1,
    biasSize,
    activation === 'relu',
  );
  return out;
}
