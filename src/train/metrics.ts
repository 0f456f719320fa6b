import * as tf from '@tensorflow/tfjs';
import type { Loss, Metric } from '../spec/schema.js';

/** Per-sample metric values (shape [batch]). */
export type MetricFn = (targets: tf.Tensor, predictions: tf.Tensor) => tf.Tensor1D;

/**
 * `accuracy` means what Keras means by it for the loss: sparse labels compare the label with the
 * arg-max, a single output unit is thresholded at 0.5, otherwise the arg-maxes are compared.
 */
export function metricFunction(metric: Metric, loss: Loss, outputUnits: number): MetricFn {
  switch (metric) {
    case 'mse':
      return (y, p) => tf.mean(tf.square(tf.sub(p, asDense(y, loss, p))), -1) as tf.Tensor1D;
    case 'mae':
      return (y, p) => tf.mean(tf.abs(tf.sub(p, asDense(y, loss, p))), -1) as tf.Tensor1D;
    case 'accuracy':
      if (loss === 'sparse_categorical_crossentropy') return (y, p) => tf.cast(tf.equal(tf.cast(y, 'int32'), tf.argMax(p, -1)), 'float32') as tf.Tensor1D;
      if (outputUnits === 1) return (y, p) => tf.mean(tf.cast(tf.equal(y, tf.cast(tf.greater(p, 0.5), 'float32')), 'float32'), -1) as tf.Tensor1D;
      return (y, p) => tf.cast(tf.equal(tf.argMax(y, -1), tf.argMax(p, -1)), 'float32') as tf.Tensor1D;
  }
}

function asDense(y: tf.Tensor, loss: Loss, p: tf.Tensor): tf.Tensor {
  return loss === 'sparse_categorical_crossentropy' ? tf.oneHot(tf.cast(y, 'int32'), p.shape[p.shape.length - 1]!) : y;
}
