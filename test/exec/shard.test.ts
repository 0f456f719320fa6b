import { describe, expect, it } from 'vitest';
import { inShard, parseShard } from '../../src/exec/shard.js';

describe('parseShard', () => {
  it.each([
    { name: 'a shard', input: '2/4', expected: { index: 2, count: 4 } },
    { name: 'spaces around', input: ' 1/1 ', expected: { index: 1, count: 1 } },
    { name: 'an index past the count', input: '5/4', expected: { error: 'expected 1 ≤ I ≤ N, got 5/4' } },
    { name: 'index 0', input: '0/4', expected: { error: 'expected 1 ≤ I ≤ N, got 0/4' } },
    { name: 'not I/N', input: 'half', expected: { error: 'expected I/N such as 1/4, got "half"' } },
  ])('$name', ({ input, expected }) => {
    expect(parseShard(input)).toEqual(expected);
  });
});

describe('inShard', () => {
  it('deals the runs round-robin: every run in exactly one shard, the shards within one of each other', () => {
    const count = 3;
    const owners = Array.from({ length: 10 }, (_, i) => [1, 2, 3].filter((index) => inShard(i, { index, count })));
    expect(owners.every((o) => o.length === 1)).toBe(true);
    const sizes = [1, 2, 3].map((index) => owners.filter((o) => o[0] === index).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(inShard(7, undefined)).toBe(true);
  });
});
