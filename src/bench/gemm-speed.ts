import { loadNativeBlas, type NativeBlas } from '../train/kernels/native-matmul.js';
import { loadSimdKernels } from '../train/kernels/simd-kernels.js';
import { simdDenseKernels } from '../train/dense/simd-dense-kernels.js';
import { mnistRows } from './training-speed.js';

/** One matrix product a training step makes: C[m×n] = op(A)·op(B), A's values MNIST's pixels or with no zeros. */
interface Product {
  label: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  /** A is (a transposed view of) MNIST images, 81 % zeros; otherwise values without zeros. */
  mnist: boolean;
}

export interface GemmRow {
  label: string;
  /** GFLOPS (2·m·n·k per product) of the system BLAS, nnlab's native GEMM, its WebAssembly GEMM. */
  blas: number | null;
  own: number | null;
  wasm: number | null;
}

const H = 1024;
const products: Product[] = [
  ...[true, false]
    .flatMap((mnist) => [
      { label: `MLP x·W1 (64×784 · 784×${H})`, m: 64, n: H, k: 784, transA: false, transB: false, mnist },
      { label: `MLP dW1 = xᵀ·dZ (784×64 · 64×${H})`, m: 784, n: H, k: 64, transA: true, transB: false, mnist },
    ])
    .map((p) => ({ ...p, label: `${p.label}${p.mnist ? ', MNIST' : ', no zeros'}` })),
  { label: `MLP dH = dY·W2ᵀ (64×10 · 10×${H})`, m: 64, n: H, k: 10, transA: false, transB: true, mnist: false },
  { label: 'CNN conv1 im2col (25088×9 · 9×8)', m: 32 * 784, n: 8, k: 9, transA: false, transB: false, mnist: false },
  { label: 'CNN conv2 im2col (6272×72 · 72×16)', m: 32 * 196, n: 16, k: 72, transA: false, transB: false, mnist: false },
  { label: 'CNN conv2 dW (72×6272 · 6272×16)', m: 72, n: 16, k: 32 * 196, transA: true, transB: false, mnist: false },
  { label: 'CNN dense (32×784 · 784×64)', m: 32, n: 64, k: 784, transA: false, transB: false, mnist: false },
];

/** Calls per timing; the best of several timings is kept (this machine's speed drifts). */
const CALLS = 20;
const TIMINGS = 5;

/**
 * GFLOPS of each matrix product kernel on the products the seed MLP (H=1024) and overfitting-cnn's
 * CNN make in a step: the system BLAS's sgemm (OpenBLAS here), nnlab's native GEMM and its
 * WebAssembly GEMM, in this process, one thread (run it with OPENBLAS_NUM_THREADS=1).
 */
export async function measureGemm(): Promise<GemmRow[]> {
  const addon = loadNativeBlas();
  const native = 'unavailable' in addon ? undefined : addon;
  const simd = loadSimdKernels();
  const wasm = 'unavailable' in simd ? undefined : simdDenseKernels(simd);
  const pixels = await mnistRows(784);
  const rows: GemmRow[] = [];
  for (const p of products) {
    const aLength = p.m * p.k;
    const a = new Float32Array(aLength);
    // MNIST's A: 64 images of 784 pixels, read as x (64×784) or, transposed, as xᵀ (784×64).
    if (p.mnist) a.set(pixels.subarray(0, aLength));
    else for (let i = 0; i < aLength; i++) a[i] = 0.05 + ((i * 7919) % 1000) / 1000;
    const b = Float32Array.from({ length: p.k * p.n }, (_, i) => (((i * 104729) % 2000) - 1000) / 1000);
    const flops = 2 * p.m * p.n * p.k;
    const gflops = (run: () => void) => flops / bestSeconds(run) / 1e9;
    const c = new Float32Array(p.m * p.n);
    rows.push({
      label: p.label,
      blas: native?.blas ? blasGflops(native, a, b, p, gflops) : null,
      own: native ? gflops(() => native.gemmOwn(a, b, c, p.m, p.n, p.k, p.transA, p.transB, false)) : null,
      wasm: wasm ? wasmGflops(wasm, a, b, p, gflops) : null,
    });
  }
  wasm?.dispose();
  return rows;
}

function wasmGflops(kernels: ReturnType<typeof simdDenseKernels>, a: Float32Array, b: Float32Array, p: Product, gflops: (run: () => void) => number): number {
  const [wa, wb, wc] = [kernels.alloc(a.length), kernels.alloc(b.length), kernels.alloc(p.m * p.n)];
  wa.set(a);
  wb.set(b);
  return gflops(() => kernels.gemm(wa, wb, wc, p.m, p.n, p.k, p.transA, p.transB, false));
}

/** The system BLAS alone: the heap entry point never routes to nnlab's GEMM. Operands copied in once. */
function blasGflops(addon: NativeBlas, a: Float32Array, b: Float32Array, p: Product, gflops: (run: () => void) => number): number {
  const heap = new Float32Array(a.length + b.length + p.m * p.n);
  heap.set(a, 0);
  heap.set(b, a.length);
  return gflops(() => addon.sgemm(heap.buffer, 0, 4 * a.length, 4 * (a.length + b.length), 1, 0, 0, p.m, p.n, p.k, p.transA, p.transB, -1, 0, false));
}

function bestSeconds(run: () => void): number {
  run();
  let best = Infinity;
  for (let t = 0; t < TIMINGS; t++) {
    const started = performance.now();
    for (let i = 0; i < CALLS; i++) run();
    best = Math.min(best, (performance.now() - started) / 1000 / CALLS);
  }
  return best;
}
