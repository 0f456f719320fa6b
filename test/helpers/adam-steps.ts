import * as tf from '@tensorflow/tfjs';
import type { DenseKernels } from '../../src/train/dense/dense-kernels.js';
import { createDenseOptimizer } from '../../src/train/dense/dense-optimizer.js';
import { seededValues } from './seeded-values.js';

/**
 * 200 Adam steps on 1003 weights (not a multiple of 4 or 8: the kernels' scalar tails too). From
 * step 157 on, float32(1 − 0.9^t) is 1, where the kernels leave out the division by it.
 */
const N = 1003;
export const ADAM_STEPS = 200;
const spec = { type: 'adam' as const, learning_rate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
const w0 = seededValues([N], 3, 'w');
const grads = [1, 2, 3].map((s) => seededValues([N], s, 'g').map((g) => g * 0.01 * s));

/** The weights after the steps, updated by the dense engine's optimizer on `kernels`. */
export function denseAdamWeights(kernels: DenseKernels): Float32Array {
  const value = kernels.alloc(N);
  value.set(w0);
  const grad = kernels.alloc(N);
  const optimizer = createDenseOptimizer(spec, kernels);
  for (let t = 0; t < ADAM_STEPS; t++) {
    grad.set(grads[t % 3]!);
    optimizer.step([{ value, grad }]);
  }
  return value.slice();
}

/** The same steps by tfjs' own Adam on the current backend (on cpu, every op rounds to float32). */
export function tfjsAdamWeights(): Float32Array {
  const variable = tf.variable(tf.tensor1d(w0));
  const adam = tf.train.adam(spec.learning_rate, spec.beta1, spec.beta2, spec.epsilon);
  const gradTensors = grads.map((g) => tf.tensor1d(g));
  for (let t = 0; t < ADAM_STEPS; t++) tf.tidy(() => adam.applyGradients({ [variable.name]: gradTensors[t % 3]! }));
  const weights = variable.dataSync().slice() as Float32Array;
  tf.dispose([variable, adam, ...gradTensors]);
  return weights;
}
