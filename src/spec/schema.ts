import { z } from 'zod';
import { dataSchema } from './data-schema.js';
import { modelSchema } from './layer-schema.js';
import { trainSchema } from './train-schema.js';

export * from './data-schema.js';
export * from './layer-schema.js';
export * from './train-schema.js';

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

const reportSchema = z.strictObject({
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
