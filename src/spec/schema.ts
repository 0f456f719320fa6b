import { z } from 'zod';
import { closest } from './closest-name.js';

const didYouMean = (text: string, names: readonly string[]) => {
  const near = closest(text, names);
  return near ? ` (did you mean "${near}"?)` : '';
};

// Messages say what was expected; validate.ts appends what was given ("got -3").
const positiveInt = (what = 'a positive integer') =>
  z.number({ error: `expected ${what}` }).int({ error: `expected ${what}` }).positive({ error: `expected ${what}` });
const nonNegativeNumber = z.number({ error: 'expected a number' }).nonnegative({ error: 'expected a number ≥ 0' });
const fraction = (what: string) =>
  z.number({ error: `expected ${what}` }).gt(0, { error: `expected ${what}` }).lt(1, { error: `expected ${what}` });
const learningRate = z.number({ error: 'expected a positive learning rate' }).positive({ error: 'expected a positive learning rate' });
const bool = z.boolean({ error: 'expected true or false' });

export const ACTIVATIONS = [
  'linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hard_sigmoid', 'softmax', 'softplus', 'softsign', 'tanh', 'swish', 'gelu',
] as const;
export const activationSchema = z.enum(ACTIVATIONS, { error: `expected one of ${ACTIVATIONS.join(', ')}` });
export type Activation = z.infer<typeof activationSchema>;

export const INITIALIZERS = [
  'glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_uniform', 'lecun_normal',
  'random_uniform', 'random_normal', 'truncated_normal', 'zeros', 'ones',
] as const;
export const initializerSchema = z.union(
  [
    z.enum(INITIALIZERS),
    z.strictObject({ constant: z.number({ error: 'expected a number' }) }),
  ],
  { error: `expected one of ${INITIALIZERS.join(', ')}, or {constant: <number>}` },
);
export type Initializer = z.infer<typeof initializerSchema>;

const layerCommon = { enabled: bool.default(true) };

const penalty = z.number({ error: 'expected a penalty factor ≥ 0' }).nonnegative({ error: 'expected a penalty factor ≥ 0' });
/** `{l2: 0.01}`, `{l1: 0.001}` or `{l1_l2: {l1: 0.001, l2: 0.01}}`, added to the loss as Keras does. */
export const regularizerSchema = z.union(
  [z.strictObject({ l1: penalty }), z.strictObject({ l2: penalty }), z.strictObject({ l1_l2: z.strictObject({ l1: penalty.default(0), l2: penalty.default(0) }) })],
  { error: 'expected {l1: x}, {l2: x} or {l1_l2: {l1: x, l2: y}}' },
);
export type RegularizerSpec = z.infer<typeof regularizerSchema>;

/** One schema per layer type; the key of a layer mapping in the spec selects it. */
/** What layers with a kernel and a bias (dense, conv2d) take besides their shape, with Keras' defaults. */
const weightedLayer = {
  activation: activationSchema.default('linear'),
  use_bias: bool.default(true),
  trainable: bool.default(true),
  kernel_initializer: initializerSchema.default('glorot_uniform'),
  bias_initializer: initializerSchema.default('zeros'),
  kernel_regularizer: regularizerSchema.optional(),
  bias_regularizer: regularizerSchema.optional(),
  /** A penalty on the layer's output (after its activation), per sample as in Keras. */
  activity_regularizer: regularizerSchema.optional(),
};
/** A 2-D size: 3 or [3, 2]. */
const sizePair = (error?: string) => z.union([positiveInt(), z.tuple([positiveInt(), positiveInt()])], error ? { error } : undefined);
const pooling = { pool_size: sizePair().default(2), strides: sizePair().optional(), padding: z.enum(['valid', 'same']).default('valid') };

export const layerBodySchemas = {
  dense: z.strictObject({ ...layerCommon, units: positiveInt(), ...weightedLayer }),
  batch_norm: z.strictObject({
    ...layerCommon,
    momentum: fraction('a momentum between 0 and 1').default(0.99),
    epsilon: z.number({ error: 'expected a small positive number' }).positive({ error: 'expected a small positive number' }).default(0.001),
    trainable: bool.default(true),
  }),
  dropout: z.strictObject({
    ...layerCommon,
    rate: z.number({ error: 'expected a rate in [0, 1)' }).min(0, { error: 'expected a rate in [0, 1)' }).lt(1, { error: 'expected a rate in [0, 1)' }),
  }),
  activation: z.strictObject({ ...layerCommon, activation: activationSchema }),
  flatten: z.strictObject({ ...layerCommon }),
  conv2d: z.strictObject({
    ...layerCommon,
    filters: positiveInt(),
    kernel_size: sizePair('expected a size like 3 or [3, 3]'),
    strides: sizePair('expected a stride like 1 or [2, 2]').default(1),
    padding: z.enum(['valid', 'same'], { error: 'expected valid or same' }).default('valid'),
    ...weightedLayer,
  }),
  max_pool2d: z.strictObject({ ...layerCommon, ...pooling }),
  average_pool2d: z.strictObject({ ...layerCommon, ...pooling }),
  global_average_pool2d: z.strictObject({ ...layerCommon }),
} as const;

export type LayerType = keyof typeof layerBodySchemas;
export const LAYER_TYPES = Object.keys(layerBodySchemas) as LayerType[];
export type LayerSpec = {
  [K in LayerType]: { type: K } & z.infer<(typeof layerBodySchemas)[K]>;
}[LayerType];

/**
 * A layer is a one-key mapping `{dense: {...}}`. `activation: relu` is short for
 * `{activation: {activation: relu}}`, and `flatten: {}` may be written `flatten`.
 */
const layerSchema = z
  .unknown()
  .transform((raw, ctx): LayerSpec => {
    const entry = typeof raw === 'string' ? { [raw]: {} } : raw;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry) || Object.keys(entry).length !== 1) {
      ctx.addIssue({ code: 'custom', message: `expected a layer such as {dense: {units: 10}}; layer types: ${LAYER_TYPES.join(', ')}`, input: raw });
      return z.NEVER;
    }
    const [type, body] = Object.entries(entry)[0]!;
    if (!(type in layerBodySchemas)) {
      ctx.addIssue({ code: 'custom', message: `unknown layer type "${type}"${didYouMean(type, LAYER_TYPES)}; expected one of ${LAYER_TYPES.join(', ')}`, path: [type] });
      return z.NEVER;
    }
    const normalized = type === 'activation' && typeof body === 'string' ? { activation: body } : (body ?? {});
    const parsed = layerBodySchemas[type as LayerType].safeParse(normalized, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ ...issue, path: [type, ...issue.path] } as Parameters<typeof ctx.addIssue>[0]);
      }
      return z.NEVER;
    }
    return { type, ...parsed.data } as LayerSpec;
  });

export const OPTIMIZERS = ['sgd', 'adam', 'rmsprop', 'adagrad'] as const;
export const optimizerBodySchemas = {
  sgd: z.strictObject({ learning_rate: learningRate.default(0.01), momentum: nonNegativeNumber.default(0), nesterov: bool.default(false) }),
  adam: z.strictObject({
    learning_rate: learningRate.default(0.001),
    beta1: fraction('beta1 between 0 and 1').default(0.9),
    beta2: fraction('beta2 between 0 and 1').default(0.999),
    epsilon: z.number().positive().default(1e-7),
  }),
  rmsprop: z.strictObject({
    learning_rate: learningRate.default(0.001),
    rho: fraction('rho between 0 and 1').default(0.9),
    momentum: nonNegativeNumber.default(0),
    epsilon: z.number().positive().default(1e-7),
  }),
  adagrad: z.strictObject({ learning_rate: learningRate.default(0.01), initial_accumulator_value: z.number().positive().default(0.1) }),
};
export type OptimizerSpec = {
  [K in keyof typeof optimizerBodySchemas]: { type: K } & z.infer<(typeof optimizerBodySchemas)[K]>;
}[keyof typeof optimizerBodySchemas];

/** `optimizer: adam` or `optimizer: {adam: {learning_rate: 0.001}}`. */
const optimizerSchema = z.unknown().transform((raw, ctx): OptimizerSpec => {
  const entry = typeof raw === 'string' ? { [raw]: {} } : raw;
  const expected = `expected an optimizer such as {adam: {learning_rate: 0.001}}; optimizers: ${OPTIMIZERS.join(', ')}`;
  if (!entry || typeof entry !== 'object' || Array.isArray(entry) || Object.keys(entry).length !== 1) {
    ctx.addIssue({ code: 'custom', message: expected, input: raw });
    return z.NEVER;
  }
  const [type, body] = Object.entries(entry)[0]!;
  if (!(type in optimizerBodySchemas)) {
    ctx.addIssue({ code: 'custom', message: `unknown optimizer "${type}"${didYouMean(type, OPTIMIZERS)}; expected one of ${OPTIMIZERS.join(', ')}`, path: [type] });
    return z.NEVER;
  }
  const parsed = optimizerBodySchemas[type as keyof typeof optimizerBodySchemas].safeParse(body ?? {}, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [type, ...issue.path] } as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  }
  return { type, ...parsed.data } as OptimizerSpec;
});

export const LOSSES = ['categorical_crossentropy', 'sparse_categorical_crossentropy', 'binary_crossentropy', 'mse', 'mae'] as const;
export type Loss = (typeof LOSSES)[number];
export const METRICS = ['accuracy', 'mse', 'mae'] as const;
export type Metric = (typeof METRICS)[number];

export const DATASETS = ['mnist', 'iris', 'spam', 'moons', 'circles', 'spirals', 'xor', 'blobs', 'road-distance', 'csv', 'idx'] as const;
const filePath = (what: string) => z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}` });
const columnList = z.array(z.string({ error: 'expected a column name' }), { error: 'expected a list of column names' });
/** Fields only user files have: which file(s) and, for CSV, which columns. */
const FILE_FIELDS = { csv: ['path', 'target', 'features', 'categorical', 'task'], idx: ['images', 'labels'], spam: ['vocabulary', 'bag_of_words'] } as const;
const scaleSchema = z.enum(['none', 'standardize', 'minmax'], { error: 'expected none, standardize or minmax' });

export const dataSchema = z.strictObject({
  dataset: z.enum(DATASETS, { error: `expected a built-in dataset (${DATASETS.filter((d) => d !== 'csv' && d !== 'idx').join(', ')}) or csv or idx for your own file` }),
  /** csv: the file (relative to the spec's folder), the target column, optional feature and categorical columns, and the task. */
  path: filePath('the path of a CSV file, relative to the spec').optional(),
  target: z.string({ error: 'expected the name of the target column' }).optional(),
  features: columnList.optional(),
  categorical: columnList.optional(),
  task: z.enum(['classification', 'regression'], { error: 'expected classification or regression' }).optional(),
  /** spam: how many of the training split's most common words become features, and how they count. */
  vocabulary: positiveInt('a positive number of words').max(100_000, { error: 'expected at most 100000 words' }).optional(),
  bag_of_words: z.enum(['binary', 'count', 'tfidf'], { error: 'expected binary, count or tfidf' }).optional(),
  /** idx: the images and labels files (MNIST's format, .gz too), relative to the spec's folder. */
  images: filePath('the path of an IDX images file, relative to the spec').optional(),
  labels: filePath('the path of an IDX labels file, relative to the spec').optional(),
  validation_split: fraction('a fraction between 0 and 1').default(0.2),
  /** A held-out share of the data, split off first and evaluated once, after training. */
  test_split: fraction('a fraction between 0 and 1').optional(),
  /** Real data: a stratified, seeded subset of this many samples. Synthetic data: how many to generate. */
  samples: positiveInt('a positive number of samples').optional(),
  /** Synthetic data: noise level (std of added Gaussian noise, relative for road-distance). */
  noise: nonNegativeNumber.optional(),
  /** Synthetic data: the generator's seed, the same for every run seed. */
  seed: z.number({ error: 'expected an integer seed' }).int({ error: 'expected an integer seed' }).nonnegative({ error: 'expected an integer seed ≥ 0' }).default(0),
  /** Feature scaling, fitted on the training split only. */
  scale: scaleSchema.default('none'),
  /** Regression target scaling, fitted on the training split only. */
  target_scale: scaleSchema.default('none'),
  /** Image augmentation of the training split, drawn anew every epoch from the run seed's `augment` stream. */
  augmentation: z.strictObject({
    enabled: bool.default(true),
    rotation: z.number({ error: 'expected degrees between 0 and 180' }).min(0, { error: 'expected degrees between 0 and 180' }).max(180, { error: 'expected degrees between 0 and 180' }).default(0),
    width_shift: z.number({ error: 'expected a fraction of the width between 0 and 1' }).min(0, { error: 'expected a fraction of the width between 0 and 1' }).max(1, { error: 'expected a fraction of the width between 0 and 1' }).default(0),
    height_shift: z.number({ error: 'expected a fraction of the height between 0 and 1' }).min(0, { error: 'expected a fraction of the height between 0 and 1' }).max(1, { error: 'expected a fraction of the height between 0 and 1' }).default(0),
    zoom: z.number({ error: 'expected a zoom range between 0 and 1 (0.1: 90 % to 110 %)' }).min(0, { error: 'expected a zoom range between 0 and 1 (0.1: 90 % to 110 %)' }).lt(1, { error: 'expected a zoom range between 0 and 1 (0.1: 90 % to 110 %)' }).default(0),
    horizontal_flip: bool.default(false),
    fill: z.enum(['nearest', 'constant'], { error: 'expected nearest or constant' }).default('nearest'),
  }).optional(),
}).superRefine((data, ctx) => {
  const needs: Record<string, readonly string[]> = { csv: ['path', 'target', 'task'], idx: ['images', 'labels'] };
  for (const field of needs[data.dataset] ?? []) {
    if (data[field as keyof typeof data] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `missing; dataset ${data.dataset} needs ${needs[data.dataset]!.join(', ')}` });
  }
  for (const [kind, fields] of Object.entries(FILE_FIELDS)) {
    if (kind === data.dataset) continue;
    for (const field of fields) {
      if (data[field as keyof typeof data] !== undefined && !(FILE_FIELDS[data.dataset as keyof typeof FILE_FIELDS] as readonly string[] | undefined)?.includes(field)) {
        ctx.addIssue({ code: 'custom', path: [field], message: `only for dataset ${kind}, not ${data.dataset}` });
      }
    }
  }
});

export const modelSchema = z.strictObject({
  input_shape: z.array(positiveInt('positive dimensions'), { error: 'expected a list of dimensions, e.g. [28, 28, 1]' }).min(1, { error: 'expected at least one dimension' }),
  layers: z.array(layerSchema, { error: 'expected a list of layers' }).min(1, { error: 'expected at least one layer' }),
});

const monitorMode = z.enum(['auto', 'min', 'max'], { error: 'expected auto, min or max' });

/** Keras' callbacks, with Keras' defaults. `monitor` names a history column. */
export const callbacksSchema = z.strictObject({
  early_stopping: z.strictObject({
    enabled: bool.default(true),
    monitor: z.string({ error: 'expected a history column, e.g. val_loss' }).default('val_loss'),
    min_delta: nonNegativeNumber.default(0),
    patience: z.number({ error: 'expected an integer ≥ 0' }).int({ error: 'expected an integer ≥ 0' }).nonnegative({ error: 'expected an integer ≥ 0' }).default(0),
    mode: monitorMode.default('auto'),
    restore_best: bool.default(false),
  }).optional(),
  reduce_lr_on_plateau: z.strictObject({
    enabled: bool.default(true),
    monitor: z.string({ error: 'expected a history column, e.g. val_loss' }).default('val_loss'),
    factor: fraction('a factor between 0 and 1').default(0.1),
    patience: z.number({ error: 'expected an integer ≥ 0' }).int({ error: 'expected an integer ≥ 0' }).nonnegative({ error: 'expected an integer ≥ 0' }).default(10),
    min_delta: nonNegativeNumber.default(0.0001),
    min_lr: nonNegativeNumber.default(0),
    mode: monitorMode.default('auto'),
  }).optional(),
  /** Save the weights of the best epoch (by monitor) under the run's checkpoint/ folder, in tfjs format. */
  checkpoint: z.strictObject({
    enabled: bool.default(true),
    monitor: z.string({ error: 'expected a history column, e.g. val_loss' }).default('val_loss'),
    mode: monitorMode.default('auto'),
  }).optional(),
});
export type CallbacksSpec = z.infer<typeof callbacksSchema>;

export const trainSchema = z.strictObject({
  optimizer: optimizerSchema,
  loss: z.enum(LOSSES, { error: `expected one of ${LOSSES.join(', ')}` }),
  /** Default: accuracy for classification datasets, mae for regression (filled in by specSchema). */
  metrics: z.array(z.enum(METRICS, { error: `expected one of ${METRICS.join(', ')}` })).optional(),
  batch_size: positiveInt().default(32),
  epochs: positiveInt().default(10),
  callbacks: callbacksSchema.default({}),
});

const gridValue = z.union([z.number(), z.string(), z.boolean(), z.record(z.string(), z.unknown())], { error: 'expected a number, string, boolean or mapping' });
const factorName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const sweepSchema = z.strictObject({
  seeds: z
    .array(z.number({ error: 'expected an integer seed' }).int({ error: 'expected an integer seed' }).nonnegative({ error: 'expected an integer seed ≥ 0' }), { error: 'expected a list of seeds, e.g. [1, 2, 3]' })
    .min(1, { error: 'expected at least one seed' })
    .default([1]),
  grid: z
    .record(
      z.string().regex(factorName, { error: 'expected a factor name made of letters, digits and _' }),
      z.array(gridValue, { error: 'expected a list of values, e.g. [5, 50, 100]' }).min(1, { error: 'expected at least one value' }),
    )
    .default({}),
});

export const reportSchema = z.strictObject({
  compare: z.string({ error: 'expected the name of a grid factor' }).optional(),
  threshold: z.record(z.string(), z.number({ error: 'expected a number' })).optional(),
  /** Epochs at which to report every metric across seeds, e.g. [1]: "how good after one epoch?". */
  at_epochs: z.array(z.number({ error: 'expected an epoch number' }).int({ error: 'expected a whole epoch number' }).positive({ error: 'expected an epoch number from 1' }), { error: 'expected a list of epoch numbers, e.g. [1, 5]' }).max(5, { error: 'expected at most 5 epochs' }).optional(),
});

const specObject = z.strictObject({
  name: z.string({ error: 'expected a name' }).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'expected a name made of letters, digits, ".", "_" and "-" (it names the results folder)' }),
  question: z.string({ error: 'expected the question this experiment answers, as text' }).optional(),
  data: dataSchema,
  model: modelSchema,
  train: trainSchema,
  sweep: sweepSchema.default({ seeds: [1], grid: {} }),
  report: reportSchema.default({}),
});

const REGRESSION_DATASETS: ReadonlyArray<string> = ['road-distance'];

export const specSchema = specObject.transform((spec) => ({
  ...spec,
  train: { ...spec.train, metrics: spec.train.metrics ?? (REGRESSION_DATASETS.includes(spec.data.dataset) || spec.data.task === 'regression' ? ['mae' as const] : ['accuracy' as const]) },
}));

export type Spec = z.infer<typeof specSchema>;
export type DataSpec = z.infer<typeof dataSchema>;
export type ModelSpec = z.infer<typeof modelSchema>;
export type TrainSpec = Spec['train'];
export type SweepSpec = z.infer<typeof sweepSchema>;
