import { ACTIVATIONS, INITIALIZERS, LAYER_TYPES, LOSSES, METRICS, OPTIMIZERS } from './schema.js';

/**
 * Keras' spellings nnlab accepts for its own names. Names also match ignoring case and underscores,
 * so Keras class names (`BatchNormalization`, `MaxPooling2D`, `GlorotUniform`, `Adam`) need no entry.
 */
const ALIASES = {
  layer: {
    batch_normalization: 'batch_norm',
    max_pooling2d: 'max_pool2d',
    maxpool2d: 'max_pool2d',
    average_pooling2d: 'average_pool2d',
    avg_pool2d: 'average_pool2d',
    global_average_pooling2d: 'global_average_pool2d',
    convolution2d: 'conv2d',
  },
  optimizer: {},
  loss: { mean_squared_error: 'mse', mean_absolute_error: 'mae' },
  metric: {
    acc: 'accuracy',
    binary_accuracy: 'accuracy',
    categorical_accuracy: 'accuracy',
    sparse_categorical_accuracy: 'accuracy',
    mean_squared_error: 'mse',
    mean_absolute_error: 'mae',
  },
  activation: {},
  initializer: {},
  callback: { model_checkpoint: 'checkpoint' },
} as const satisfies Record<string, Record<string, string>>;

const NAMES: Record<keyof typeof ALIASES, readonly string[]> = {
  layer: LAYER_TYPES,
  optimizer: OPTIMIZERS,
  loss: LOSSES,
  metric: METRICS,
  activation: ACTIVATIONS,
  initializer: INITIALIZERS,
  callback: ['early_stopping', 'reduce_lr_on_plateau', 'checkpoint'],
};

/** Keras' argument names for nnlab's, per place. */
const KEY_ALIASES: Record<string, Record<string, string>> = {
  optimizer: { lr: 'learning_rate', beta_1: 'beta1', beta_2: 'beta2' },
  early_stopping: { restore_best_weights: 'restore_best' },
};

const squash = (name: string) => name.toLowerCase().replace(/_/g, '');

/**
 * nnlab's name for a Keras spelling of it, or the text unchanged when it is no known spelling.
 * @example canonicalName('layer', 'BatchNormalization') === 'batch_norm'
 */
export function canonicalName(kind: keyof typeof ALIASES, text: string): string {
  const names = NAMES[kind];
  if (names.includes(text)) return text;
  const aliases: Record<string, string> = ALIASES[kind];
  const wanted = squash(text);
  for (const [alias, name] of Object.entries(aliases)) if (squash(alias) === wanted) return name;
  return names.find((n) => squash(n) === wanted) ?? text;
}

/**
 * A spec (after substitution) with Keras' names for layers, optimizers and their arguments, losses,
 * metrics, activations, initializers and callbacks replaced by nnlab's, so config.json, and with it
 * the run id, is the same however the user spelt them. Anything unknown is left for validation.
 * @example normalizeKerasNames({train: {metrics: ['acc']}}) → {train: {metrics: ['accuracy']}}
 */
export function normalizeKerasNames(spec: unknown): unknown {
  if (!isMap(spec)) return spec;
  const out = { ...spec };
  if (isMap(out.model) && Array.isArray(out.model.layers)) out.model = { ...out.model, layers: out.model.layers.map(normalizeLayer) };
  if (isMap(out.train)) {
    const train = { ...out.train };
    if (train.optimizer !== undefined) train.optimizer = renameOneKey(train.optimizer, 'optimizer', (body) => renameKeys(body, KEY_ALIASES.optimizer!));
    if (typeof train.loss === 'string') train.loss = canonicalName('loss', train.loss);
    if (Array.isArray(train.metrics)) train.metrics = train.metrics.map((m) => (typeof m === 'string' ? canonicalName('metric', m) : m));
    if (isMap(train.callbacks)) {
      train.callbacks = Object.fromEntries(
        Object.entries(train.callbacks).map(([key, body]) => {
          const name = canonicalName('callback', key);
          return [name, KEY_ALIASES[name] ? renameKeys(body, KEY_ALIASES[name]!) : body];
        }),
      );
    }
    out.train = train;
  }
  return out;
}

function normalizeLayer(layer: unknown): unknown {
  if (typeof layer === 'string') return canonicalName('layer', layer);
  return renameOneKey(layer, 'layer', (body, type) => {
    if (type === 'activation' && typeof body === 'string') return canonicalName('activation', body);
    if (!isMap(body)) return body;
    const fixed = { ...body };
    if (typeof fixed.activation === 'string') fixed.activation = canonicalName('activation', fixed.activation);
    for (const key of ['kernel_initializer', 'bias_initializer'])
      if (typeof fixed[key] === 'string') fixed[key] = canonicalName('initializer', fixed[key] as string);
    return fixed;
  });
}

/** `{Adam: {...}}` → `{adam: fix({...})}`; a bare name (`Adam`) → `adam`. */
function renameOneKey(value: unknown, kind: 'layer' | 'optimizer', fix: (body: unknown, name: string) => unknown): unknown {
  if (typeof value === 'string') return canonicalName(kind, value);
  if (!isMap(value) || Object.keys(value).length !== 1) return value;
  const [key, body] = Object.entries(value)[0]!;
  const name = canonicalName(kind, key);
  return { [name]: fix(body, name) };
}

function renameKeys(body: unknown, aliases: Record<string, string>): unknown {
  if (!isMap(body)) return body;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [aliases[k] && !(aliases[k]! in body) ? aliases[k]! : k, v]));
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
