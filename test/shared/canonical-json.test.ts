import { describe, expect, it } from 'vitest';
import { canonicalJson, hashText, stableJson } from '../../src/shared/canonical-json.js';
import { roundForOutput, sampleStd } from '../../src/shared/numbers.js';

describe('canonicalJson', () => {
  it.each([
    { name: 'sorts keys at every level', input: { b: 1, a: [2, { d: 3, c: 4 }] }, expected: '{"a":[2,{"c":4,"d":3}],"b":1}' },
    { name: 'drops undefined fields', input: { a: undefined, b: null }, expected: '{"b":null}' },
    { name: 'keeps array order', input: [3, 1, 2], expected: '[3,1,2]' },
  ])('$name', ({ input, expected }) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  it('gives equal text (and hash) for equal values written in any key order', () => {
    expect(hashText(canonicalJson({ x: 1, y: { p: 1, q: 2 } }))).toBe(hashText(canonicalJson({ y: { q: 2, p: 1 }, x: 1 })));
  });

  it('stableJson ends with a newline and is indented', () => {
    expect(stableJson({ b: 1, a: 2 })).toBe('{\n  "a": 2,\n  "b": 1\n}\n');
  });
});

describe('numbers', () => {
  it.each([
    { input: 0.123456789, expected: 0.123457 },
    { input: 1234567.89, expected: 1234570 },
    { input: Number.NaN, expected: null },
    { input: Number.POSITIVE_INFINITY, expected: null },
    { input: 0, expected: 0 },
  ])('roundForOutput($input) = $expected', ({ input, expected }) => {
    expect(roundForOutput(input)).toBe(expected);
  });

  it('sampleStd uses n - 1 and needs two values', () => {
    expect(sampleStd([1, 3])).toBeCloseTo(Math.SQRT2, 12);
    expect(sampleStd([5])).toBeNull();
  });
});
