import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/shared/rng.js';
import { BIN, fixture, readTree, runCli, tempDir } from '../cli/run-cli.js';

const KILLS = Number(process.env.NNLAB_FUZZ_KILLS ?? 5);
const visible = (p: string) => !p.split('/').some((part) => part.startsWith('.'));

function runUntilKilled(args: string[], cwd: string, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('nothing already written is lost', () => {
  it(`a second, overlapping sweep killed ${KILLS} times at random moments never leaves a torn file`, async () => {
    const cwd = tempDir();
    const spec = fixture('specs', 'small-sweep.yaml');
    expect(runCli(['run', spec, '--quiet', '--set', 'sweep.seeds=[1, 2]'], cwd).code).toBe(0);
    const dir = join(cwd, 'results', 'small-sweep');
    const old = readTree(dir, visible);
    // The second sweep overlaps (seeds 1, 2 retrained with --force) and extends (seed 3) the first.
    const second = ['run', spec, '--quiet', '--force', '--set', 'sweep.seeds=[1, 2, 3]'];
    const rng = createRng(20261124, 'kill-times');
    const snapshots: Array<Map<string, string>> = [];
    for (let k = 0; k < KILLS; k++) {
      await runUntilKilled(second, cwd, 150 + rng.int(2500));
      snapshots.push(readTree(dir, visible));
    }
    expect(runCli(second, cwd).code).toBe(0);
    const final = readTree(dir, visible);
    let checked = 0;
    for (const snapshot of snapshots) {
      for (const [path, content] of snapshot) {
        checked++;
        if (path.endsWith('run.json')) {
          // Timings differ run to run: it must simply be whole.
          expect(() => JSON.parse(content), path).not.toThrow();
          continue;
        }
        expect([old.get(path), final.get(path)], `${path} is neither the old nor the new version`).toContain(content);
      }
    }
    console.log(`nothing-lost: ${KILLS} kills, ${checked} files checked against their old and new versions`);
    for (const path of old.keys()) expect(final.has(path), `${path} disappeared`).toBe(true);
    expect(existsSync(join(dir, 'summary.json'))).toBe(true);
  });
});

describe('signals', () => {
  it('SIGTERM stops the workers, keeps finished runs and exits 143', async () => {
    const cwd = tempDir();
    const child = spawn(process.execPath, [BIN, 'run', fixture('specs', 'small-sweep.yaml'), '--set', 'train.epochs=30'], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Signal once a run has finished (not after a fixed time: a loaded machine may still be starting).
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/\[1\/\d+\] ok/.test(stderr)) resolve();
      });
      child.on('exit', () => resolve());
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    const files = existsSync(join(cwd, 'results')) ? [...readTree(join(cwd, 'results')).keys()] : [];
    expect(files.filter((f) => f.endsWith('.lock'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('history.json')).length).toBeGreaterThan(0);
  });
});
