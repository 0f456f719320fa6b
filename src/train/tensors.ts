import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset.js';
import type { Loss } from '../spec/schema.js';

/** Features and targets as flat host arrays, ready to be cut into batches. */
export interface HostArrays {
  x: Float32Array;
  /** Values per sample in `x`. */
  xWidth: number;
  inputShape: number[];
  y: Float32Array;
  /** Values per sample in `y`; 0 means one scalar per sample (sparse labels). */
  yWidth: number;
}

/** Targets in the form the loss wants: one-hot rows, sparse class ids, or a single 0/1 column. */
export function toHostArrays(data: Dataset, inputShape: number[], loss: Loss): HostArrays {
  const n = data.labels.length;
  const xWidth = inputShape.reduce((p, d) => p * d, 1);
  if (data.task === 'regression') return { x: data.x, xWidth, inputShape, y: data.targets!, yWidth: data.targetWidth ?? 1 };
  if (loss === 'sparse_categorical_crossentropy') return { x: data.x, xWidth, inputShape, y: Float32Array.from(data.labels), yWidth: 0 };
  if (loss === 'binary_crossentropy') return { x: data.x, xWidth, inputShape, y: Float32Array.from(data.labels), yWidth: 1 };
  const y = new Float32Array(n * data.numClasses);
  data.labels.forEach((label, i) => (y[i * data.numClasses + label] = 1));
  return { x: data.x, xWidth, inputShape, y, yWidth: data.numClasses };
}

/**
 * The batch of samples `order[start .. start+size)` as fresh tensors. Rows are copied on the host:
 * on the wasm backend slicing a large device tensor costs ~10 ms per batch, copying rows ~0.05 ms.
 */
export function batchTensors(data: HostArrays, order: Int32Array | null, start: number, size: number): { x: tf.Tensor; y: tf.Tensor } {
  const x = new Float32Array(size * data.xWidth);
  const yw = Math.max(1, data.yWidth);
  const y = new Float32Array(size * yw);
  for (let i = 0; i < size; i++) {
    const src = order ? order[start + i]! : start + i;
    x.set(data.x.subarray(src * data.xWidth, (src + 1) * data.xWidth), i * data.xWidth);
    y.set(data.y.subarray(src * yw, (src + 1) * yw), i * yw);
  }
  return {
    x: tf.tensor(x, [size, ...data.inputShape], 'float32'),
    y: data.yWidth === 0 ? tf.tensor1d(y, 'float32') : tf.tensor2d(y, [size, data.yWidth], 'float32'),
  };
}
