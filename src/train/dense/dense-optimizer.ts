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
      slots ??= params.map((p) =>
        Array.from({ length: slotCount }, () => kernels.alloc(p.value.length).fill(spec.type === 'adagrad' ? spec.initial_accumulator_value : 0)),
      );
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
        return kernels.adam(w, g, m, v, lr, spec.beta1, spec.beta2, spec.epsilon, accBeta1, accBeta2);
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
