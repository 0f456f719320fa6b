import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, fixture, readTree, runCli, tempDir } from './run-cli.js';

const small = fixture('specs', 'small-sweep.yaml');
const deterministic = (p: string) => !p.endsWith('run.json');
const results = (cwd: string, name = 'small-sweep') => join(cwd, 'results', name);
const finishedAt = (dir: string) =>
  Object.fromEntries(
    readdirSync(join(dir, 'runs'))
      .filter((id) => existsSync(join(dir, 'runs', id, 'run.json')))
      .map((id) => [id, JSON.parse(readFileSync(join(dir, 'runs', id, 'run.json'), 'utf8')).finished_at]),
  );

// One clean sweep with 2 workers is the reference for every comparison below.
const reference = tempDir();
const referenceRun = runCli(['run', small, '--workers', '2'], reference);

describe('sweeps: workers, cache, resume, shards, failures', () => {
  it('a clean sweep with 2 workers succeeds', () => {
    expect(referenceRun.code).toBe(0);
    expect(referenceRun.stderr).toContain('2 workers');
  });

  it('gives byte-identical files with 1 worker as with 2', () => {
    const cwd = tempDir();
    expect(runCli(['run', small, '--workers', '1', '--quiet'], cwd).code).toBe(0);
    expect(readTree(results(cwd), deterministic)).toEqual(readTree(results(reference), deterministic));
  });

  it('trains nothing when a finished sweep is run again, and retrains everything with --force', () => {
    const cwd = tempDir();
    cpSync(reference, cwd, { recursive: true });
    const before = finishedAt(results(cwd));
    const again = runCli(['run', small, '--json'], cwd);
    expect(again.code).toBe(0);
    const doc = JSON.parse(again.stdout);
    expect(doc.trained).toBe(0);
    expect(doc.runs.every((r: { trained: boolean; status: string }) => !r.trained && r.status === 'ok')).toBe(true);
    expect(finishedAt(results(cwd))).toEqual(before);
    const forced = JSON.parse(runCli(['run', small, '--json', '--force'], cwd).stdout);
    expect(forced.trained).toBe(6);
    expect(readTree(results(cwd), deterministic)).toEqual(readTree(results(reference), deterministic));
  });

  it('resumes after SIGKILL: keeps finished runs, retrains the rest, ends byte-identical', async () => {
    const cwd = tempDir();
    const child = spawn(process.execPath, [BIN, 'run', small, '--workers', '1', '--quiet'], { cwd, stdio: 'ignore' });
    const dir = results(cwd);
    // Kill as soon as two runs are complete (run.json is written last).
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        const done = existsSync(join(dir, 'runs')) ? Object.keys(finishedAt(dir)).length : 0;
        if (done >= 2) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(poll);
        reject(new Error('the sweep finished before it could be killed'));
      });
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const survivors = finishedAt(dir);
    expect(Object.keys(survivors).length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(survivors).length).toBeLessThan(6);

    const resumed = runCli(['run', small, '--json'], cwd);
    expect(resumed.code).toBe(0);
    const doc = JSON.parse(resumed.stdout);
    expect(doc.trained).toBe(6 - Object.keys(survivors).length);
    for (const r of doc.runs) expect(r.trained).toBe(!(r.id in survivors));
    const after = finishedAt(dir);
    for (const [id, at] of Object.entries(survivors)) expect(after[id]).toBe(at);
    expect(readTree(dir, (p) => deterministic(p) && !p.endsWith('.lock'))).toEqual(readTree(results(reference), deterministic));
  });

  it('two nnlab processes on one results directory share the work and corrupt nothing', async () => {
    const cwd = tempDir();
    const start = () => {
      const child = spawn(process.execPath, [BIN, 'run', small, '--workers', '1', '--json'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      return new Promise<{ code: number | null; doc: { trained: number } }>((resolve) =>
        child.on('exit', (code) => resolve({ code, doc: JSON.parse(stdout) })),
      );
    };
    const [a, b] = await Promise.all([start(), start()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.doc.trained + b.doc.trained).toBe(6);
    expect(readTree(results(cwd), deterministic)).toEqual(readTree(results(reference), deterministic));
  });

  it('shards 1/2 and 2/2, merged, give the unsharded summary', () => {
    const a = tempDir();
    const b = tempDir();
    const r1 = runCli(['run', small, '--shard', '1/2', '--json'], a);
    const r2 = runCli(['run', small, '--shard', '2/2', '--json'], b);
    expect([r1.code, r2.code]).toEqual([0, 0]);
    expect(JSON.parse(r1.stdout).trained + JSON.parse(r2.stdout).trained).toBe(6);
    expect(JSON.parse(r1.stdout).summary[0].missing).toBeGreaterThan(0);
    cpSync(join(results(b), 'runs'), join(results(a), 'runs'), { recursive: true });
    const report = runCli(['report', results(a)], a);
    expect(report.code).toBe(0);
    expect(readTree(results(a), deterministic)).toEqual(readTree(results(reference), deterministic));
  });

  it('records a NaN run as diverged with its epoch, finishes the others, and exits 0', () => {
    const cwd = tempDir();
    const r = runCli(['run', fixture('specs', 'diverges.yaml'), '--json'], cwd);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const [ok, diverged] = doc.runs;
    expect(ok.status).toBe('ok');
    expect(diverged.status).toBe('diverged');
    expect(diverged.message).toMatch(/^loss became NaN or infinite at epoch \d$/);
    const record = JSON.parse(readFileSync(join(results(cwd, 'diverges'), 'runs', diverged.id, 'run.json'), 'utf8'));
    expect(record.diverged_epoch).toBeGreaterThanOrEqual(1);
    expect(doc.summary[1]).toMatchObject({ runs: 1, ok: 0, diverged: 1 });
  });

  it('Ctrl-C stops the workers, keeps finished runs and exits 130', async () => {
    const cwd = tempDir();
    // Long enough (200 epochs, seconds a run) that it is still training when interrupted.
    const child = spawn(process.execPath, [BIN, 'run', small, '--workers', '2', '--quiet', '--set', 'train.epochs=200'], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const dir = results(cwd);
    for (let i = 0; i < 600 && !(existsSync(join(dir, 'runs')) && Object.keys(finishedAt(dir)).length >= 1); i++) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    expect(Object.keys(finishedAt(dir)).length).toBeLessThan(6);
    expect(stderr).toMatch(/^Interrupted: finished runs are kept/m); // the user's own stop, not an error
    for (const id of existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')) : []) {
      const files = readdirSync(join(dir, 'runs', id));
      expect(files.filter((f) => f === '.lock' || f.endsWith('.tmp'))).toEqual([]);
    }
  });

  it('takes over a lock left on a shared folder by a dead process of another host, once its heartbeat has stopped', () => {
    const cwd = tempDir();
    const ids = JSON.parse(runCli(['validate', small, '--json'], cwd).stdout).runs.map((r: { id: string }) => r.id) as string[];
    const dir = join(results(cwd), 'runs', ids[0]!);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid: 4242, host: 'another-host', since: '2026-01-01T00:00:00.000Z' }));
    const r = runCli(['run', small, '--workers', '1'], cwd, { NNLAB_LOCK_STALE_SECONDS: '1' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /is being trained by process 4242 on another-host \(locked \d+ s ago, refreshed \d+ s ago\); waiting\. A lock not refreshed for 1 s is taken over; if that process is gone, delete .*\.lock to go on now/,
    );
    expect(Object.keys(finishedAt(results(cwd)))).toHaveLength(6);
  });
});
