import type { OptimizerSpec } from '../../spec/schema.js';
import type { DenseKernels } from './dense-kernels.js';

/** A trainable parameter and its gradient. */
export interface Param {
  value: Float32Array;
  grad: Float32Array;
}

/** The epsilon tfjs' backends use where an optimizer has none of its own (adagrad). */
const BACKEND_EPSILON = 1e-7;

/**
 * The spec's optimizer on the dense engine's parameters, with tfjs' update formulas (tfjs-core's
 * optimizers), so a run trains as it would through tfjs-layers. Slots are created on the first step.
 * @example const opt = createDenseOptimizer({type: 'adam', learning_rate: 0.001, …}, kernels); opt.step(params)
 */
export function createDenseOptimizer(spec: OptimizerSpec, kernels: DenseKernels) {
  let lr = spec.learning_rate;
  let slots: Float32Array[][] | undefined;
  let accBeta1 = 1;
  let accBeta2 = 1;
  const slotCount = spec.type === 'adam' ? 2 : spec.type === 'rmsprop' ? 2 : spec.type === 'sgd' && spec.momentum === 0 ? 0 : 1;
  return {
    setLearningRate(value: number): void {
      lr = value;
    },
    step(params: Param[]): void {
      slots ??= params.map((p) => Array.from({ length: slotCount }, () => (spec.type === 'adagrad' ? new Float32Array(p.value.length).fill(spec.initial_accumulator_value) : new Float32Array(p.value.length))));
      if (spec.type === 'adam') {
        // tfjs keeps beta^t as float32 products; so does this, so the updates agree.
        accBeta1 = Math.fround(accBeta1 * Math.fround(spec.beta1));
        accBeta2 = Math.fround(accBeta2 * Math.fround(spec.beta2));
      }
      params.forEach((p, i) => update(p, slots![i]!));
    },
  };

  function update({ value: w, grad: g }: Param, slot: Float32Array[]): void {
    const n = w.length;
    switch (spec.type) {
      case 'adam': {
        const [m, v] = slot as [Float32Array, Float32Array];
        if (kernels.adam) return kernels.adam(w, g, m, v, lr, spec.beta1, spec.beta2, spec.epsilon, accBeta1, accBeta2);
        return adamLoop(w, g, m, v, lr, spec.beta1, spec.beta2, spec.epsilon, 1 - accBeta1, 1 - accBeta2);
      }
      case 'sgd': {
        if (spec.momentum === 0) {
          for (let i = 0; i < n; i++) w[i] = w[i]! - lr * g[i]!;
          return;
        }
        const acc = slot[0]!;
        for (let i = 0; i < n; i++) {
          const a = (acc[i] = spec.momentum * acc[i]! + g[i]!);
          w[i] = w[i]! - lr * (spec.nesterov ? g[i]! + a * spec.momentum : a);
        }
        return;
      }
      case 'rmsprop': {
        const [ms, mom] = slot as [Float32Array, Float32Array];
        for (let i = 0; i < n; i++) {
          const s = (ms[i] = spec.rho * ms[i]! + (1 - spec.rho) * g[i]! * g[i]!);
          w[i] = w[i]! - (mom[i] = spec.momentum * mom[i]! + (lr * g[i]!) / Math.sqrt(s + spec.epsilon));
        }
        return;
      }
      case 'adagrad': {
        const acc = slot[0]!;
        for (let i = 0; i < n; i++) {
          const a = (acc[i] = acc[i]! + g[i]! * g[i]!);
          w[i] = w[i]! - (lr * g[i]!) / Math.sqrt(a + BACKEND_EPSILON);
        }
      }
    }
  }
}

/** Adam's update in a function of its own with everything in locals: V8 then keeps the loop tight (5× faster). */
function adamLoop(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number): void {
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  for (let i = 0, n = w.length; i < n; i++) {
    const gi = g[i]!;
    const mi = (m[i] = beta1 * m[i]! + oneMinusBeta1 * gi);
    const vi = (v[i] = beta2 * v[i]! + oneMinusBeta2 * gi * gi);
    w[i] = w[i]! - (lr * (mi / c1)) / (epsilon + Math.sqrt(vi / c2));
  }
}
