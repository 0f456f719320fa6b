import { z } from 'zod';
import { bool, didYouMean, fraction, positiveInt } from './schema-parts.js';

export const ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hard_sigmoid',
  'softmax',
  'softplus',
  'softsign',
  'tanh',
  'swish',
  'gelu',
] as const;
const activationSchema = z.enum(ACTIVATIONS, { error: `expected one of ${ACTIVATIONS.join(', ')}` });
export type Activation = z.infer<typeof activationSchema>;

export const INITIALIZERS = [
  'glorot_uniform',
  'glorot_normal',
  'he_uniform',
  'he_normal',
  'lecun_uniform',
  'lecun_normal',
  'random_uniform',
  'random_normal',
  'truncated_normal',
  'zeros',
  'ones',
] as const;
const initializerSchema = z.union([z.enum(INITIALIZERS), z.strictObject({ constant: z.number({ error: 'expected a number' }) })], {
  error: `expected one of ${INITIALIZERS.join(', ')}, or {constant: <number>}`,
});
export type Initializer = z.infer<typeof initializerSchema>;

const layerCommon = { enabled: bool.default(true) };

const penalty = z.number({ error: 'expected a penalty factor ≥ 0' }).nonnegative({ error: 'expected a penalty factor ≥ 0' });
/** `{l2: 0.01}`, `{l1: 0.001}` or `{l1_l2: {l1: 0.001, l2: 0.01}}`, added to the loss as Keras does. */
const regularizerSchema = z.union(
  [
    z.strictObject({ l1: penalty }),
    z.strictObject({ l2: penalty }),
    z.strictObject({ l1_l2: z.strictObject({ l1: penalty.default(0), l2: penalty.default(0) }) }),
  ],
  { error: 'expected {l1: x}, {l2: x} or {l1_l2: {l1: x, l2: y}}' },
);
export type RegularizerSpec = z.infer<typeof regularizerSchema>;

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

/** One schema per layer type; the key of a layer mapping in the spec selects it. */
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

type LayerType = keyof typeof layerBodySchemas;
export const LAYER_TYPES = Object.keys(layerBodySchemas) as LayerType[];
export type LayerSpec = {
  [K in LayerType]: { type: K } & z.infer<(typeof layerBodySchemas)[K]>;
}[LayerType];

/**
 * A layer is a one-key mapping `{dense: {...}}`. `activation: relu` is short for
 * `{activation: {activation: relu}}`, and `flatten: {}` may be written `flatten`.
 */
const layerSchema = z.unknown().transform((raw, ctx): LayerSpec => {
  const entry = typeof raw === 'string' ? { [raw]: {} } : raw;
  if (!entry || typeof entry !== 'object' || Array.isArray(entry) || Object.keys(entry).length !== 1) {
    ctx.addIssue({ code: 'custom', message: `expected a layer such as {dense: {units: 10}}; layer types: ${LAYER_TYPES.join(', ')}`, input: raw });
    return z.NEVER;
  }
  const [type, body] = Object.entries(entry)[0]!;
  if (!(type in layerBodySchemas)) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown layer type "${type}"${didYouMean(type, LAYER_TYPES)}; expected one of ${LAYER_TYPES.join(', ')}`,
      path: [type],
    });
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

export const modelSchema = z.strictObject({
  input_shape: z
    .array(positiveInt('positive dimensions'), { error: 'expected a list of dimensions, e.g. [28, 28, 1]' })
    .min(1, { error: 'expected at least one dimension' }),
  layers: z.array(layerSchema, { error: 'expected a list of layers' }).min(1, { error: 'expected at least one layer' }),
});
