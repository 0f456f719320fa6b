import { z } from 'zod';
import { dataSchema } from './data-schema.js';
import { modelSchema } from './layer-schema.js';
import { trainSchema } from './train-schema.js';
import { parseQuantity } from '../shared/quantity.js';
import { distributionSchema } from './random-space.js';

export * from './data-schema.js';
export * from './layer-schema.js';
export * from './train-schema.js';

const gridValue = z.union([z.number(), z.string(), z.boolean(), z.record(z.string(), z.unknown())], { error: 'expected a number, string, boolean or mapping' });
const factorName = /^[A-Za-z_][A-Za-z0-9_]*$/;

const seedList = z
  .array(z.number({ error: 'expected an integer seed' }).int({ error: 'expected an integer seed' }).nonnegative({ error: 'expected an integer seed ≥ 0' }), {
    error: 'expected a list of seeds, e.g. [1, 2, 3], or {min: 5, max: 30, until: decided}',
  })
  .min(1, { error: 'expected at least one seed' });

const count = (what: string) => z.number({ error: `expected ${what}` }).int({ error: `expected ${what}` });

/**
 * Seeds until decided: seeds 1..min for every variant, then rounds of `step` more (1, 2, … in order)
 * for the variants of comparisons still inconclusive, up to max. See pipeline/adaptive-rounds.ts.
 */
const adaptiveSeeds = z
  .strictObject({
    min: count('a number of seeds ≥ 2').min(2, { error: 'expected at least 2 seeds to start from (one seed gives no interval)' }),
    max: count('a number of seeds').max(200, { error: 'expected at most 200 seeds' }),
    until: z.literal('decided', { error: 'expected until: decided' }),
    step: count('a number of seeds per round ≥ 1').min(1, { error: 'expected at least 1 seed per round' }).optional(),
  })
  .refine((a) => a.max >= a.min, { error: 'expected max ≥ min', path: ['max'] });

export type AdaptiveSeeds = { min: number; max: number; step: number };

export const sweepSchema = z.strictObject({
  seeds: z
    .union([seedList, adaptiveSeeds], { error: 'expected a list of seeds, e.g. [1, 2, 3], or {min: 5, max: 30, until: decided}' })
    .default([1])
    .transform((seeds): { list: number[]; adaptive?: AdaptiveSeeds } =>
      Array.isArray(seeds)
        ? { list: seeds }
        : { list: Array.from({ length: seeds.min }, (_, i) => i + 1), adaptive: { min: seeds.min, max: seeds.max, step: seeds.step ?? seeds.min } },
    ),
  grid: z
    .record(
      z.string().regex(factorName, { error: 'expected a factor name made of letters, digits and _' }),
      z.array(gridValue, { error: 'expected a list of values, e.g. [5, 50, 100]' }).min(1, { error: 'expected at least one value' }),
    )
    .default({}),
  /**
   * A random search beside the grid: `samples` points drawn from `space` (seeded by `seed`), each
   * crossed with every grid point, so the grid's comparisons are paired at the same sampled values.
   */
  random: z
    .strictObject({
      samples: count('a number of samples ≥ 1').min(1, { error: 'expected at least 1 sample' }).max(1000, { error: 'expected at most 1000 samples' }),
      seed: count('an integer seed ≥ 0').nonnegative({ error: 'expected an integer seed ≥ 0' }).default(0),
      space: z
        .record(z.string().regex(factorName, { error: 'expected a factor name made of letters, digits and _' }), distributionSchema)
        .refine((space) => Object.keys(space).length > 0, { error: 'expected at least one factor, e.g. {lr: {loguniform: [1.0e-4, 1.0e-1]}}' }),
    })
    .optional(),
});

const quantityText = z.string({ error: 'expected a quantity such as "final val_accuracy"' }).superRefine((text, ctx) => {
  const parsed = parseQuantity(text);
  if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
});

const reportSchema = z.strictObject({
  /** The factors the question is about: each is compared with its first level within the others. */
  compare: z
    .union([z.string(), z.array(z.string({ error: 'expected the name of a grid factor' })).min(1, { error: 'expected at least one factor' })], {
      error: 'expected the name of a grid factor, or a list of them',
    })
    .transform((c) => (typeof c === 'string' ? [c] : [...new Set(c)]))
    .optional(),
  threshold: z.record(z.string(), z.number({ error: 'expected a number' })).optional(),
  /** What comparisons pair across seeds (default: see analysis/compare.ts quantitiesFor). */
  quantities: z
    .array(quantityText, { error: 'expected a list of quantities, e.g. [final val_accuracy, auc loss]' })
    .min(1, { error: 'expected at least one quantity' })
    .optional(),
  /** Practical margins: differences within ±margin are negligible (by column; `epochs` for epochs to a threshold). */
  margins: z.record(z.string(), z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' })).optional(),
  /** Epochs at which to report every metric across seeds, e.g. [1]: "how good after one epoch?". */
  at_epochs: z
    .array(
      z.number({ error: 'expected an epoch number' }).int({ error: 'expected a whole epoch number' }).positive({ error: 'expected an epoch number from 1' }),
      { error: 'expected a list of epoch numbers, e.g. [1, 5]' },
    )
    .max(5, { error: 'expected at most 5 epochs' })
    .optional(),
});

const specObject = z.strictObject({
  name: z
    .string({ error: 'expected a name' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'expected a name made of letters, digits, ".", "_" and "-" (it names the results folder)' }),
  question: z.string({ error: 'expected the question this experiment answers, as text' }).optional(),
  data: dataSchema,
  model: modelSchema,
  train: trainSchema,
  sweep: sweepSchema.default({ seeds: { list: [1] }, grid: {} }),
  report: reportSchema.default({}),
});

const REGRESSION_DATASETS: ReadonlyArray<string> = ['road-distance'];

export const specSchema = specObject.transform((spec) => ({
  ...spec,
  train: {
    ...spec.train,
    metrics:
      spec.train.metrics ?? (REGRESSION_DATASETS.includes(spec.data.dataset) || spec.data.task === 'regression' ? ['mae' as const] : ['accuracy' as const]),
  },
}));

export type Spec = z.infer<typeof specSchema>;
export type DataSpec = z.infer<typeof dataSchema>;
export type ModelSpec = z.infer<typeof modelSchema>;
export type TrainSpec = Spec['train'];
