import { describe, expect, it } from 'vitest';
import { median } from '../../src/shared/numbers.js';

describe('median', () => {
  it.each([
    { name: 'none', values: [], expected: null },
    { name: 'odd count', values: [3, 1, 2], expected: 2 },
    { name: 'even count: the middle of the two middle values', values: [3, 1, 2, 10], expected: 2.5 },
    { name: 'a censored (infinite) value in the middle pair wins, never NaN', values: [1, Infinity, Infinity, 2], expected: Infinity },
    { name: 'equal middle values', values: [5, -Infinity, 5, 9], expected: 5 },
  ])('$name', ({ values, expected }) => {
    expect(median(values)).toBe(expected);
  });
});
