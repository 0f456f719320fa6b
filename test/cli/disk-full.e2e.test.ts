import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, readTree, ROOT, runCli, tempDir } from './run-cli.js';

const small = fixture('specs', 'small-sweep.yaml');
const deterministic = (p: string) => !p.endsWith('run.json') && !p.endsWith('.lock');
const preload = pathToFileURL(join(ROOT, 'test', 'helpers', 'fail-writes.mjs')).href;
const clean = tempDir();
const cleanRun = runCli(['run', small, '--quiet', '--out', join(clean, 'out')], clean);

/** The one line a full disk gets: what could not be written, that finished runs are kept, how to go on. */
const expectDiskFullMessage = (stderr: string) => {
  expect(stderr).toMatch(
    /^error: Writing .+ failed: the disk is full \(ENOSPC\)\. Everything written before is intact and finished runs are kept; make room \(or fix the permissions\) and run the same command again to go on\.$/m,
  );
  expect(stderr).not.toMatch(/This is a bug|\n\s+at /);
};

describe('a full disk while writing results', () => {
  it('is one line and exit 1, and the rerun ends with the files of a clean sweep', () => {
    expect(cleanRun.code).toBe(0);
    const cwd = tempDir();
    const out = join(cwd, 'out');
    const full = runCli(['run', small, '--quiet', '--out', out], cwd, {
      NODE_OPTIONS: `--import=${preload}`,
      NNLAB_TEST_FAIL_UNDER: out,
      NNLAB_TEST_FAIL_AFTER: '9',
    });
    expect(full.code).toBe(1);
    expectDiskFullMessage(full.stderr);
    const again = runCli(['run', small, '--quiet', '--out', out], cwd);
    expect(again.code).toBe(0);
    expect(readTree(out, deterministic)).toEqual(readTree(join(clean, 'out'), deterministic));
  });

  // A real full file system, where this machine lets the tests mount one (root, not in a locked-down container).
  const mountPoint = join(tempDir(), 'tmpfs');
  mkdirSync(mountPoint);
  let mounted = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=120k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    mounted = true;
  } catch {
    // not allowed here: the injected failure above covers the path
  }
  afterAll(() => {
    if (mounted) execFileSync('umount', [mountPoint]);
  });

  it.skipIf(!mounted)('on a real 120 KB tmpfs: exit 1 with one line; once the disk has room, the rerun ends with the clean files', () => {
    const out = join(mountPoint, 'out');
    const full = runCli(['run', small, '--quiet', '--out', out], mountPoint);
    expect(full.code).toBe(1);
    expectDiskFullMessage(full.stderr);
    execFileSync('mount', ['-o', 'remount,size=4m', mountPoint]);
    expect(runCli(['run', small, '--quiet', '--out', out], mountPoint).code).toBe(0);
    expect(readTree(out, deterministic)).toEqual(readTree(join(clean, 'out'), deterministic));
  });
});
