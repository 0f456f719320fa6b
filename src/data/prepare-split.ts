import { createRng } from '../shared/rng.js';
import type { DataSpec } from '../spec/schema.js';
import { selectSamples, type Dataset } from './dataset.js';
import { stratifiedSplit, stratifiedSubset } from './split.js';

export interface SplitData {
  train: Dataset;
  validation: Dataset;
}

/**
 * Subset (if `samples` is set) and split a dataset for one run. Uses the run seed's `subset` and `split`
 * streams only, so every variant of a seed sees exactly the same samples.
 */
export function prepareSplit(data: Dataset, spec: DataSpec, seed: number): SplitData {
  const subset = spec.samples ? selectSamples(data, stratifiedSubset(data.labels, spec.samples, createRng(seed, 'subset'))) : data;
  const { train, validation } = stratifiedSplit(subset.labels, spec.validation_split, createRng(seed, 'split'));
  return { train: selectSamples(subset, train), validation: selectSamples(subset, validation) };
}
