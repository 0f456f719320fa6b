import { canonicalName } from '../spec/keras-names.js';
import { ACTIVATIONS, INITIALIZERS } from '../spec/schema.js';
import { mark, unmapped, type Imported } from './imported.js';
import { isCall, isUnknown, type PyCall, type PyValue } from './python-values.js';

/** Keras arguments that name or place a layer and change nothing nnlab trains. */
const COSMETIC = new Set(['name', 'dtype']);

/** Keras layer classes and the nnlab layer each becomes. */
const LAYERS: Record<string, string> = {
  Dense: 'dense',
  Conv2D: 'conv2d',
  Convolution2D: 'conv2d',
  MaxPooling2D: 'max_pool2d',
  MaxPool2D: 'max_pool2d',
  AveragePooling2D: 'average_pool2d',
  AvgPool2D: 'average_pool2d',
  GlobalAveragePooling2D: 'global_average_pool2d',
  GlobalAvgPool2D: 'global_average_pool2d',
  BatchNormalization: 'batch_norm',
  Dropout: 'dropout',
  Flatten: 'flatten',
  Activation: 'activation',
};

/** Each layer type's Keras arguments in positional order, and the nnlab field each fills. */
const ARGUMENTS: Record<string, Array<[keras: string, nnlab: string]>> = {
  dense: [
    ['units', 'units'],
    ['activation', 'activation'],
    ['use_bias', 'use_bias'],
    ['kernel_initializer', 'kernel_initializer'],
    ['bias_initializer', 'bias_initializer'],
    ['kernel_regularizer', 'kernel_regularizer'],
    ['bias_regularizer', 'bias_regularizer'],
    ['activity_regularizer', 'activity_regularizer'],
  ],
  conv2d: [
    ['filters', 'filters'],
    ['kernel_size', 'kernel_size'],
    ['strides', 'strides'],
    ['padding', 'padding'],
    ['data_format', ''],
    ['dilation_rate', ''],
    ['groups', ''],
    ['activation', 'activation'],
    ['use_bias', 'use_bias'],
    ['kernel_initializer', 'kernel_initializer'],
    ['bias_initializer', 'bias_initializer'],
    ['kernel_regularizer', 'kernel_regularizer'],
    ['bias_regularizer', 'bias_regularizer'],
    ['activity_regularizer', 'activity_regularizer'],
  ],
  max_pool2d: [
    ['pool_size', 'pool_size'],
    ['strides', 'strides'],
    ['padding', 'padding'],
  ],
  average_pool2d: [
    ['pool_size', 'pool_size'],
    ['strides', 'strides'],
    ['padding', 'padding'],
  ],
  global_average_pool2d: [],
  batch_norm: [
    ['axis', ''],
    ['momentum', 'momentum'],
    ['epsilon', 'epsilon'],
  ],
  dropout: [['rate', 'rate']],
  flatten: [],
  activation: [['activation', 'activation']],
};

/**
 * The script's layers as nnlab spec layers (`{dense: {units: 64, activation: relu}}`), and the
 * input shape from the first layer's input_shape / input_dim / batch_input_shape or an Input; what
 * has no nnlab equivalent is recorded as unmapped with its line.
 * @example mapLayers([call('Dense', [64], {activation: 'relu', input_dim: 4})], imported) → {layers: [{dense: {units: 64, activation: 'relu'}}], inputShape: [4]}
 */
export function mapLayers(values: PyValue[], imported: Imported): { layers: unknown[]; inputShape?: number[]; inputLine?: number } {
  const layers: unknown[] = [];
  let inputShape: number[] | undefined;
  let inputLine: number | undefined;
  for (const value of values) {
    if (!isCall(value)) {
      unmapped(
        imported,
        isUnknown(value) ? value.line : 0,
        isUnknown(value) ? value.text : String(value),
        'not a layer nnlab can read without running the script',
        true,
      );
      continue;
    }
    const shape = inputShapeOf(value);
    if (shape !== undefined && inputShape === undefined) {
      if (shape) {
        inputShape = shape;
        inputLine = value.line;
      } else unmapped(imported, value.line, `the input shape of ${className(value)}`, 'computed at run time; taken from the data instead');
    }
    const klass = className(value);
    if (klass === 'Input' || klass === 'InputLayer') continue;
    const type = LAYERS[klass];
    if (!type) {
      unmapped(imported, value.line, `${klass}(…)`, `nnlab has no ${klass} layer (it has ${[...new Set(Object.values(LAYERS))].join(', ')})`, true);
      continue;
    }
    const path = `model.layers.${layers.length}`;
    layers.push({ [type]: layerBody(type, value, imported) });
    mark(imported, path, value.line);
  }
  return { layers, ...(inputShape ? { inputShape } : {}), ...(inputLine !== undefined ? { inputLine } : {}) };
}

function layerBody(type: string, call: PyCall, imported: Imported): Record<string, unknown> | string {
  const body: Record<string, unknown> = {};
  const order = ARGUMENTS[type]!;
  const given: Array<[string, PyValue]> = [
    ...call.args.map((v, i): [string, PyValue] => [order[i]?.[0] ?? `argument ${i + 1}`, v]),
    ...Object.entries(call.kwargs),
  ];
  for (const [key, value] of given) {
    if (COSMETIC.has(key) || ['input_shape', 'input_dim', 'batch_input_shape', 'shape'].includes(key)) continue;
    if (key === 'trainable') {
      if (typeof value === 'boolean') body.trainable = value;
      else unmapped(imported, call.line, `trainable=${show(value)}`, 'expected True or False');
      continue;
    }
    const field = order.find(([k]) => k === key)?.[1];
    if (!field) {
      unmapped(
        imported,
        call.line,
        `${className(call)}(${key}=${show(value)})`,
        field === '' ? `nnlab's ${type} has no ${key}: it uses Keras' default` : `not an argument nnlab's ${type} takes`,
      );
      continue;
    }
    const mapped = argument(field, value, call, imported);
    if (mapped !== undefined) body[field] = mapped;
  }
  if (type === 'activation' && typeof body.activation === 'string') return body.activation;
  return body;
}

/** One argument's value in nnlab's terms, or undefined (recorded as unmapped) when it has none. */
function argument(field: string, value: PyValue, call: PyCall, imported: Imported): unknown {
  const miss = (why: string) => void unmapped(imported, call.line, `${className(call)}(${field}=${show(value)})`, why);
  if (field === 'activation') {
    const name = activationName(value);
    if (name) return name;
    return miss(`nnlab's activations are ${ACTIVATIONS.join(', ')}`);
  }
  if (field === 'kernel_initializer' || field === 'bias_initializer') {
    const init = initializer(value);
    if (init !== undefined) {
      const params = isCall(value) ? Object.keys(value.kwargs).filter((k) => !['value', 'seed'].includes(k)) : [];
      if (params.length)
        unmapped(
          imported,
          call.line,
          `${className(value as PyCall)}(${params.map((k) => `${k}=${show((value as PyCall).kwargs[k])}`).join(', ')})`,
          `nnlab's ${JSON.stringify(init)} initializer uses Keras' default parameters`,
        );
      return init;
    }
    if (isUnknown(value)) return miss(`${value.text} is not a value nnlab can read (not defined, or computed): Keras' default is used`);
    return miss(`nnlab has no such initializer (it has ${INITIALIZERS.join(', ')}, {constant: x}): Keras' default is used`);
  }
  if (field.endsWith('_regularizer')) return regularizer(value) ?? miss('expected regularizers.l1(x), l2(x) or l1_l2(l1=x, l2=y)');
  if (field === 'kernel_size' || field === 'pool_size' || field === 'strides') {
    if (typeof value === 'number') return value;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return value[0] === value[1] ? value[0] : value;
    return miss('expected a number or a pair of numbers');
  }
  if (field === 'padding') return value === 'valid' || value === 'same' ? value : miss('expected valid or same');
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return miss('computed at run time');
}

/** 'relu', activations.relu, tf.nn.relu, tf.keras.activations.sigmoid → nnlab's name. */
function activationName(value: PyValue): string | undefined {
  const text = typeof value === 'string' ? value : isUnknown(value) ? value.text.split('.').pop()! : isCall(value) ? undefined : undefined;
  if (text === undefined) return undefined;
  const name = canonicalName('activation', text);
  return (ACTIVATIONS as readonly string[]).includes(name) ? name : undefined;
}

function initializer(value: PyValue): unknown {
  if (typeof value === 'string') {
    const name = canonicalName('initializer', value);
    return (INITIALIZERS as readonly string[]).includes(name) ? name : undefined;
  }
  if (!isCall(value)) return undefined;
  const klass = className(value);
  if (klass === 'Constant') {
    const v = value.kwargs.value ?? value.args[0] ?? 0;
    return typeof v === 'number' ? { constant: v } : undefined;
  }
  const name = canonicalName('initializer', klass);
  return (INITIALIZERS as readonly string[]).includes(name) ? name : undefined;
}

/** regularizers.l2(0.01), l2(l2=0.01), L1L2(l1=…, l2=…) → {l2: 0.01}, {l1_l2: {l1, l2}}. */
function regularizer(value: PyValue): unknown {
  if (!isCall(value)) return undefined;
  const kind = className(value).toLowerCase().replace(/_/g, '');
  const number = (v: PyValue | undefined, fallback: number) => (v === undefined ? fallback : typeof v === 'number' ? v : undefined);
  if (kind === 'l1' || kind === 'l2') {
    const x = number(value.args[0] ?? value.kwargs[kind], 0.01);
    return x === undefined ? undefined : { [kind]: x };
  }
  if (kind === 'l1l2') {
    const l1 = number(value.kwargs.l1 ?? value.args[0], 0);
    const l2 = number(value.kwargs.l2 ?? value.args[1], 0);
    return l1 === undefined || l2 === undefined ? undefined : { l1_l2: { l1, l2 } };
  }
  return undefined;
}

/** A layer's input shape: a list of numbers, null when the script computes it, undefined when it gives none. */
function inputShapeOf(call: PyCall): number[] | null | undefined {
  const k = call.kwargs;
  const raw =
    k.input_shape ??
    k.shape ??
    (k.batch_input_shape !== undefined ? sliceFirst(k.batch_input_shape) : undefined) ??
    (k.input_dim !== undefined ? [k.input_dim] : undefined) ??
    (['Input', 'InputLayer'].includes(className(call)) ? call.args[0] : undefined);
  if (raw === undefined) return undefined;
  const list = typeof raw === 'number' ? [raw] : raw;
  return Array.isArray(list) && list.length > 0 && list.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0) ? (list as number[]) : null;
}

function sliceFirst(v: PyValue): PyValue {
  return Array.isArray(v) ? v.slice(1) : v;
}

/** The class a call constructs: the last part of its callee (`keras.layers.Dense` → Dense). */
export function className(call: PyCall): string {
  return call.callee.split('.').pop()!;
}

/** A value as the script wrote it, for messages. */
export function show(value: PyValue | undefined): string {
  if (value === undefined) return '';
  if (isUnknown(value)) return value.text;
  if (isCall(value)) return `${className(value)}(…)`;
  if (typeof value === 'string') return `'${value}'`;
  return JSON.stringify(value);
}
