import type { LayerSpec, Loss } from '../spec/schema.js';

/** Activations whose output is bounded: a regression net with one of them can only predict within the bound. */
export const BOUNDED_ACTIVATIONS: readonly string[] = ['sigmoid', 'tanh', 'softmax', 'hard_sigmoid'];

/**
 * The layer that sets the model's output activation: the last enabled dense or activation layer
 * (undefined activation: none of them, a linear output).
 * @example outputLayer([{type: 'dense', activation: 'softmax', …}]) → {index: 0, activation: 'softmax'}
 */
export function outputLayer(layers: LayerSpec[]): { index: number; activation?: string; type?: LayerSpec['type'] } {
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (!l.enabled) continue;
    if (l.type === 'dense' || l.type === 'activation') return { index: i, activation: l.activation, type: l.type };
  }
  return { index: layers.length - 1 };
}

/** The index of a batch norm layer that feeds the output dense layer directly, if there is one. */
export function batchNormBeforeOutput(layers: LayerSpec[]): number | undefined {
  const enabled = layers.map((l, i) => ({ l, i })).filter(({ l }) => l.enabled);
  const [beforeLast, last] = enabled.slice(-2);
  return beforeLast?.l.type === 'batch_norm' && last?.l.type === 'dense' ? beforeLast.i : undefined;
}

type LossOutputMismatch = 'cross-entropy-without-softmax' | 'binary-without-sigmoid' | 'squared-error-on-classes';

/**
 * A loss that does not suit the output: cross-entropy without a softmax, binary cross-entropy
 * without a sigmoid, or mse/mae on one-hot labels of more than two classes.
 * @example lossOutputMismatch('categorical_crossentropy', 'linear', 'classification', 10) === 'cross-entropy-without-softmax'
 */
export function lossOutputMismatch(
  loss: Loss,
  activation: string | undefined,
  task: 'classification' | 'regression',
  classes: number | undefined,
): LossOutputMismatch | undefined {
  if ((loss === 'categorical_crossentropy' || loss === 'sparse_categorical_crossentropy') && activation !== 'softmax') return 'cross-entropy-without-softmax';
  if (loss === 'binary_crossentropy' && activation !== 'sigmoid') return 'binary-without-sigmoid';
  if ((loss === 'mse' || loss === 'mae') && task === 'classification' && (classes ?? 2) > 2) return 'squared-error-on-classes';
  return undefined;
}
