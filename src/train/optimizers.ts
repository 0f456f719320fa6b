import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from '../spec/schema.js';
import { activeNativeKernels } from './backend.js';
import { NativeAdamOptimizer } from './kernels/native-adam.js';

/** A tfjs optimizer with the spec's hyper-parameters (defaults are Keras'). */
export function makeOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.type) {
    case 'sgd':
      return spec.momentum > 0 ? tf.train.momentum(spec.learning_rate, spec.momentum, spec.nesterov) : tf.train.sgd(spec.learning_rate);
    case 'adam': {
      const native = activeNativeKernels();
      if (native) return new NativeAdamOptimizer(native, spec.learning_rate, spec.beta1, spec.beta2, spec.epsilon);
      return tf.train.adam(spec.learning_rate, spec.beta1, spec.beta2, spec.epsilon);
    }
    case 'rmsprop':
      return tf.train.rmsprop(spec.learning_rate, spec.rho, spec.momentum, spec.epsilon);
    case 'adagrad':
      return tf.train.adagrad(spec.learning_rate, spec.initial_accumulator_value);
  }
}
