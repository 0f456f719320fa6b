import { existsSync, readFileSync } from 'node:fs';
import { SIMD_MODULE_PATH } from './addon-path.js';
import { SimdHeap } from './simd-heap.js';

/** The WebAssembly SIMD kernels (simd/dense-simd.ts documents each), on byte offsets into `heap`. */
export interface SimdKernels {
  heap: SimdHeap;
  gemm(a: number, b: number, c: number, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void;
  adam(w: number, g: number, m: number, v: number, count: number, lr: number, beta1: number, beta2: number, oneMinusBeta1: number, oneMinusBeta2: number, epsilon: number, c1: number, c2: number): void;
}

/** The module's memory: 2 MiB to start (its packing buffers take 0.6), up to wasm32's 4 GiB. */
const INITIAL_PAGES = 32;
const MAXIMUM_PAGES = 65536;

let loaded: SimdKernels | { unavailable: string } | undefined;

/** The SIMD kernels, instantiated once per process, or why they are not there. */
export function loadSimdKernels(): SimdKernels | { unavailable: string } {
  loaded ??= instantiate();
  return loaded;
}

function instantiate(): SimdKernels | { unavailable: string } {
  if (!existsSync(SIMD_MODULE_PATH)) return { unavailable: `${SIMD_MODULE_PATH} is missing (npm run build makes it)` };
  try {
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(SIMD_MODULE_PATH)), { env: { memory } });
    const exports = instance.exports as unknown as Omit<SimdKernels, 'heap'> & { heapStart(): number };
    return { heap: new SimdHeap(memory, exports.heapStart()), gemm: exports.gemm, adam: exports.adam };
  } catch (err) {
    return { unavailable: `did not load (${(err as Error).message.split('\n')[0]})` };
  }
}
