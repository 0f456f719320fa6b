import type { LayerSpec } from '../spec/schema.js';

interface ShapeReport {
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
  const failure = (layerIndex: number, message: string): ShapeReport => ({
    outputShape: shape,
    parameters,
    trainableParameters,
    maxActivationsPerSample: maxActivations,
    error: { layerIndex, message },
  });
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
      case 'conv2d': {
        const [kh, kw] = pair(layer.kernel_size);
        const [sh, sw] = pair(layer.strides);
        if (shape.length !== 3) return failure(index, 'conv2d needs a [height, width, channels] input');
        params = kh * kw * last * layer.filters + (layer.use_bias ? layer.filters : 0);
        if (layer.trainable) trainableParameters += params;
        const next = [spatial(shape[0]!, kh, sh, layer.padding), spatial(shape[1]!, kw, sw, layer.padding), layer.filters];
        if (next[0]! < 1 || next[1]! < 1)
          return failure(index, `a ${kh}×${kw} kernel does not fit its ${shape[0]}×${shape[1]} input; use a smaller kernel_size or padding: same`);
        shape = next;
        break;
      }
      case 'max_pool2d':
      case 'average_pool2d': {
        if (shape.length !== 3) return failure(index, `${layer.type} needs a [height, width, channels] input`);
        const [ph, pw] = pair(layer.pool_size);
        const [sh, sw] = pair(layer.strides ?? layer.pool_size);
        const next = [spatial(shape[0]!, ph, sh, layer.padding), spatial(shape[1]!, pw, sw, layer.padding), last];
        if (next[0]! < 1 || next[1]! < 1)
          return failure(index, `a ${ph}×${pw} pool does not fit its ${shape[0]}×${shape[1]} input; use a smaller pool_size or padding: same`);
        shape = next;
        break;
      }
      case 'global_average_pool2d':
        if (shape.length !== 3) return failure(index, 'global_average_pool2d needs a [height, width, channels] input');
        shape = [last];
        break;
    }
    parameters += params;
    maxActivations = Math.max(maxActivations, product(shape));
    if (shape.some((d) => !Number.isFinite(d) || d <= 0)) {
      return {
        outputShape: shape,
        parameters,
        trainableParameters,
        maxActivationsPerSample: maxActivations,
        error: { layerIndex: index, message: 'produces an empty output' },
      };
    }
  }
  return { outputShape: shape, parameters, trainableParameters, maxActivationsPerSample: maxActivations };
}

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

/** Output size along one axis, as Keras computes it. */
function spatial(size: number, kernel: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

function product(shape: number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}
