import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from './in-process.js';
import { fixture, readTree, ROOT, runCli, tempDir } from './run-cli.js';

const tiny = fixture('specs', 'tiny.yaml');
const preload = pathToFileURL(join(ROOT, 'test', 'helpers', 'fail-writes.mjs')).href;

/** One line on stderr naming what could not be created and why; no stack, no "bug". */
const oneLine = (stderr: string, message: RegExp) => {
  const errors = stderr.split('\n').filter((l) => l.startsWith('error: '));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(message);
  expect(stderr).not.toMatch(/This is a bug|\n\s+at /);
};

describe('--out where no results folder can be made: one line, an exit code, nothing trained', () => {
  it('names an existing file (exit 2)', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'notes.txt'), 'mine');
    const r = await runInProcess(['run', tiny, '--out', 'notes.txt', '--workers', '1'], cwd);
    expect(r.code).toBe(2);
    oneLine(r.stderr, /^error: Creating the folder .*notes\.txt failed: .*notes\.txt is a file, not a folder; choose another place\.$/);
    expect(readTree(cwd)).toEqual(new Map([['notes.txt', 'mine']]));
  });

  it('lies under a file (ENOTDIR, exit 2)', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'notes.txt'), 'mine');
    const r = await runInProcess(['run', tiny, '--out', 'notes.txt/results', '--workers', '1'], cwd);
    expect(r.code).toBe(2);
    oneLine(r.stderr, /notes\.txt is a file, not a folder/);
  });

  it('is in /proc, where a recursive mkdir never ends (exit 2, no hang)', () => {
    // A subprocess: runCli gives up after its timeout, so a hang fails here rather than stalling the suite.
    const r = runCli(['run', tiny, '--out', '/proc/nnlab-results'], tempDir());
    expect(r.code).toBe(2);
    oneLine(
      r.stderr,
      /^error: Creating the folder \/proc\/nnlab-results failed: the file system at \/proc does not allow new folders \(ENOENT\); choose another place\.$/,
    );
  });

  it('is read-only (EROFS injected, exit 1), and results already there stay as they were', async () => {
    const cwd = tempDir();
    const out = join(cwd, 'out');
    expect((await runInProcess(['run', tiny, '--quiet', '--out', out, '--set', 'sweep.seeds=[1]', '--workers', '1'], cwd)).code).toBe(0);
    const before = readTree(out);
    // A subprocess: the failure is injected into its file system calls by a preload (NODE_OPTIONS).
    const r = runCli(['run', tiny, '--out', out], cwd, { NODE_OPTIONS: `--import=${preload}`, NNLAB_TEST_FAIL_UNDER: out, NNLAB_TEST_FAIL_CODE: 'EROFS' });
    expect(r.code).toBe(1);
    oneLine(r.stderr, /^error: Writing .*out failed: the file system is read-only \(EROFS\)\./);
    expect(r.stderr).not.toMatch(/\[1\//); // nothing trained
    expect(readTree(out)).toEqual(before);
  });

  it('report --html naming a folder (EISDIR, exit 2)', async () => {
    const cwd = tempDir();
    expect((await runInProcess(['run', tiny, '--quiet', '--set', 'sweep.seeds=[1]', '--workers', '1'], cwd)).code).toBe(0);
    mkdirSync(join(cwd, 'pages'));
    const r = await runInProcess(['report', join(cwd, 'results', 'tiny'), '--html', 'pages'], cwd);
    expect(r.code).toBe(2);
    oneLine(r.stderr, /^error: Writing .*pages failed: it is a folder, not a file \(EISDIR\); nothing was written there\./);
  });

  // A real read-only mount, where this machine lets the tests make one (root, not a locked-down container).
  const mountPoint = join(tempDir(), 'readonly');
  mkdirSync(mountPoint);
  let mounted = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    mounted = true;
  } catch {
    // not allowed here: the injected EROFS above covers the path
  }
  afterAll(() => {
    if (mounted) execFileSync('umount', [mountPoint]);
  });

  it.skipIf(!mounted)('is on a real read-only mount (exit 1)', async () => {
    const r = await runInProcess(['run', tiny, '--out', join(mountPoint, 'results'), '--workers', '1'], tempDir());
    expect(r.code).toBe(1);
    oneLine(r.stderr, /read-only \(EROFS\)/);
  });
});
