import type { ClassCounts } from '../run/run-chain.js';
import { createRng } from '../shared/rng.js';
import type { DataSpec } from '../spec/schema.js';
import { featureSize, selectSamples, type Dataset } from './dataset.js';
import { applyScaler, fitScaler, type Scaler } from './scale.js';
import { fitVocabulary, vectorize } from './bag-of-words.js';
import { DEFAULT_VOCABULARY } from './catalog.js';
import { stratifiedSplit, stratifiedSubset, tailSplit } from './split.js';

export interface SplitData {
  train: Dataset;
  validation: Dataset;
  /** data.test_split: held out before the train/validation split, evaluated once at the end. */
  test?: Dataset;
  /** Regression: the target scaling fitted on the training split, to report errors in the target's own units. */
  targetScaler?: Scaler;
  /** Samples per class in each split, where the split does not keep classes in proportion (tail). */
  classCounts?: ClassCounts;
}

/**
 * Subset (if `samples` is set) and split a dataset for one run. Uses the run seed's `subset` and `split`
 * streams only, so every variant of a seed sees exactly the same samples.
 */
export function prepareSplit(data: Dataset, spec: DataSpec, seed: number): SplitData {
  // Synthetic sets are generated at the requested size; real ones are subset.
  const subsetting = spec.samples !== undefined && spec.samples < data.labels.length;
  const subset = subsetting ? selectSamples(data, stratifiedSubset(data.labels, spec.samples!, createRng(seed, 'subset'))) : data;
  // The test share comes off first, from its own stream: adding test_split changes which samples
  // train, but never how the rest is split from one seed to the next.
  // split: tail takes each share off the end of the data as given (the test share last), like Keras.
  const tail = spec.split === 'tail';
  const held = spec.test_split
    ? tail
      ? tailSplit(subset.labels.length, spec.test_split)
      : stratifiedSplit(subset.labels, spec.test_split, createRng(seed, 'test-split'))
    : undefined;
  const rest = held ? selectSamples(subset, held.train) : subset;
  const { train, validation } = tail
    ? tailSplit(rest.labels.length, spec.validation_split)
    : stratifiedSplit(rest.labels, spec.validation_split, createRng(seed, 'split'));
  const split: SplitData = {
    train: selectSamples(rest, train),
    validation: selectSamples(rest, validation),
    ...(held ? { test: selectSamples(subset, held.validation) } : {}),
  };
  const counted =
    tail && !split.train.targets && split.train.numClasses > 1
      ? { ...split, classCounts: { train: countClasses(split.train), validation: countClasses(split.validation) } }
      : split;
  return scaleSplit(subset.text ? bagOfWords(counted, spec) : counted, spec);
}

function countClasses(d: Dataset): number[] {
  const counts = new Array<number>(d.numClasses).fill(0);
  for (const label of d.labels) counts[label]!++;
  return counts;
}

/** Text: the vocabulary of the training split's most common words, then both splits as word vectors. */
function bagOfWords(split: SplitData, spec: DataSpec): SplitData {
  const size = spec.vocabulary ?? DEFAULT_VOCABULARY;
  const mode = spec.bag_of_words ?? 'binary';
  const corpus = split.train.text!;
  const vocabulary = fitVocabulary(corpus, corpus.documents, size);
  const features = (d: Dataset): Dataset => ({ ...d, featureShape: [size], x: vectorize(d.text!.documents, vocabulary, size, mode, corpus.documents.length) });
  return { ...split, train: features(split.train), validation: features(split.validation), ...(split.test ? { test: features(split.test) } : {}) };
}

/** Fit feature (and regression target) scaling on the training split; apply it to both splits. */
function scaleSplit(split: SplitData, spec: DataSpec): SplitData {
  const width = featureSize(split.train);
  const xScaler = fitScaler(split.train.x, width, spec.scale);
  const tWidth = split.train.targetWidth ?? 1;
  const tScaler = split.train.targets ? fitScaler(split.train.targets, tWidth, spec.target_scale) : undefined;
  const apply = (d: Dataset): Dataset => ({
    ...d,
    x: applyScaler(d.x, xScaler),
    ...(d.targets && tScaler ? { targets: applyScaler(d.targets, tScaler) } : {}),
  });
  return {
    ...split,
    train: apply(split.train),
    validation: apply(split.validation),
    ...(split.test ? { test: apply(split.test) } : {}),
    ...(tScaler ? { targetScaler: tScaler } : {}),
  };
}
