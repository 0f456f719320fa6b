import { z } from 'zod';
import { bool, fraction, nonNegativeNumber, positiveInt } from './schema-parts.js';

const DATASETS = ['mnist', 'iris', 'spam', 'moons', 'circles', 'spirals', 'xor', 'blobs', 'road-distance', 'csv', 'idx', 'npz', 'npy'] as const;
const USER_FILES: ReadonlyArray<string> = ['csv', 'idx', 'npz', 'npy'];
const filePath = (what: string) => z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}` });
const columnList = z.array(z.string({ error: 'expected a column name' }), { error: 'expected a list of column names' });
/** Fields only user files have: which file(s) and, for CSV, which columns. */
const FILE_FIELDS = {
  csv: ['path', 'target', 'features', 'categorical', 'task'],
  idx: ['images', 'labels'],
  npz: ['path', 'x', 'y', 'task'],
  npy: ['x', 'y', 'task'],
  spam: ['vocabulary', 'bag_of_words'],
} as const;
const scaleSchema = z.enum(['none', 'standardize', 'minmax'], { error: 'expected none, standardize or minmax' });

export const dataSchema = z
  .strictObject({
    dataset: z.enum(DATASETS, {
      error: `expected a built-in dataset (${DATASETS.filter((d) => !USER_FILES.includes(d)).join(', ')}) or csv, idx, npz or npy for your own file`,
    }),
    /** csv and npz: the file (relative to the spec's folder); csv: the target column, optional feature and categorical columns, and the task. */
    path: filePath('the path of the data file (.csv or .npz), relative to the spec').optional(),
    target: z.string({ error: 'expected the name of the target column' }).optional(),
    features: columnList.optional(),
    categorical: columnList.optional(),
    task: z.enum(['classification', 'regression'], { error: 'expected classification or regression' }).optional(),
    /** spam: how many of the training split's most common words become features, and how they count. */
    vocabulary: positiveInt('a positive number of words').max(100_000, { error: 'expected at most 100000 words' }).optional(),
    bag_of_words: z.enum(['binary', 'count', 'tfidf'], { error: 'expected binary, count or tfidf' }).optional(),
    /** idx: the images and labels files (MNIST's format, .gz too), relative to the spec's folder. */
    images: filePath('the path of an IDX images file, relative to the spec').optional(),
    /** npz: the names of the features and labels arrays in the archive (default x and y); npy: the two files. */
    x: filePath('the features: an array name in the .npz, or a .npy file').optional(),
    y: filePath('the labels or targets: an array name in the .npz, or a .npy file').optional(),
    labels: filePath('the path of an IDX labels file, relative to the spec').optional(),
    validation_split: fraction('a fraction between 0 and 1').default(0.2),
    /**
     * How validation (and test) samples are chosen: stratified (default: seeded, every class in
     * proportion) or tail (Keras' validation_split: the last share of the data in the order given,
     * before any shuffling). Stratified is kept as absent, so a spec that says it and one that does
     * not train the same runs under the same ids (and `split: "${split}"` sweeps share them).
     */
    split: z
      .enum(['stratified', 'tail'], { error: "expected stratified or tail (Keras' validation_split: the last share of the data as given)" })
      .optional()
      .transform((split) => (split === 'stratified' ? undefined : split)),
    /** A held-out share of the data, split off first and evaluated once, after training. */
    test_split: fraction('a fraction between 0 and 1').optional(),
    /** Real data: a stratified, seeded subset of this many samples. Synthetic data: how many to generate. */
    samples: positiveInt('a positive number of samples').optional(),
    /** Synthetic data: noise level (std of added Gaussian noise, relative for road-distance). */
    noise: nonNegativeNumber.optional(),
    /** Synthetic data: the generator's seed, the same for every run seed. */
    seed: z
      .number({ error: 'expected an integer seed' })
      .int({ error: 'expected an integer seed' })
      .nonnegative({ error: 'expected an integer seed ≥ 0' })
      .default(0),
    /** Feature scaling, fitted on the training split only. */
    scale: scaleSchema.default('none'),
    /** Regression target scaling, fitted on the training split only. */
    target_scale: scaleSchema.default('none'),
    /** Image augmentation of the training split, drawn anew every epoch from the run seed's `augment` stream. */
    augmentation: z
      .strictObject({
        enabled: bool.default(true),
        rotation: z
          .number({ error: 'expected degrees between 0 and 180' })
          .min(0, { error: 'expected degrees between 0 and 180' })
          .max(180, { error: 'expected degrees between 0 and 180' })
          .default(0),
        width_shift: z
          .number({ error: 'expected a fraction of the width between 0 and 1' })
          .min(0, { error: 'expected a fraction of the width between 0 and 1' })
          .max(1, { error: 'expected a fraction of the width between 0 and 1' })
          .default(0),
        height_shift: z
          .number({ error: 'expected a fraction of the height between 0 and 1' })
          .min(0, { error: 'expected a fraction of the height between 0 and 1' })
          .max(1, { error: 'expected a fraction of the height between 0 and 1' })
          .default(0),
        zoom: z
          .number({ error: 'expected a zoom range between 0 and 1 (0.1: 90 % to 110 %)' })
          .min(0, { error: 'expected a zoom range between 0 and 1 (0.1: 90 % to 110 %)' })
          .lt(1, { error: 'expected a zoom range between 0 and 1 (0.1: 90 % to 110 %)' })
          .default(0),
        horizontal_flip: bool.default(false),
        fill: z.enum(['nearest', 'constant'], { error: 'expected nearest or constant' }).default('nearest'),
      })
      .optional(),
  })
  .superRefine((data, ctx) => {
    const needs: Record<string, readonly string[]> = {
      csv: ['path', 'target', 'task'],
      idx: ['images', 'labels'],
      npz: ['path', 'task'],
      npy: ['x', 'y', 'task'],
    };
    for (const field of needs[data.dataset] ?? []) {
      if (data[field as keyof typeof data] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `missing; dataset ${data.dataset} needs ${needs[data.dataset]!.join(', ')}` });
    }
    for (const [kind, fields] of Object.entries(FILE_FIELDS)) {
      if (kind === data.dataset) continue;
      for (const field of fields) {
        if (
          data[field as keyof typeof data] !== undefined &&
          !(FILE_FIELDS[data.dataset as keyof typeof FILE_FIELDS] as readonly string[] | undefined)?.includes(field)
        ) {
          ctx.addIssue({ code: 'custom', path: [field], message: `only for dataset ${kind}, not ${data.dataset}` });
        }
      }
    }
  });
