import { ACTIVATIONS, type Activation } from '../../spec/layer-schema.js';
import { jsRowKernels, type RowKernels } from './row-kernels.js';

/** The activations the dense engine computes itself, with tfjs' formulas and gradients: the spec's, but gelu. */
export type DenseActivation = Exclude<Activation, 'gelu'>;
export const DENSE_ACTIVATIONS: readonly DenseActivation[] = ACTIVATIONS.filter((a): a is DenseActivation => a !== 'gelu');

const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473768;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * a = f(z) over `rows` rows of `width` (softmax normalizes each row); `a` may be `z` itself for
 * the elementwise activations.
 * @example activate('relu', z, a, rows, width)
 */
export function activate(f: DenseActivation, z: Float32Array, a: Float32Array, rows: number, width: number, rowKernels: RowKernels = jsRowKernels): void {
  const n = rows * width;
  switch (f) {
    case 'linear':
      if (a !== z) a.set(z.subarray(0, n));
      return;
    case 'relu':
      return rowKernels.relu(z, a, n);
    case 'relu6':
      for (let i = 0; i < n; i++) a[i] = Math.min(Math.max(z[i]!, 0), 6);
      return;
    case 'elu':
      for (let i = 0; i < n; i++) a[i] = z[i]! > 0 ? z[i]! : Math.exp(z[i]!) - 1;
      return;
    case 'selu':
      for (let i = 0; i < n; i++) a[i] = z[i]! >= 0 ? SELU_SCALE * z[i]! : SELU_SCALE_ALPHA * (Math.exp(z[i]!) - 1);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) a[i] = sigmoid(z[i]!);
      return;
    case 'hard_sigmoid':
      for (let i = 0; i < n; i++) a[i] = Math.min(Math.max(0.5 + 0.2 * z[i]!, 0), 1);
      return;
    case 'softplus':
      for (let i = 0; i < n; i++) a[i] = softplus(z[i]!);
      return;
    case 'softsign':
      for (let i = 0; i < n; i++) a[i] = z[i]! / (1 + Math.abs(z[i]!));
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) a[i] = Math.tanh(z[i]!);
      return;
    case 'swish':
      for (let i = 0; i < n; i++) a[i] = z[i]! * sigmoid(z[i]!);
      return;
    case 'softmax':
      for (let r = 0; r < rows; r++) {
        const o = r * width;
        let max = -Infinity;
        for (let j = 0; j < width; j++) max = Math.max(max, z[o + j]!);
        let sum = 0;
        for (let j = 0; j < width; j++) sum += a[o + j] = Math.exp(z[o + j]! - max);
        for (let j = 0; j < width; j++) a[o + j] = a[o + j]! / sum;
      }
  }
}

/**
 * dz = da · f'(z), from the pre-activation `z` and the activation `a` the forward pass kept;
 * `dz` may be `da` itself.
 */
export function activateBackward(
  f: DenseActivation,
  da: Float32Array,
  z: Float32Array,
  a: Float32Array,
  dz: Float32Array,
  rows: number,
  width: number,
  rowKernels: RowKernels = jsRowKernels,
): void {
  const n = rows * width;
  switch (f) {
    case 'linear':
      if (dz !== da) dz.set(da.subarray(0, n));
      return;
    case 'relu':
      return rowKernels.reluBackward(da, z, dz, n);
    case 'relu6':
      for (let i = 0; i < n; i++) dz[i] = z[i]! > 0 && z[i]! <= 6 ? da[i]! : 0;
      return;
    case 'elu':
      for (let i = 0; i < n; i++) dz[i] = a[i]! >= 0 ? da[i]! : da[i]! * (a[i]! + 1);
      return;
    case 'selu':
      for (let i = 0; i < n; i++) dz[i] = z[i]! > 0 ? da[i]! * SELU_SCALE : da[i]! * SELU_SCALE_ALPHA * Math.exp(z[i]!);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) dz[i] = da[i]! * a[i]! * (1 - a[i]!);
      return;
    case 'hard_sigmoid':
      for (let i = 0; i < n; i++) {
        const y = 0.5 + 0.2 * z[i]!;
        dz[i] = y >= 0 && y <= 1 ? da[i]! * 0.2 : 0;
      }
      return;
    case 'softplus':
      for (let i = 0; i < n; i++) dz[i] = da[i]! * sigmoid(z[i]!);
      return;
    case 'softsign':
      for (let i = 0; i < n; i++) dz[i] = da[i]! / (1 + Math.abs(z[i]!)) ** 2;
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) dz[i] = da[i]! * (1 - a[i]! * a[i]!);
      return;
    case 'swish':
      for (let i = 0; i < n; i++) {
        const s = sigmoid(z[i]!);
        dz[i] = da[i]! * (s + z[i]! * s * (1 - s));
      }
      return;
    case 'softmax':
      for (let r = 0; r < rows; r++) {
        const o = r * width;
        let dot = 0;
        for (let j = 0; j < width; j++) dot += da[o + j]! * a[o + j]!;
        for (let j = 0; j < width; j++) dz[o + j] = a[o + j]! * (da[o + j]! - dot);
      }
  }
}

/** log(1 + e^x), as tfjs' kernels compute it: e^x below the float32 threshold, x above it. */
function softplus(x: number): number {
  const threshold = Math.log(1.1920928955078125e-7) + 2;
  if (x > -threshold) return x;
  if (x < threshold) return Math.exp(x);
  return Math.log(Math.exp(x) + 1);
}
