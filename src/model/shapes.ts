import type { LayerSpec } from '../spec/schema.js';

export interface ShapeReport {
  /** Output shape without the batch dimension. */
  outputShape: number[];
  parameters: number;
  trainableParameters: number;
  /** Largest activation (floats per sample) any layer produces. */
  maxActivationsPerSample: number;
  /** Index (in the spec's layer list) and text of the first layer that cannot take its input. */
  error?: { layerIndex: number; message: string };
}

/**
 * Output shape and parameter count of a layer stack, computed from the spec alone (no tfjs).
 * Disabled layers are skipped. Dense acts on the last axis, as in Keras.
 * @example inferShapes([28, 28, 1], [{type: 'flatten', enabled: true}]).outputShape → [784]
 */
export function inferShapes(inputShape: number[], layers: LayerSpec[]): ShapeReport {
  let shape = [...inputShape];
  let parameters = 0;
  let trainableParameters = 0;
  let maxActivations = product(shape);
  for (const [index, layer] of layers.entries()) {
    if (!layer.enabled) continue;
    const last = shape[shape.length - 1]!;
    let params = 0;
    switch (layer.type) {
      case 'dense':
        params = last * layer.units + (layer.use_bias ? layer.units : 0);
        shape = [...shape.slice(0, -1), layer.units];
        if (layer.trainable) trainableParameters += params;
        break;
      case 'batch_norm':
        params = 4 * last; // gamma, beta, moving mean, moving variance
        if (layer.trainable) trainableParameters += 2 * last;
        break;
      case 'flatten':
        shape = [product(shape)];
        break;
      case 'dropout':
      case 'activation':
        break;
    }
    parameters += params;
    maxActivations = Math.max(maxActivations, product(shape));
    if (shape.some((d) => !Number.isFinite(d) || d <= 0)) {
      return { outputShape: shape, parameters, trainableParameters, maxActivationsPerSample: maxActivations, error: { layerIndex: index, message: 'produces an empty output' } };
    }
  }
  return { outputShape: shape, parameters, trainableParameters, maxActivationsPerSample: maxActivations };
}

function product(shape: number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}
