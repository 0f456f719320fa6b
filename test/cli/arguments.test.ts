import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './in-process.js';
import { fixture, tempDir } from './run-cli.js';

describe('arguments', () => {
  it.each([
    { args: ['--shard', '--out', 'elsewhere'], flag: '--shard', next: '--out' },
    { args: ['--out', '--quiet'], flag: '--out', next: '--quiet' },
  ])('an option left without a value is named, not what follows it ($flag $next)', async ({ args, flag, next }) => {
    const cwd = tempDir();
    const r = await runInProcess(['run', fixture('specs', 'tiny.yaml'), ...args], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`error: Reading the arguments failed: ${flag} needs a value, but the next argument is the option ${next}.`);
    expect(existsSync(join(cwd, 'results'))).toBe(false);
  });
});
