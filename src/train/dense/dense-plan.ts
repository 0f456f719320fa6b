import type { ModelSpec, TrainSpec } from '../../spec/schema.js';
import { DENSE_ACTIVATIONS, type DenseActivation } from './activations.js';

/**
 * One step of a layer stack the dense engine runs, on rows: a sample of shape [..., width] is
 * `rowsPerSample` rows of `width` values (dense and batch norm act on the last axis, as in Keras).
 */
export type DenseOp =
  | { kind: 'dense'; layer: number; inWidth: number; width: number; bias: boolean; trainable: boolean; activation: DenseActivation }
  | { kind: 'batch_norm'; layer: number; width: number; momentum: number; epsilon: number; trainable: boolean }
  | { kind: 'activation'; layer: number; width: number; activation: DenseActivation }
  | { kind: 'dropout'; layer: number; width: number; rate: number };

export interface DensePlan {
  ops: Array<DenseOp & { rowsPerSample: number }>;
  inputWidth: number;
  outputWidth: number;
}

/**
 * The dense engine's plan for a model, or why it cannot run it (then training goes through
 * tfjs-layers): it takes stacks of dense, batch norm, activation, dropout and flatten layers without
 * regularizers, which is every MLP of the seed questions.
 * @example planDense({input_shape: [784], layers: [dense 10 softmax]}, train) → {ops: [dense 784→10], …}
 */
export function planDense(model: ModelSpec, train: TrainSpec): DensePlan | { unsupported: string } {
  let shape = [...model.input_shape];
  const ops: DensePlan['ops'] = [];
  const rows = () => shape.slice(0, -1).reduce((p, d) => p * d, 1);
  const width = () => shape[shape.length - 1]!;
  for (const [layer, spec] of model.layers.entries()) {
    if (!spec.enabled) continue;
    switch (spec.type) {
      case 'dense':
        if (spec.kernel_regularizer || spec.bias_regularizer || spec.activity_regularizer) return { unsupported: 'regularizers' };
        if (!isDenseActivation(spec.activation)) return { unsupported: `activation ${spec.activation}` };
        ops.push({ kind: 'dense', layer, inWidth: width(), width: spec.units, bias: spec.use_bias, trainable: spec.trainable, activation: spec.activation, rowsPerSample: rows() });
        shape = [...shape.slice(0, -1), spec.units];
        break;
      case 'batch_norm':
        ops.push({ kind: 'batch_norm', layer, width: width(), momentum: spec.momentum, epsilon: spec.epsilon, trainable: spec.trainable, rowsPerSample: rows() });
        break;
      case 'activation':
        if (!isDenseActivation(spec.activation)) return { unsupported: `activation ${spec.activation}` };
        ops.push({ kind: 'activation', layer, width: width(), activation: spec.activation, rowsPerSample: rows() });
        break;
      case 'dropout':
        if (spec.rate > 0) ops.push({ kind: 'dropout', layer, width: width(), rate: spec.rate, rowsPerSample: rows() });
        break;
      case 'flatten':
        shape = [shape.reduce((p, d) => p * d, 1)];
        break;
      default:
        return { unsupported: `${spec.type} layers` };
    }
  }
  if (shape.length !== 1) return { unsupported: 'an output that is not one axis per sample' };
  if (!train.metrics.every((m) => ['accuracy', 'mse', 'mae'].includes(m))) return { unsupported: 'metrics' };
  return { ops, inputWidth: model.input_shape.reduce((p, d) => p * d, 1), outputWidth: width() };
}

function isDenseActivation(a: string): a is DenseActivation {
  return (DENSE_ACTIVATIONS as readonly string[]).includes(a);
}
