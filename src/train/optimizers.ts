import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from '../spec/schema.js';
import { NativeAdamOptimizer } from './kernels/native-adam.js';
import type { NativeBlas } from './kernels/native-matmul.js';

/** A tfjs optimizer with the spec's hyper-parameters (defaults are Keras'); Adam fused in the native addon where one is given. */
export function makeOptimizer(spec: OptimizerSpec, nativeAdam?: NativeBlas): tf.Optimizer {
  switch (spec.type) {
    case 'sgd':
      return spec.momentum > 0 ? tf.train.momentum(spec.learning_rate, spec.momentum, spec.nesterov) : tf.train.sgd(spec.learning_rate);
    case 'adam': {
      if (nativeAdam) return new NativeAdamOptimizer(nativeAdam, spec.learning_rate, spec.beta1, spec.beta2, spec.epsilon);
      return tf.train.adam(spec.learning_rate, spec.beta1, spec.beta2, spec.epsilon);
    }
    case 'rmsprop':
      return tf.train.rmsprop(spec.learning_rate, spec.rho, spec.momentum, spec.epsilon);
    case 'adagrad':
      return tf.train.adagrad(spec.learning_rate, spec.initial_accumulator_value);
  }
}
