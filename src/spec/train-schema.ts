import { z } from 'zod';
import { bool, didYouMean, fraction, learningRate, nonNegativeNumber, positiveInt } from './schema-parts.js';

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
    ctx.addIssue({
      code: 'custom',
      message: `unknown optimizer "${type}"${didYouMean(type, OPTIMIZERS)}; expected one of ${OPTIMIZERS.join(', ')}`,
      path: [type],
    });
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

const monitorMode = z.enum(['auto', 'min', 'max'], { error: 'expected auto, min or max' });

/** Keras' callbacks, with Keras' defaults. `monitor` names a history column. */
const callbacksSchema = z.strictObject({
  early_stopping: z
    .strictObject({
      enabled: bool.default(true),
      monitor: z.string({ error: 'expected a history column, e.g. val_loss' }).default('val_loss'),
      min_delta: nonNegativeNumber.default(0),
      patience: z
        .number({ error: 'expected an integer ≥ 0' })
        .int({ error: 'expected an integer ≥ 0' })
        .nonnegative({ error: 'expected an integer ≥ 0' })
        .default(0),
      mode: monitorMode.default('auto'),
      restore_best: bool.default(false),
    })
    .optional(),
  reduce_lr_on_plateau: z
    .strictObject({
      enabled: bool.default(true),
      monitor: z.string({ error: 'expected a history column, e.g. val_loss' }).default('val_loss'),
      factor: fraction('a factor between 0 and 1').default(0.1),
      patience: z
        .number({ error: 'expected an integer ≥ 0' })
        .int({ error: 'expected an integer ≥ 0' })
        .nonnegative({ error: 'expected an integer ≥ 0' })
        .default(10),
      min_delta: nonNegativeNumber.default(0.0001),
      min_lr: nonNegativeNumber.default(0),
      mode: monitorMode.default('auto'),
    })
    .optional(),
  /** Save the weights of the best epoch (by monitor) under the run's checkpoint/ folder, in tfjs format. */
  checkpoint: z
    .strictObject({
      enabled: bool.default(true),
      monitor: z.string({ error: 'expected a history column, e.g. val_loss' }).default('val_loss'),
      mode: monitorMode.default('auto'),
    })
    .optional(),
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
  /**
   * Record per-layer signals (runs/<id>/layers.csv) on the dense engine. Absent means on; absent,
   * not true, so that run ids from before the switch existed stay the same.
   */
  layer_signals: bool.optional(),
});
