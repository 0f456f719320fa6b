import { describe, expect, it } from 'vitest';
import { inShard, parseShard, parseShardChoice } from '../../src/exec/shard.js';

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

describe("parseShardChoice: --shard auto from a scheduler's environment", () => {
  const slurm = (id: string, min = '1', max = '4', extra: Record<string, string> = {}) => ({
    SLURM_ARRAY_TASK_ID: id,
    SLURM_ARRAY_TASK_MIN: min,
    SLURM_ARRAY_TASK_MAX: max,
    ...extra,
  });
  it.each([
    { name: 'I/N as before', text: '2/4', env: slurm('3'), expected: { index: 2, count: 4 } },
    { name: 'a Slurm array 1-4', text: 'auto', env: slurm('3'), expected: { index: 3, count: 4, from: 'SLURM_ARRAY_TASK_ID=3 of 1-4' } },
    {
      name: 'a Slurm array 0-3 (0-based task ids)',
      text: 'auto',
      env: slurm('0', '0', '3', { SLURM_ARRAY_TASK_COUNT: '4' }),
      expected: { index: 1, count: 4, from: 'SLURM_ARRAY_TASK_ID=0 of 0-3' },
    },
    { name: 'auto/N agreeing with the array', text: 'auto/4', env: slurm('4'), expected: { index: 4, count: 4, from: 'SLURM_ARRAY_TASK_ID=4 of 1-4' } },
    {
      name: 'auto/N disagreeing with the array',
      text: 'auto/8',
      env: slurm('4'),
      expected: { error: '--shard auto/8, but the Slurm array has 4 tasks (1-4)' },
    },
    {
      name: 'an array with a step',
      text: 'auto',
      env: slurm('3', '1', '7', { SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_COUNT: '4' }),
      expected: { error: 'the Slurm array is not contiguous (4 tasks from 1 to 7, step 2): --shard auto needs --array=1-4; otherwise pass --shard I/N' },
    },
    {
      name: 'an array with gaps (--array=1,3,5)',
      text: 'auto',
      env: slurm('3', '1', '5', { SLURM_ARRAY_TASK_COUNT: '3' }),
      expected: { error: 'the Slurm array is not contiguous (3 tasks from 1 to 5, step 1): --shard auto needs --array=1-3; otherwise pass --shard I/N' },
    },
    {
      name: 'a Slurm task id that is not a number',
      text: 'auto',
      env: slurm('x'),
      expected: { error: 'SLURM_ARRAY_TASK_ID, _MIN and _MAX must be whole numbers (got x, 1, 4)' },
    },
    { name: 'a Slurm task id past its array', text: 'auto', env: slurm('5'), expected: { error: "SLURM_ARRAY_TASK_ID=5 is outside its array's 1-4" } },
    { name: 'a Slurm task id before its array', text: 'auto', env: slurm('0'), expected: { error: "SLURM_ARRAY_TASK_ID=0 is outside its array's 1-4" } },
    { name: 'auto/ with no number', text: 'auto/abc', env: slurm('1'), expected: { error: 'expected auto or auto/N with N ≥ 1, got "auto/abc"' } },
    {
      name: 'a Kubernetes Indexed Job with auto/N',
      text: 'auto/3',
      env: { JOB_COMPLETION_INDEX: '0' },
      expected: { index: 1, count: 3, from: 'JOB_COMPLETION_INDEX=0' },
    },
    {
      name: 'a Kubernetes index without N',
      text: 'auto',
      env: { JOB_COMPLETION_INDEX: '2' },
      expected: {
        error:
          'JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but its environment does not say how many completions the Job has: pass --shard auto/N with N = spec.completions',
      },
    },
    {
      name: 'a Kubernetes index past N',
      text: 'auto/3',
      env: { JOB_COMPLETION_INDEX: '3' },
      expected: { error: 'JOB_COMPLETION_INDEX=3 is not below the 3 completions of --shard auto/3' },
    },
    {
      name: 'no scheduler',
      text: 'auto',
      env: {},
      expected: {
        error:
          'found no array task in the environment: SLURM_ARRAY_TASK_ID (a Slurm job array) and JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) are unset; outside a scheduler pass --shard I/N',
      },
    },
    { name: 'auto/0', text: 'auto/0', env: slurm('1'), expected: { error: 'expected auto/N with N ≥ 1, got "auto/0"' } },
  ])('$name', ({ text, env, expected }) => {
    expect(parseShardChoice(text, env)).toEqual(expected);
  });
});
