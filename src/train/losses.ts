import * as tf from '@tensorflow/tfjs';
import type { Loss } from '../spec/schema.js';

/** Clip probabilities away from 0 and 1 before taking logs, as Keras does. */
const EPSILON = 1e-7;

/** Per-sample loss (shape [batch]) for targets as prepared by `prepareTargets`. */
export type LossFn = (targets: tf.Tensor, predictions: tf.Tensor) => tf.Tensor1D;

export const LOSS_FUNCTIONS: Record<Loss, LossFn> = {
  categorical_crossentropy: (y, p) => categoricalCrossentropy(y, p),
  sparse_categorical_crossentropy: (y, p) => categoricalCrossentropy(tf.oneHot(tf.cast(y, 'int32'), p.shape[p.shape.length - 1]!), p),
  binary_crossentropy: (y, p) => {
    const q = tf.clipByValue(p, EPSILON, 1 - EPSILON);
    const terms = tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q))));
    return tf.neg(tf.mean(terms, -1)) as tf.Tensor1D;
  },
  mse: (y, p) => tf.mean(tf.square(tf.sub(p, y)), -1) as tf.Tensor1D,
  mae: (y, p) => tf.mean(tf.abs(tf.sub(p, y)), -1) as tf.Tensor1D,
};

function categoricalCrossentropy(y: tf.Tensor, p: tf.Tensor): tf.Tensor1D {
  const normalized = tf.div(p, tf.sum(p, -1, true));
  const q = tf.clipByValue(normalized, EPSILON, 1 - EPSILON);
  return tf.neg(tf.sum(tf.mul(y, tf.log(q)), -1)) as tf.Tensor1D;
}
