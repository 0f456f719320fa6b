import * as tf from '@tensorflow/tfjs';
import { NnlabError } from '../shared/errors.js';
import { installConv2DBackpropFilter } from './kernels/conv2d-backprop-filter.js';
import { installConvPoolGrads } from './kernels/conv-pool-grads.js';
import { installHeapTile } from './kernels/heap-tile.js';
import { installSharedIdentity } from './kernels/shared-identity.js';
import { installNativeMatMul, loadNativeBlas, type NativeBlas } from './kernels/native-matmul.js';
import { installTransposedMatMulFix } from './kernels/transposed-matmul.js';
import { loadSimdKernels, type SimdKernels } from './kernels/simd-kernels.js';
import { nativeDenseKernels, type DenseKernels } from './dense/dense-kernels.js';
import { simdDenseKernels } from './dense/simd-dense-kernels.js';
import { chooseKernels, type KernelChoice } from './kernel-choice.js';

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

/** A backend made current: its description, and what trains on it (hand `kernelSet` to trainRun). */
export interface SelectedBackend extends BackendInfo {
  kernelSet: KernelSet;
}

/** The kernels a trainer runs on, as a value: chosen once per process (tfjs registers kernels globally), passed to each run. */
export interface KernelSet {
  choice: KernelChoice;
  /** A fresh set of the dense engine's kernels for one trainer (it frees what it allocated); absent where tfjs-layers trains every model. */
  dense?: () => DenseKernels;
  /** The native addon, whose fused Adam update tfjs-layers' training uses. */
  nativeAdam?: NativeBlas;
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
export async function selectBackend(choice: BackendChoice, options: KernelOptions = {}): Promise<SelectedBackend> {
  const skipped: string[] = [];
  if (choice === 'auto' || choice === 'tensorflow') {
    const why = await tryTensorflow();
    if (!why) return info('tensorflow', 'native libtensorflow via @tensorflow/tfjs-node', layersOnly('tensorflow', 'native libtensorflow'));
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
      if (options.stockKernels)
        return info('wasm', 'WebAssembly (SIMD), stock kernels', {
          choice: chooseKernels({ stock: true, native: false, engine: false, addon: { unavailable: 'not used' }, simd: { unavailable: 'not used' } }),
        });
      const kernels = installWasmKernels(options.native ?? true, options.engine ?? true);
      return info('wasm', ['WebAssembly (SIMD)', kernels.choice.reason, ...skipped.map((s) => `skipped ${s}`)].join('; '), kernels);
    }
    if (choice === 'wasm') throw new NnlabError('NNLAB_BACKEND_UNAVAILABLE', `Selecting backend wasm failed: ${why}.`);
    skipped.push(`wasm: ${why}`);
  }
  await withoutTfjsNodeAdvice(() => tf.setBackend('cpu'));
  return info('cpu', ['pure JavaScript (slow)', ...skipped.map((s) => `skipped ${s}`)].join('; '), layersOnly('cpu', 'pure JavaScript'));
}

let installed: KernelSet | undefined;

/**
 * nnlab's kernels for the wasm backend, once per process (tfjs' kernel registry is global): a heap
 * Tile (batch norm's gradient), an Identity that shares data instead of copying it, the
 * transposed-operand matmul fix, faster max-pool and conv input gradients; then what chooseKernels
 * picks: the native addon's matrix products and fused Adam where it was built, else nnlab's
 * WebAssembly SIMD kernels for the dense engine, else tfjs-layers alone.
 */
function installWasmKernels(native: boolean | 'own', engine: boolean): KernelSet {
  if (installed) return installed;
  installHeapTile('wasm');
  installSharedIdentity('wasm');
  installTransposedMatMulFix('wasm');
  installConvPoolGrads('wasm');
  const addon = native ? loadNativeBlas() : { unavailable: 'off (NNLAB_NATIVE=0)' };
  const simd = engine ? loadSimdKernels() : { unavailable: 'not loaded (the dense engine is off)' };
  const built = 'sgemm' in addon ? addon : undefined;
  const loaded = 'gemm' in simd ? simd : undefined;
  const choice = chooseKernels({
    stock: false,
    native,
    engine,
    addon: 'sgemm' in addon ? { blas: addon.blas } : { unavailable: addon.unavailable },
    simd: 'gemm' in simd ? 'loaded' : { unavailable: simd.unavailable },
  });
  if (choice.path === 'native' && built) installNativeMatMul(built, 'wasm');
  installed = kernelSetOf(choice, built, loaded);
  return installed;
}

/** The kernels a choice trains on: the addon's or the SIMD module's, the dense engine's only where the choice has it on. */
export function kernelSetOf(choice: KernelChoice, addon?: NativeBlas, simd?: SimdKernels): KernelSet {
  if (choice.path === 'native' && addon)
    return { choice, nativeAdam: addon, ...(choice.engine ? { dense: () => nativeDenseKernels(addon, choice.gemm === 'own') } : {}) };
  if (choice.path === 'simd' && simd) return { choice, dense: () => simdDenseKernels(simd) };
  return { choice };
}

/** tensorflow and cpu: tfjs-layers trains every model on the backend's own kernels. */
function layersOnly(name: string, reason: string): KernelSet {
  return { choice: { path: 'layers', engine: false, name, reason } };
}

function info(name: BackendInfo['name'], detail: string, kernelSet: KernelSet): SelectedBackend {
  return { name, detail, kernels: kernelSet.choice.name, tfjsVersion: tf.version.tfjs, kernelSet };
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
