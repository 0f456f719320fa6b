import { existsSync, readFileSync } from 'node:fs';
import { SIMD_MODULE_PATH } from './addon-path.js';
import { SimdHeap } from './simd-heap.js';

/** The WebAssembly SIMD kernels (simd/gemm-simd.ts, simd/row-simd.ts and simd/map-simd.ts document each), on byte offsets into `heap`. */
export interface SimdKernels {
  heap: SimdHeap;
  addBias(z: number, b: number, rows: number, width: number): void;
  sumRows(x: number, rows: number, width: number, out: number): void;
  relu(z: number, a: number, count: number): void;
  reluBackward(da: number, z: number, dz: number, count: number): void;
  batchNormTrain(
    x: number,
    rows: number,
    width: number,
    gamma: number,
    beta: number,
    movingMean: number,
    movingVariance: number,
    decay: number,
    epsilon: number,
    xhat: number,
    y: number,
    mean: number,
    inv: number,
  ): void;
  batchNormInfer(
    x: number,
    rows: number,
    width: number,
    gamma: number,
    beta: number,
    movingMean: number,
    movingVariance: number,
    epsilon: number,
    y: number,
    inv: number,
  ): void;
  batchNormBackward(dy: number, xhat: number, gamma: number, inv: number, rows: number, width: number, dGamma: number, dBeta: number, dx: number): void;
  gemm(a: number, b: number, c: number, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void;
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    count: number,
    lr: number,
    beta1: number,
    beta2: number,
    oneMinusBeta1: number,
    oneMinusBeta2: number,
    epsilon: number,
    c1: number,
    c2: number,
  ): void;
  // The feature-map passes (simd/map-simd.ts).
  im2col(h: number, samples: number, taps: number, ntaps: number, channels: number, inSize: number, cols: number): void;
  col2im(dCols: number, samples: number, taps: number, ntaps: number, channels: number, inSize: number, dIn: number): void;
  maxPool(h: number, samples: number, taps: number, ntaps: number, span: number, channels: number, inSize: number, y: number, from: number): void;
  averagePool(h: number, samples: number, taps: number, ntaps: number, span: number, channels: number, inSize: number, inside: number, y: number): void;
  scatterAdd(d: number, from: number, count: number, dIn: number, dInLength: number): void;
  averagePoolBackward(d: number, samples: number, taps: number, ntaps: number, span: number, channels: number, inSize: number, dIn: number): void;
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
  if (!existsSync(SIMD_MODULE_PATH)) return { unavailable: `${SIMD_MODULE_PATH} is missing, npm run build makes it` };
  try {
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(SIMD_MODULE_PATH)), { env: { memory } });
    const { heapStart, ...kernels } = instance.exports as unknown as Omit<SimdKernels, 'heap'> & { heapStart(): number };
    return { ...kernels, heap: new SimdHeap(memory, heapStart()) };
  } catch (err) {
    return { unavailable: `did not load (${(err as Error).message.split('\n')[0]})` };
  }
}
