import { activate, activateBackward } from './activations.js';
import type { DenseKernels } from './dense-kernels.js';
import type { Param } from './dense-optimizer.js';
import type { DenseOp, MapShape, Window } from './dense-plan.js';
import type { Layer } from './layer.js';

type ConvOp = Extract<DenseOp, { kind: 'conv2d' }>;
type PoolOp = Extract<DenseOp, { kind: 'max_pool2d' | 'average_pool2d' }>;
type GlobalPoolOp = Extract<DenseOp, { kind: 'global_average_pool2d' }>;

/**
 * A 2-D convolution as Keras computes it (kernel [kh, kw, in, out], channels last), by im2col and
 * one matrix product: each output position's window, laid out as a row of kh·kw·in values in the
 * kernel's order, times the kernel as a (kh·kw·in)×out matrix. Backward: the kernel's gradient is
 * colsᵀ·dz, the input's is dz·kernelᵀ folded back onto the map (col2im). A 1×1 convolution of
 * stride 1 is a dense layer on the rows: no copy.
 * `rows` is the most output rows a pass has (samples × output positions).
 */
export function convLayer(op: ConvOp, kernels: DenseKernels, [w, b]: Float32Array[], rows: number, maxSamples: number): Layer {
  const { alloc } = kernels;
  const { input, output, window } = op;
  const k = window.kh * window.kw * input.channels;
  const pointwise = window.kh === 1 && window.kw === 1 && window.sh === 1 && window.sw === 1 && window.padTop === 0 && window.padLeft === 0;
  const taps = windowTaps(input, output, window, kernels.alloc);
  // Window positions outside the map are 0 in every pass: written once (alloc zeroes), never again.
  const cols = pointwise ? undefined : alloc(rows * k);
  const dCols = pointwise ? undefined : alloc(rows * k);
  const z = alloc(rows * op.width);
  const a = op.activation === 'linear' ? z : alloc(rows * op.width);
  const dz = alloc(rows * op.width);
  const inSize = input.height * input.width * input.channels;
  const dIn = alloc(maxSamples * inSize);
  const params: Param[] = op.trainable ? [{ value: w!, grad: alloc(w!.length) }, ...(b ? [{ value: b, grad: alloc(b.length) }] : [])] : [];
  let lastInput: Float32Array = z;
  let lastCols: Float32Array = z;
  const positions = output.height * output.width;
  return {
    weights: b ? [w!, b] : [w!],
    params,
    lastInput: () => lastInput,
    lastPreActivation: () => z,
    forward(h, n) {
      lastInput = h;
      if (cols) kernels.maps.im2col(h, n / positions, taps, input.channels, inSize, cols);
      lastCols = cols ?? h;
      kernels.gemm(lastCols, w!, z, n, op.width, k, false, false, false);
      if (b) kernels.rows.addBias(z, b, n, op.width);
      activate(op.activation, z, a, n, op.width, kernels.rows);
      return a;
    },
    backward(d, n, needInput) {
      const g = op.activation === 'linear' ? d : dz;
      if (g === dz) activateBackward(op.activation, d, z, a, dz, n, op.width, kernels.rows);
      if (op.trainable) {
        kernels.gemm(lastCols, g, params[0]!.grad, k, op.width, n, true, false, false);
        if (b) kernels.rows.sumRows(g, n, op.width, params[1]!.grad);
      }
      if (!needInput) return dIn;
      if (!dCols) {
        kernels.gemm(g, w!, dIn, n, k, op.width, false, true, false);
        return dIn;
      }
      kernels.gemm(g, w!, dCols, n, k, op.width, false, true, false);
      kernels.maps.col2im(dCols, n / positions, taps, input.channels, inSize, dIn);
      return dIn;
    },
  };
}

/**
 * Where each output position's window reads the map: for position p and tap t (row-major over the
 * window), the offset of that pixel's first channel within a sample, or −1 where the window
 * hangs over the edge. Computed once per layer.
 */
export function windowTaps(input: MapShape, output: MapShape, { kh, kw, sh, sw, padTop, padLeft }: Window, alloc: DenseKernels['alloc']): Int32Array {
  const taps = allocInts(alloc, output.height * output.width * kh * kw);
  let t = 0;
  for (let oy = 0; oy < output.height; oy++) {
    for (let ox = 0; ox < output.width; ox++) {
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++, t++) {
          const y = oy * sh - padTop + i;
          const x = ox * sw - padLeft + j;
          taps[t] = y < 0 || y >= input.height || x < 0 || x >= input.width ? -1 : (y * input.width + x) * input.channels;
        }
      }
    }
  }
  return taps;
}

/**
 * Max or average pooling per channel. Max: the first largest value of the window (row by row), its
 * position kept for the backward pass, which routes the gradient there alone (as tfjs'
 * MaxPoolGrad). Average: over the positions inside the map (padding is not counted, as tfjs), the
 * gradient shared as tfjs' AvgPoolGrad shares it (by the window's full size).
 */
export function poolLayer(op: PoolOp, { alloc, maps }: DenseKernels, rows: number, maxSamples: number): Layer {
  const { input, output, window } = op;
  const C = input.channels;
  const inSize = input.height * input.width * C;
  const positions = output.height * output.width;
  const span = window.kh * window.kw;
  const taps = windowTaps(input, output, window, alloc);
  // Positions inside the map per window (the average's divisor).
  const inside = alloc(positions);
  for (let p = 0; p < positions; p++) for (let t = 0; t < span; t++) if (taps[p * span + t]! >= 0) inside[p]!++;
  const y = alloc(rows * C);
  const from = op.kind === 'max_pool2d' ? allocInts(alloc, rows * C) : new Int32Array(0);
  const dIn = alloc(maxSamples * inSize);
  let lastInput: Float32Array = y;
  return {
    weights: [],
    params: [],
    lastInput: () => lastInput,
    forward(h, n) {
      lastInput = h;
      if (op.kind === 'max_pool2d') maps.maxPool(h, n / positions, taps, span, C, inSize, y, from);
      else maps.averagePool(h, n / positions, taps, span, C, inSize, inside, y);
      return y;
    },
    backward(d, n) {
      if (op.kind === 'max_pool2d') maps.scatterAdd(d, from, n * C, dIn, (n / positions) * inSize);
      else maps.averagePoolBackward(d, n / positions, taps, span, C, inSize, dIn);
      return dIn;
    },
  };
}

/** Int32s in memory from `alloc` (where the kernels read them). */
function allocInts(alloc: DenseKernels['alloc'], length: number): Int32Array {
  const floats = alloc(length);
  return new Int32Array(floats.buffer, floats.byteOffset, length);
}

/** The mean of each channel over the map: one row of channels per sample. */
export function globalAveragePoolLayer(op: GlobalPoolOp, { alloc }: DenseKernels, maxSamples: number): Layer {
  const { height: H, width: W, channels: C } = op.input;
  const positions = H * W;
  const y = alloc(maxSamples * C);
  const dIn = alloc(maxSamples * positions * C);
  let lastInput: Float32Array = y;
  return {
    weights: [],
    params: [],
    lastInput: () => lastInput,
    forward(h, samples) {
      lastInput = h;
      for (let s = 0; s < samples; s++) {
        for (let c = 0; c < C; c++) {
          let sum = 0;
          for (let p = 0; p < positions; p++) sum += h[(s * positions + p) * C + c]!;
          y[s * C + c] = sum / positions;
        }
      }
      return y;
    },
    backward(d, samples) {
      for (let s = 0; s < samples; s++) {
        for (let c = 0; c < C; c++) {
          const share = d[s * C + c]! / positions;
          for (let p = 0; p < positions; p++) dIn[(s * positions + p) * C + c] = share;
        }
      }
      return dIn;
    },
  };
}
