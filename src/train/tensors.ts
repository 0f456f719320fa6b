import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset.js';
import type { Loss } from '../spec/schema.js';

/** Features as [n, ...inputShape] and targets in the form the loss wants. Caller disposes. */
export function toTensors(data: Dataset, inputShape: number[], loss: Loss): { x: tf.Tensor; y: tf.Tensor } {
  const n = data.labels.length;
  const x = tf.tensor(data.x, [n, ...inputShape], 'float32');
  return { x, y: targetsFor(data, loss) };
}

function targetsFor(data: Dataset, loss: Loss): tf.Tensor {
  const n = data.labels.length;
  if (loss === 'sparse_categorical_crossentropy') return tf.tensor1d(Float32Array.from(data.labels), 'float32');
  if (loss === 'binary_crossentropy') return tf.tensor2d(Float32Array.from(data.labels), [n, 1], 'float32');
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(data.labels, 'int32'), data.numClasses), 'float32'));
}
