import { describe, expect, it } from 'vitest';
import { findVariables, gridCombinations, substituteVariables } from '../../src/spec/substitute.js';
import { isUnderPath, parseOverride } from '../../src/spec/overrides.js';

describe('substituteVariables', () => {
  it.each([
    { name: 'a whole reference takes the value type', input: { units: '${h}' }, bindings: { h: 50 }, expected: { units: 50 } },
    { name: 'booleans stay booleans', input: { enabled: '${bn}' }, bindings: { bn: false }, expected: { enabled: false } },
    { name: 'embedded references interpolate', input: { name: 'mlp-${h}' }, bindings: { h: 5 }, expected: { name: 'mlp-5' } },
    { name: 'lists are walked', input: [{ a: '${h}' }, '${h}'], bindings: { h: 1 }, expected: [{ a: 1 }, 1] },
    { name: 'unknown references are left for validation', input: { a: '${x}' }, bindings: { h: 1 }, expected: { a: '${x}' } },
  ])('$name', ({ input, bindings, expected }) => {
    expect(substituteVariables(input, bindings)).toEqual(expected);
  });

  it('finds references with their paths', () => {
    expect(findVariables({ model: { layers: [{ dense: { units: '${h}' } }] }, n: 'a${b}c' })).toEqual([
      { name: 'h', path: ['model', 'layers', 0, 'dense', 'units'] },
      { name: 'b', path: ['n'] },
    ]);
  });
});

describe('gridCombinations', () => {
  it.each([
    { name: 'no grid is one empty point', grid: {}, expected: [{}] },
    {
      name: 'first factor varies slowest',
      grid: { a: [1, 2], b: [true, false] },
      expected: [
        { a: 1, b: true },
        { a: 1, b: false },
        { a: 2, b: true },
        { a: 2, b: false },
      ],
    },
  ])('$name', ({ grid, expected }) => {
    expect(gridCombinations(grid)).toEqual(expected);
  });
});

describe('parseOverride', () => {
  it.each([
    { text: 'train.epochs=30', expected: { path: ['train', 'epochs'], value: 30 } },
    { text: 'sweep.grid.hidden=[10, 20]', expected: { path: ['sweep', 'grid', 'hidden'], value: [10, 20] } },
    { text: 'model.layers[2].dense.units=64', expected: { path: ['model', 'layers', 2, 'dense', 'units'], value: 64 } },
    { text: 'question=a=b', expected: { path: ['question'], value: 'a=b' } },
    { text: 'train.optimizer={sgd: {learning_rate: 0.1}}', expected: { path: ['train', 'optimizer'], value: { sgd: { learning_rate: 0.1 } } } },
  ])('$text', ({ text, expected }) => {
    expect(parseOverride(text)).toMatchObject(expected);
  });

  it('isUnderPath', () => {
    expect(isUnderPath(['a', 'b', 1], ['a', 'b'])).toBe(true);
    expect(isUnderPath(['a'], ['a', 'b'])).toBe(false);
  });
});
