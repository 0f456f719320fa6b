import { describe, expect, it } from 'vitest';
import { stratifiedSplit, stratifiedSubset } from '../../src/data/split.js';
import { createRng } from '../../src/shared/rng.js';

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
