import type { ModelSpec, RegularizerSpec, TrainSpec } from '../../spec/schema.js';
import { DENSE_ACTIVATIONS, type DenseActivation } from './activations.js';

/** A weight penalty as Keras adds it to the loss: l1·Σ|w| + l2·Σw². */
export interface Penalty {
  l1: number;
  l2: number;
}

/** A feature map's size per sample: height, width, channels (channels last, as Keras). */
export interface MapShape {
  height: number;
  width: number;
  channels: number;
}

/** Where a 2-D window lies on its input: size, stride and the padding before the first row and column. */
export interface Window {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  padTop: number;
  padLeft: number;
}

/**
 * One step of a layer stack the engine runs, on rows: a sample of shape [..., width] is
 * `rowsPerSample` rows of `width` values (dense and batch norm act on the last axis, as in Keras).
 * A feature map [h, w, c] is h·w rows of c channels; conv2d and the pools take one map and give
 * another, so for them `rowsPerSample` counts their output's rows and `input` is the map they read.
 */
export type DenseOp =
  | {
      kind: 'dense';
      layer: number;
      inWidth: number;
      width: number;
      bias: boolean;
      trainable: boolean;
      activation: DenseActivation;
      penalties: { kernel?: Penalty; bias?: Penalty };
    }
  | {
      kind: 'conv2d';
      layer: number;
      input: MapShape;
      output: MapShape;
      window: Window;
      width: number;
      bias: boolean;
      trainable: boolean;
      activation: DenseActivation;
      penalties: { kernel?: Penalty; bias?: Penalty };
    }
  | { kind: 'max_pool2d' | 'average_pool2d'; layer: number; input: MapShape; output: MapShape; window: Window; width: number }
  | { kind: 'global_average_pool2d'; layer: number; input: MapShape; width: number }
  | { kind: 'batch_norm'; layer: number; width: number; momentum: number; epsilon: number; trainable: boolean }
  | { kind: 'activation'; layer: number; width: number; activation: DenseActivation }
  | { kind: 'dropout'; layer: number; width: number; rate: number };

export interface DensePlan {
  ops: Array<DenseOp & { rowsPerSample: number }>;
  inputWidth: number;
  outputWidth: number;
}

/**
 * The engine's plan for a model, or why it cannot run it (then training goes through tfjs-layers):
 * stacks of dense, conv2d, pooling, batch norm, activation, dropout and flatten layers, with
 * weight penalties (not activity ones) — every model of the seed questions.
 * @example planDense({input_shape: [784], layers: [dense 10 softmax]}, train) → {ops: [dense 784→10], …}
 */
export function planDense(model: ModelSpec, train: TrainSpec): DensePlan | { unsupported: string } {
  let shape = [...model.input_shape];
  const ops: DensePlan['ops'] = [];
  const rows = () => shape.slice(0, -1).reduce((p, d) => p * d, 1);
  const width = () => shape[shape.length - 1]!;
  const map = (): MapShape | undefined => (shape.length === 3 ? { height: shape[0]!, width: shape[1]!, channels: shape[2]! } : undefined);
  for (const [layer, spec] of model.layers.entries()) {
    if (!spec.enabled) continue;
    switch (spec.type) {
      case 'dense': {
        if (spec.activity_regularizer) return { unsupported: 'activity regularizers' };
        if (!isDenseActivation(spec.activation)) return { unsupported: `activation ${spec.activation}` };
        ops.push({
          kind: 'dense',
          layer,
          inWidth: width(),
          width: spec.units,
          bias: spec.use_bias,
          trainable: spec.trainable,
          activation: spec.activation,
          penalties: penalties(spec),
          rowsPerSample: rows(),
        });
        shape = [...shape.slice(0, -1), spec.units];
        break;
      }
      case 'conv2d': {
        const input = map();
        if (!input) return { unsupported: 'conv2d on an input that is not [height, width, channels]' };
        if (spec.activity_regularizer) return { unsupported: 'activity regularizers' };
        if (!isDenseActivation(spec.activation)) return { unsupported: `activation ${spec.activation}` };
        const { window, output } = slide(input, pair(spec.kernel_size), pair(spec.strides), spec.padding, spec.filters);
        ops.push({
          kind: 'conv2d',
          layer,
          input,
          output,
          window,
          width: spec.filters,
          bias: spec.use_bias,
          trainable: spec.trainable,
          activation: spec.activation,
          penalties: penalties(spec),
          rowsPerSample: output.height * output.width,
        });
        shape = [output.height, output.width, output.channels];
        break;
      }
      case 'max_pool2d':
      case 'average_pool2d': {
        const input = map();
        if (!input) return { unsupported: `${spec.type} on an input that is not [height, width, channels]` };
        const size = pair(spec.pool_size);
        const { window, output } = slide(input, size, pair(spec.strides ?? spec.pool_size), spec.padding, input.channels);
        ops.push({ kind: spec.type, layer, input, output, window, width: input.channels, rowsPerSample: output.height * output.width });
        shape = [output.height, output.width, output.channels];
        break;
      }
      case 'global_average_pool2d': {
        const input = map();
        if (!input) return { unsupported: 'global_average_pool2d on an input that is not [height, width, channels]' };
        ops.push({ kind: 'global_average_pool2d', layer, input, width: input.channels, rowsPerSample: 1 });
        shape = [input.channels];
        break;
      }
      case 'batch_norm':
        ops.push({
          kind: 'batch_norm',
          layer,
          width: width(),
          momentum: spec.momentum,
          epsilon: spec.epsilon,
          trainable: spec.trainable,
          rowsPerSample: rows(),
        });
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
    }
  }
  if (shape.length !== 1) return { unsupported: 'an output that is not one axis per sample' };
  if (!train.metrics.every((m) => ['accuracy', 'mse', 'mae'].includes(m))) return { unsupported: 'metrics' };
  return { ops, inputWidth: model.input_shape.reduce((p, d) => p * d, 1), outputWidth: width() };
}

/** Keras' output size and padding for a window sliding over a map: 'valid' stays inside, 'same' pads to ceil(size / stride). */
function slide(
  input: MapShape,
  [kh, kw]: [number, number],
  [sh, sw]: [number, number],
  padding: 'valid' | 'same',
  channels: number,
): { window: Window; output: MapShape } {
  const along = (size: number, k: number, s: number) => {
    if (padding === 'valid') return { out: Math.floor((size - k) / s) + 1, before: 0 };
    const out = Math.ceil(size / s);
    return { out, before: Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) };
  };
  const v = along(input.height, kh, sh);
  const h = along(input.width, kw, sw);
  return { window: { kh, kw, sh, sw, padTop: v.before, padLeft: h.before }, output: { height: v.out, width: h.out, channels } };
}

function pair(size: number | [number, number]): [number, number] {
  return typeof size === 'number' ? [size, size] : size;
}

function penalties(spec: { kernel_regularizer?: RegularizerSpec; bias_regularizer?: RegularizerSpec }): { kernel?: Penalty; bias?: Penalty } {
  return {
    ...(spec.kernel_regularizer ? { kernel: penalty(spec.kernel_regularizer) } : {}),
    ...(spec.bias_regularizer ? { bias: penalty(spec.bias_regularizer) } : {}),
  };
}

function penalty(r: RegularizerSpec): Penalty {
  return 'l1_l2' in r ? { l1: r.l1_l2.l1, l2: r.l1_l2.l2 } : 'l1' in r ? { l1: r.l1, l2: 0 } : { l1: 0, l2: r.l2 };
}

function isDenseActivation(a: string): a is DenseActivation {
  return (DENSE_ACTIVATIONS as readonly string[]).includes(a);
}
