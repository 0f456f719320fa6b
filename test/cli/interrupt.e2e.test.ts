import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, fixture, tempDir } from './run-cli.js';

const small = fixture('specs', 'small-sweep.yaml');
/** Child processes of `pid` (the training workers), from /proc. */
const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Start nnlab, wait for `ready` to hold, send `signal`; resolve with the exit code and how long it took to leave. */
async function interrupt(args: string[], cwd: string, signal: NodeJS.Signals, ready: (stderr: string, child: ChildProcess) => boolean) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? 128 : null))));
  for (let i = 0; i < 1500 && !ready(stderr, child); i++) await new Promise((r) => setTimeout(r, 10));
  const workers = childrenOf(child.pid!);
  const sent = Date.now();
  child.kill(signal);
  const code = await exited;
  const ms = Date.now() - sent;
  await new Promise((r) => setTimeout(r, 300));
  return { code, ms, stderr, orphans: workers.filter(alive) };
}

const expectNoHalfRuns = (dir: string) => {
  for (const id of existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')) : []) {
    // Every run folder left is a finished run: interrupted ones are removed, with their locks.
    expect(readdirSync(join(dir, 'runs', id)).sort()).toContain('run.json');
  }
};

describe('Ctrl-C, SIGTERM and a closed terminal (SIGHUP) end nnlab within a second, at any stage, leaving no workers behind', () => {
  it.each([
    { stage: 'the moment it starts', signal: 'SIGINT' as const, ready: () => true },
    { stage: 'while it validates the spec and plans', signal: 'SIGTERM' as const, ready: (e: string) => /small-sweep: \d+ runs/.test(e) },
    { stage: 'as the workers start', signal: 'SIGTERM' as const, ready: (e: string) => e.includes('backend:') },
    { stage: 'in the middle of training', signal: 'SIGINT' as const, ready: (e: string) => /\[1\/\d+\]/.test(e) },
    { stage: 'in the middle of training (the terminal closed)', signal: 'SIGHUP' as const, ready: (e: string) => /\[1\/\d+\]/.test(e) },
  ])('$signal $stage', async ({ signal, ready }) => {
    const cwd = tempDir();
    const r = await interrupt(['run', small, '--workers', '2', '--set', 'train.epochs=20'], cwd, signal, ready);
    console.log(`${signal} ${r.code}: left after ${r.ms} ms`);
    expect([130, 143, 129, 128]).toContain(r.code);
    if (signal === 'SIGHUP') expect(r.code).toBe(129);
    expect(r.ms).toBeLessThan(1500);
    expect(r.orphans).toEqual([]);
    expect(r.stderr).not.toMatch(/This is a bug/);
    expectNoHalfRuns(join(cwd, 'results', 'small-sweep'));
  });

  it('SIGTERM while waiting for another process that trains the same runs', async () => {
    const cwd = tempDir();
    // Long enough that the first process is still training when the second one looks.
    const epochs = 'train.epochs=2000';
    const first = spawn(process.execPath, [BIN, 'run', small, '--workers', '1', '--quiet', '--set', epochs], { cwd, stdio: 'ignore' });
    for (let i = 0; i < 1000 && !existsSync(join(cwd, 'results', 'small-sweep', 'runs')); i++) await new Promise((r) => setTimeout(r, 10));
    const r = await interrupt(['run', small, '--workers', '1', '--set', epochs], cwd, 'SIGTERM', (e) => e.includes('is being trained by process'));
    first.kill('SIGKILL');
    expect(r.code).toBe(143);
    expect(r.ms).toBeLessThan(1500);
    expect(r.stderr).toMatch(/is being trained by process \d+ on .+ \(locked \d+ s ago, refreshed \d+ s ago\); waiting\./);
  });
});
