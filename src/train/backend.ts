import * as tf from '@tensorflow/tfjs';
import { NnlabError } from '../shared/errors.js';
import { installConv2DBackpropFilter } from './kernels/conv2d-backprop-filter.js';
import { installConvPoolGrads } from './kernels/conv-pool-grads.js';
import { installHeapTile } from './kernels/heap-tile.js';
import { installSharedIdentity } from './kernels/shared-identity.js';
import { installNativeMatMul, loadNativeBlas, type NativeBlas } from './kernels/native-matmul.js';
import { installTransposedMatMulFix } from './kernels/transposed-matmul.js';
import { loadSimdKernels, type SimdKernels } from './kernels/simd-kernels.js';
import { nativeDenseKernels, nativeGemmName, type DenseKernels } from './dense/dense-kernels.js';
import { simdDenseKernels } from './dense/simd-dense-kernels.js';

import type { BackendChoice } from './backend-choices.js';
export type { BackendChoice } from './backend-choices.js';

export interface BackendInfo {
  /** The tfjs backend in use: tensorflow, wasm or cpu. */
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** What was tried and why it was (not) used, for the user. */
  detail: string;
  kernels: string;
  tfjsVersion: string;
}

/** Which kernels the wasm backend gets. */
interface KernelOptions {
  /** Keep tfjs' own wasm kernels (the benchmark's baseline). */
  stockKernels?: boolean;
  /** Use the native kernels where built (default true); 'own': with nnlab's own GEMM even where the system BLAS is. */
  native?: boolean | 'own';
  /** Train dense stacks on nnlab's dense engine (default true); false: everything through tfjs-layers. */
  engine?: boolean;
  /** Register the kernels tfjs' wasm backend lacks (the conv filter gradient); off only to test tfjs itself. */
  addedKernels?: boolean;
}

/**
 * Make a backend current. `auto` prefers native TensorFlow (@tensorflow/tfjs-node, optional and often
 * not installable), then WebAssembly, then pure JS, and says what it skipped.
 */
export async function selectBackend(choice: BackendChoice, options: KernelOptions = {}): Promise<BackendInfo> {
  const skipped: string[] = [];
  if (choice === 'auto' || choice === 'tensorflow') {
    const why = await tryTensorflow();
    if (!why) return info('tensorflow', 'native libtensorflow via @tensorflow/tfjs-node', 'tensorflow');
    if (choice === 'tensorflow')
      throw new NnlabError('NNLAB_BACKEND_UNAVAILABLE', `Selecting backend tensorflow failed: ${why}. Use --backend auto to fall back to wasm.`);
    skipped.push(`tensorflow: ${why}`);
  }
  if (choice === 'auto' || choice === 'wasm') {
    const why = await tryWasm();
    if (!why) {
      // Not a speed-up: without it no conv layer can train on wasm, so even the stock set gets it.
      if (options.addedKernels !== false) installConv2DBackpropFilter('wasm');
      // Stock kernels exist only so the benchmark can measure what the fix gains.
      if (options.stockKernels) return info('wasm', 'WebAssembly (SIMD), stock kernels', 'wasm stock');
      const kernels = installWasmKernels(options.native ?? true, options.engine ?? true);
      return info('wasm', ['WebAssembly (SIMD)', kernels.detail, ...skipped.map((s) => `skipped ${s}`)].join('; '), kernels.name);
    }
    if (choice === 'wasm') throw new NnlabError('NNLAB_BACKEND_UNAVAILABLE', `Selecting backend wasm failed: ${why}.`);
    skipped.push(`wasm: ${why}`);
  }
  await withoutTfjsNodeAdvice(() => tf.setBackend('cpu'));
  return info('cpu', ['pure JavaScript (slow)', ...skipped.map((s) => `skipped ${s}`)].join('; '), 'cpu');
}

let wasmKernels: { name: string; detail: string } | undefined;
let nativeBlas: NativeBlas | undefined;
let simdKernels: SimdKernels | undefined;
let ownGemm = false;
let denseEngine = false;

/**
 * nnlab's kernels for the wasm backend, once per process: a heap Tile (batch norm's gradient), an
 * Identity that shares data instead of copying it, the transposed-operand matmul fix, faster max-pool
 * and conv input gradients; where the native addon was built, BLAS matrix products and a fused
 * Adam update, else nnlab's WebAssembly SIMD kernels for the dense engine.
 */
function installWasmKernels(native: boolean | 'own', engine: boolean): { name: string; detail: string } {
  if (wasmKernels) return wasmKernels;
  denseEngine = engine;
  ownGemm = native === 'own';
  installHeapTile('wasm');
  installSharedIdentity('wasm');
  installTransposedMatMulFix('wasm');
  installConvPoolGrads('wasm');
  const blas = native ? loadNativeBlas() : { unavailable: 'off (NNLAB_NATIVE=0)' };
  // Without the dense engine every product is tfjs-layers' sgemm: the BLAS's where linked.
  const gemm = 'sgemm' in blas ? (!engine && blas.blas && !ownGemm ? 'system BLAS' : nativeGemmName(blas, ownGemm)) : undefined;
  const dense = engine ? "dense layer stacks on nnlab's dense engine, others through tfjs-layers" : 'every model through tfjs-layers';
  if ('sgemm' in blas) {
    installNativeMatMul(blas, 'wasm');
    nativeBlas = blas;
    wasmKernels = { name: `wasm + native (${gemm})`, detail: `${dense}; matrix products and Adam by native kernels (${gemm})` };
    return wasmKernels;
  }
  const simd = engine ? loadSimdKernels() : undefined;
  if (simd && 'gemm' in simd) {
    simdKernels = simd;
    wasmKernels = { name: 'wasm + SIMD kernels', detail: `${dense}, on nnlab's WebAssembly SIMD kernels; native kernels ${blas.unavailable}` };
  } else {
    // Without its kernels the dense engine has nothing to run on: tfjs-layers trains everything.
    denseEngine = false;
    const why = simd ? ` (nnlab's WebAssembly SIMD kernels: ${simd.unavailable})` : '';
    wasmKernels = { name: 'wasm (XNNPACK) + transposed-matmul fix', detail: `every model through tfjs-layers${why}; native kernels ${blas.unavailable}` };
  }
  return wasmKernels;
}

/**
 * The kernels the dense engine runs on with the current backend (a fresh set per trainer: it frees
 * what it allocated): the native ones where built, else nnlab's WebAssembly SIMD kernels; none
 * (tfjs-layers trains) on other backends or with the engine off.
 */
export function activeDenseKernels(): DenseKernels | undefined {
  if (!denseEngine || tf.getBackend() !== 'wasm') return undefined;
  if (nativeBlas) return nativeDenseKernels(nativeBlas, ownGemm);
  return simdKernels ? simdDenseKernels(simdKernels) : undefined;
}

/** The native kernels when they are active on the current backend (for the fused Adam). */
export function activeNativeKernels(): NativeBlas | undefined {
  return nativeBlas && tf.getBackend() === 'wasm' ? nativeBlas : undefined;
}

function info(name: BackendInfo['name'], detail: string, kernels: string): BackendInfo {
  return { name, detail, kernels, tfjsVersion: tf.version.tfjs };
}

async function tryTensorflow(): Promise<string | undefined> {
  try {
    // A variable specifier keeps TypeScript from requiring the optional package at build time.
    const specifier = '@tensorflow/tfjs-node';
    await import(specifier);
    if (!(await tf.setBackend('tensorflow'))) return 'the backend did not initialise';
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return '@tensorflow/tfjs-node is not installed';
    return `@tensorflow/tfjs-node did not load (${(err as Error).message.split('\n')[0]})`;
  }
}

async function tryWasm(): Promise<string | undefined> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return 'the backend did not initialise';
    await tf.ready();
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

/** The cpu backend prints a banner recommending tfjs-node on its first tensor; nnlab says this itself. */
async function withoutTfjsNodeAdvice(fn: () => Promise<unknown>): Promise<void> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    await fn();
    tf.tidy(() => tf.scalar(0));
  } finally {
    console.warn = warn;
  }
}
