import { describe, expect, it } from 'vitest';
import { stratifiedSplit, stratifiedSubset } from '../../src/data/split.js';
import { createRng } from '../../src/shared/rng.js';
import type { Dataset } from '../../src/data/dataset.js';
import { prepareSplit } from '../../src/data/prepare-split.js';
import { dataSchema } from '../../src/spec/schema.js';

// Sorted by class like the mnist package: 0,0,…,1,1,…
const sortedLabels = Int32Array.from({ length: 1000 }, (_, i) => Math.floor(i / 100));
const countByClass = (labels: Int32Array, idx: Int32Array) => {
  const counts = new Array(10).fill(0);
  idx.forEach((i) => counts[labels[i]!]++);
  return counts;
};

describe('stratifiedSplit', () => {
  it('puts every class in validation in proportion, and loses no sample', () => {
    const { train, validation } = stratifiedSplit(sortedLabels, 0.2, createRng(1, 'split'));
    expect(countByClass(sortedLabels, validation)).toEqual(new Array(10).fill(20));
    expect(train.length + validation.length).toBe(1000);
    expect(new Set([...train, ...validation]).size).toBe(1000);
  });

  it('is reproducible per seed and differs across seeds', () => {
    const a = stratifiedSplit(sortedLabels, 0.2, createRng(1, 'split'));
    const b = stratifiedSplit(sortedLabels, 0.2, createRng(1, 'split'));
    const c = stratifiedSplit(sortedLabels, 0.2, createRng(2, 'split'));
    expect(a.validation).toEqual(b.validation);
    expect(a.validation).not.toEqual(c.validation);
  });

  it('splits a million samples of two classes (no argument list the size of a class)', () => {
    const labels = Int32Array.from({ length: 1_000_000 }, (_, i) => (i < 600_000 ? 0 : 1));
    const { train, validation } = stratifiedSplit(labels, 0.2, createRng(1, 'split'));
    expect([train.length, validation.length]).toEqual([800_000, 200_000]);
    expect(stratifiedSubset(labels, 900_000, createRng(1, 'subset')).length).toBe(900_000);
  });

  it('shuffles the training order (no class blocks)', () => {
    const { train } = stratifiedSplit(sortedLabels, 0.2, createRng(1, 'split'));
    const firstFifty = new Set(Array.from(train.slice(0, 50), (i) => sortedLabels[i]));
    expect(firstFifty.size).toBeGreaterThan(5);
  });
});

describe('stratifiedSubset', () => {
  it.each([
    { size: 300, perClass: 30 },
    { size: 55, perClass: null },
  ])('takes $size samples keeping class proportions', ({ size, perClass }) => {
    const subset = stratifiedSubset(sortedLabels, size, createRng(1, 'subset'));
    expect(subset.length).toBe(size);
    const counts = countByClass(sortedLabels, subset);
    if (perClass) expect(counts).toEqual(new Array(10).fill(perClass));
    else expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });
});

describe('prepareSplit with a held-out test split', () => {
  // 200 samples, 4 classes in blocks; feature 0 is the sample's index so splits can be traced.
  const data: Dataset = {
    name: 'toy',
    task: 'classification',
    featureShape: [1],
    x: Float32Array.from({ length: 200 }, (_, i) => i),
    labels: Int32Array.from({ length: 200 }, (_, i) => Math.floor(i / 50)),
    numClasses: 4,
  };
  const ids = (d: Dataset) => Array.from(d.x);

  it('holds out a stratified share that is in neither the training nor the validation split', () => {
    const split = prepareSplit(data, dataSchema.parse({ dataset: 'iris', test_split: 0.2, validation_split: 0.25 }), 1);
    expect(split.test!.labels.length).toBe(40);
    expect(split.validation.labels.length).toBe(40);
    expect(split.train.labels.length).toBe(120);
    expect(new Set([...ids(split.train), ...ids(split.validation), ...ids(split.test!)]).size).toBe(200);
    for (let c = 0; c < 4; c++) expect(Array.from(split.test!.labels).filter((l) => l === c)).toHaveLength(10);
  });

  it('is the same for the same seed, another for another seed, and absent without test_split', () => {
    const spec = dataSchema.parse({ dataset: 'iris', test_split: 0.2 });
    expect(ids(prepareSplit(data, spec, 1).test!)).toEqual(ids(prepareSplit(data, spec, 1).test!));
    expect(ids(prepareSplit(data, spec, 2).test!)).not.toEqual(ids(prepareSplit(data, spec, 1).test!));
    expect(prepareSplit(data, dataSchema.parse({ dataset: 'iris' }), 1).test).toBeUndefined();
  });

  it('scales the test split with the training split’s statistics', () => {
    const split = prepareSplit(data, dataSchema.parse({ dataset: 'iris', test_split: 0.2, scale: 'standardize' }), 1);
    const trainMean = ids(split.train).reduce((a, b) => a + b, 0) / split.train.labels.length;
    expect(Math.abs(trainMean)).toBeLessThan(1e-5);
    // The same affine map: the test sample with the largest raw index maps to the largest scaled value.
    const raw = ids(prepareSplit(data, dataSchema.parse({ dataset: 'iris', test_split: 0.2 }), 1).test!);
    const scaled = ids(split.test!);
    expect(scaled.indexOf(Math.max(...scaled))).toBe(raw.indexOf(Math.max(...raw)));
  });
});

describe("split: tail, Keras' validation_split", () => {
  // 200 samples, 4 classes in blocks, as many files and every synthetic set store them.
  const data: Dataset = {
    name: 'toy',
    task: 'classification',
    featureShape: [1],
    x: Float32Array.from({ length: 200 }, (_, i) => i),
    labels: Int32Array.from({ length: 200 }, (_, i) => Math.floor(i / 50)),
    numClasses: 4,
  };
  const ids = (d: Dataset) => Array.from(d.x);

  it('takes the last share of the data as given for validation, the rest in order for training', () => {
    const split = prepareSplit(data, dataSchema.parse({ dataset: 'iris', validation_split: 0.2, split: 'tail' }), 1);
    expect(ids(split.validation)).toEqual(Array.from({ length: 40 }, (_, i) => 160 + i));
    expect(ids(split.train)).toEqual(Array.from({ length: 160 }, (_, i) => i));
    expect(new Set(split.validation.labels)).toEqual(new Set([3]));
  });

  it('is the same for every seed, and takes a test share off the very end first', () => {
    const spec = dataSchema.parse({ dataset: 'iris', validation_split: 0.25, test_split: 0.2, split: 'tail' });
    const one = prepareSplit(data, spec, 1);
    expect(ids(one.test!)).toEqual(Array.from({ length: 40 }, (_, i) => 160 + i));
    expect(ids(one.validation)).toEqual(Array.from({ length: 40 }, (_, i) => 120 + i));
    expect(ids(prepareSplit(data, spec, 2).validation)).toEqual(ids(one.validation));
  });

  it('keeps existing specs as they were: no split field means stratified', () => {
    expect(dataSchema.parse({ dataset: 'iris' }).split).toBeUndefined();
    expect(dataSchema.safeParse({ dataset: 'iris', split: 'head' }).error?.issues[0]?.message).toMatch(/expected stratified or tail/);
  });
});
