import type { SimdKernels } from '../kernels/simd-kernels.js';
import type { DenseKernels } from './dense-kernels.js';
import type { MapKernels } from './map-kernels.js';
import { jsRowKernels, type RowKernels } from './row-kernels.js';

type HeapArray = Float32Array | Float64Array | Int32Array;
type Operand = [array: HeapArray, length: number, output?: 'output'];

/**
 * nnlab's WebAssembly SIMD kernels (kernels/simd/) for the dense engine, on machines without the
 * native ones. Arrays from `alloc` live in the module's memory and are used where they are; any
 * other operand is copied in (and out, for outputs). `dispose` gives every array back to the heap.
 */
export function simdDenseKernels(simd: SimdKernels): DenseKernels {
  const { heap } = simd;
  const owned: Float32Array[] = [];

  /** Run `kernel` on the operands' byte offsets. */
  const call = (operands: Operand[], kernel: (...offsets: number[]) => void) => {
    const copies: Array<{ from: HeapArray; to: HeapArray; floats: Float32Array; output: boolean }> = [];
    const offsets = operands.map(([array, length, output]) => {
      const offset = heap.offsetOf(array);
      if (offset !== undefined) return offset;
      const floats = heap.alloc(array instanceof Float64Array ? 2 * length : length);
      const to =
        array instanceof Float64Array
          ? new Float64Array(floats.buffer, floats.byteOffset, length)
          : array instanceof Int32Array
            ? new Int32Array(floats.buffer, floats.byteOffset, length)
            : floats;
      (to as typeof array).set(array.subarray(0, length) as never);
      copies.push({ from: array, to, floats, output: output === 'output' });
      return floats.byteOffset;
    });
    try {
      kernel(...offsets);
    } finally {
      for (const { from, to, floats, output } of copies) {
        if (output) (from as typeof to).set(to as never);
        heap.release(floats);
      }
    }
  };

  const rows: RowKernels = {
    // A copy, left in JavaScript: WebAssembly would need the whole data set in its memory first.
    gatherRows: jsRowKernels.gatherRows,
    addBias: (z, b, n, width) =>
      call(
        [
          [z, n * width, 'output'],
          [b, width],
        ],
        (pz, pb) => simd.addBias(pz!, pb!, n, width),
      ),
    sumRows: (x, n, width, out) =>
      call(
        [
          [x, n * width],
          [out, width, 'output'],
        ],
        (px, po) => simd.sumRows(px!, n, width, po!),
      ),
    relu: (z, a, count) =>
      call(
        [
          [z, count],
          [a, count, 'output'],
        ],
        (pz, pa) => simd.relu(pz!, pa!, count),
      ),
    reluBackward: (da, z, dz, count) =>
      call(
        [
          [da, count],
          [z, count],
          [dz, count, 'output'],
        ],
        (pda, pz, pdz) => simd.reluBackward(pda!, pz!, pdz!, count),
      ),
    batchNormTrain: (x, n, width, gamma, beta, movingMean, movingVariance, decay, epsilon, xhat, y, mean, inv) =>
      call(
        [
          [x, n * width],
          [gamma, width],
          [beta, width],
          [movingMean, width, 'output'],
          [movingVariance, width, 'output'],
          [xhat, n * width, 'output'],
          [y, n * width, 'output'],
          [mean, width, 'output'],
          [inv, width, 'output'],
        ],
        (px, pg, pb, pmm, pmv, pxh, py, pm, pi) => simd.batchNormTrain(px!, n, width, pg!, pb!, pmm!, pmv!, decay, epsilon, pxh!, py!, pm!, pi!),
      ),
    batchNormInfer: (x, n, width, gamma, beta, movingMean, movingVariance, epsilon, y, inv) =>
      call(
        [
          [x, n * width],
          [gamma, width],
          [beta, width],
          [movingMean, width],
          [movingVariance, width],
          [y, n * width, 'output'],
          [inv, width, 'output'],
        ],
        (px, pg, pb, pmm, pmv, py, pi) => simd.batchNormInfer(px!, n, width, pg!, pb!, pmm!, pmv!, epsilon, py!, pi!),
      ),
    batchNormBackward: (dy, xhat, gamma, inv, n, width, dGamma, dBeta, dx) =>
      call(
        [
          [dy, n * width],
          [xhat, n * width],
          [gamma, width],
          [inv, width],
          [dGamma, width, 'output'],
          [dBeta, width, 'output'],
          ...(dx ? [[dx, n * width, 'output'] as Operand] : []),
        ],
        (pdy, pxh, pg, pi, pdg, pdb, pdx) => simd.batchNormBackward(pdy!, pxh!, pg!, pi!, n, width, pdg!, pdb!, pdx ?? 0),
      ),
  };

  const maps: MapKernels = {
    im2col: (h, samples, taps, channels, inSize, cols) =>
      call(
        [
          [h, samples * inSize],
          [taps, taps.length],
          [cols, samples * taps.length * channels, 'output'],
        ],
        (ph, pt, pc) => simd.im2col(ph!, samples, pt!, taps.length, channels, inSize, pc!),
      ),
    col2im: (dCols, samples, taps, channels, inSize, dIn) =>
      call(
        [
          [dCols, samples * taps.length * channels],
          [taps, taps.length],
          [dIn, samples * inSize, 'output'],
        ],
        (pd, pt, pi) => simd.col2im(pd!, samples, pt!, taps.length, channels, inSize, pi!),
      ),
    maxPool: (h, samples, taps, span, channels, inSize, y, from) =>
      call(
        [
          [h, samples * inSize],
          [taps, taps.length],
          [y, (samples * taps.length * channels) / span, 'output'],
          [from, (samples * taps.length * channels) / span, 'output'],
        ],
        (ph, pt, py, pf) => simd.maxPool(ph!, samples, pt!, taps.length, span, channels, inSize, py!, pf!),
      ),
    averagePool: (h, samples, taps, span, channels, inSize, inside, y) =>
      call(
        [
          [h, samples * inSize],
          [taps, taps.length],
          [inside, taps.length / span],
          [y, (samples * taps.length * channels) / span, 'output'],
        ],
        (ph, pt, pin, py) => simd.averagePool(ph!, samples, pt!, taps.length, span, channels, inSize, pin!, py!),
      ),
    scatterAdd: (d, from, count, dIn, dInLength) =>
      call(
        [
          [d, count],
          [from, count],
          [dIn, dInLength, 'output'],
        ],
        (pd, pf, pi) => simd.scatterAdd(pd!, pf!, count, pi!, dInLength),
      ),
    averagePoolBackward: (d, samples, taps, span, channels, inSize, dIn) =>
      call(
        [
          [d, (samples * taps.length * channels) / span],
          [taps, taps.length],
          [dIn, samples * inSize, 'output'],
        ],
        (pd, pt, pi) => simd.averagePoolBackward(pd!, samples, pt!, taps.length, span, channels, inSize, pi!),
      ),
  };

  return {
    name: 'WebAssembly (SIMD)',
    alloc(length) {
      const array = heap.alloc(length);
      owned.push(array);
      return array;
    },
    gemm: (a, b, c, m, n, k, ta, tb, acc) =>
      call(
        [
          [a, m * k],
          [b, k * n],
          [c, m * n, 'output'],
        ],
        (pa, pb, pc) => simd.gemm(pa!, pb!, pc!, m, n, k, ta, tb, acc),
      ),
    adam: (w, g, m, v, lr, beta1, beta2, epsilon, accBeta1, accBeta2) =>
      call(
        [
          [w, w.length, 'output'],
          [g, w.length],
          [m, w.length, 'output'],
          [v, w.length, 'output'],
        ],
        (pw, pg, pm, pv) => simd.adam(pw!, pg!, pm!, pv!, w.length, lr, beta1, beta2, 1 - beta1, 1 - beta2, epsilon, 1 - accBeta1, 1 - accBeta2),
      ),
    rows,
    maps,
    dispose() {
      for (const array of owned.splice(0)) heap.release(array);
    },
  };
}
