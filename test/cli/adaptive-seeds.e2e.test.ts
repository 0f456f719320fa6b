import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, type InProcessResult } from './in-process.js';
import { BIN, irisSweep, readTree, runCli, tempDir } from './run-cli.js';

/** Two variants too alike for 2 to 4 seeds to tell apart: every round runs, up to max. */
const SPEC = irisSweep('adaptive', { seeds: '{min: 2, max: 4, step: 1, until: decided}', grid: '{rate: [0.0, 0.05]}', margins: '{val_accuracy: 0.001}' });

const setUp = () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'adaptive.yaml'), SPEC);
  return cwd;
};
const summaries = (cwd: string) => readTree(join(cwd, 'results', 'adaptive'), (p) => p.startsWith('summary.'));

describe('seeds until decided (built CLI)', () => {
  const first = setUp();
  let run: InProcessResult;
  beforeAll(async () => {
    run = await runInProcess(['run', 'adaptive.yaml', '--workers', '1'], first);
  });

  it('adds seeds round by round while comparisons are inconclusive, up to max, and says so', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('adaptive: 4 runs (2 variants × 2 seeds, more up to 4 where undecided)');
    expect(run.stderr).toMatch(/round 2: \d+ comparisons? still inconclusive; 2 more runs/);
    expect(run.stderr).toMatch(/round 3: \d+ comparisons? still inconclusive; 2 more runs/);
    expect(run.stderr).toContain('trained 8 runs');
    const summary = JSON.parse(readFileSync(join(first, 'results', 'adaptive', 'summary.json'), 'utf8'));
    expect(summary.variants.map((v: { runs: number }) => v.runs)).toEqual([4, 4]);
    expect(summary.looks).toBe(3);
    expect(summary.margins).toEqual({ val_accuracy: 0.001 });
    for (const c of summary.comparisons) expect(c.seeds).toBe(4);
    // No difference is claimed; some comparisons stay open to the last round (others may be shown
    // equivalent within their default margin, half the seed-to-seed spread).
    expect(summary.comparisons.some((c: { outcome: string }) => c.outcome === 'better' || c.outcome === 'worse')).toBe(false);
    expect(summary.comparisons.some((c: { outcome: string }) => c.outcome === 'inconclusive')).toBe(true);
    expect(summary.answer.join('\n')).toMatch(/undecided with 4 seeds/);
    expect(run.stdout).toMatch(/│ verdict\s+│/);
  });

  it('the same spec gives the same rounds and byte-identical summaries', async () => {
    const second = setUp();
    expect((await runInProcess(['run', 'adaptive.yaml', '--quiet', '--workers', '1'], second)).code).toBe(0);
    expect(summaries(second)).toEqual(summaries(first));
  });

  it('resumes after kill -9 in the middle of a later round and ends exactly where an uninterrupted sweep does', async () => {
    // Subprocesses: one killed mid-round, then the run that resumes after it and finds the dead process's locks.
    const cwd = setUp();
    const child = spawn(process.execPath, [BIN, 'run', 'adaptive.yaml'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // Killed with one run of round 2 on disk and the other not.
        if (/\[5\/\d+\]/.test(stderr)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
    });
    const again = runCli(['run', 'adaptive.yaml'], cwd);
    expect(again.code, again.stderr + again.stdout.slice(-2000)).toBe(0);
    expect(again.stderr).toMatch(/4 of 4 runs already done/);
    expect(summaries(cwd)).toEqual(summaries(first));
  });

  it('each array of shards trains its part of one round; submitted again, the next round, decided as one machine would', async () => {
    const cwd = setUp();
    // Slurm task 1 of --array=1-2: --shard auto reads it from the process's environment, so the shards are subprocesses.
    const slurm = (id: number) => ({ SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '2', SLURM_ARRAY_TASK_COUNT: '2' });
    const shard = runCli(['run', 'adaptive.yaml', '--shard', 'auto'], cwd, slurm(1));
    expect(shard.code, shard.stderr).toBe(0);
    expect(shard.stderr).toContain('shard 1/2 (SLURM_ARRAY_TASK_ID=1 of 1-2)');
    expect(shard.stderr).not.toMatch(/round 2/);
    expect(shard.stderr).toContain('trained 2 runs');
    expect(runCli(['run', 'adaptive.yaml', '--shard', 'auto', '--quiet'], cwd, slurm(2)).code).toBe(0);
    // The second array: round 1 is complete on disk, so each task trains its part of round 2.
    const second = runCli(['run', 'adaptive.yaml', '--shard', 'auto'], cwd, slurm(1));
    expect(second.stderr).toMatch(/round 2: \d+ comparisons? still inconclusive; 2 more runs/);
    expect(second.stderr).toContain('trained 1 run;');
    expect(runCli(['run', 'adaptive.yaml', '--shard', 'auto', '--quiet'], cwd, slurm(2)).code).toBe(0);
    for (const id of [1, 2]) expect(runCli(['run', 'adaptive.yaml', '--shard', 'auto', '--quiet'], cwd, slurm(id)).code).toBe(0);
    // Every round trained: one machine finds nothing left, and the summary is the unsharded one.
    const rest = await runInProcess(['run', 'adaptive.yaml', '--workers', '1'], cwd);
    expect(rest.code).toBe(0);
    expect(rest.stderr).toContain('trained 0 runs');
    expect(summaries(cwd)).toEqual(summaries(first));
  });

  it('refuses adaptive seeds without anything to decide, and bad bounds, with located errors', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'a.yaml'), SPEC.replace('  compare: rate\n', ''));
    const none = await runInProcess(['validate', 'a.yaml'], cwd);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/a\.yaml:\d+:\d+ sweep\.seeds\.until: seeds until decided need something to decide: set report\.compare/);
    writeFileSync(
      join(cwd, 'b.yaml'),
      SPEC.replace('{min: 2, max: 4, step: 1, until: decided}', '{min: 6, max: 4, until: decided}').replace(
        'margins: {val_accuracy: 0.001}',
        'margins: {val_acc: 0.001}\n  quantities: [final val_accuracy, loss at epoch 9, latest loss]',
      ),
    );
    const bad = await runInProcess(['validate', 'b.yaml'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/sweep\.seeds\.max: expected max ≥ min/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses unknown quantities and margins naming recorded metrics', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'c.yaml'),
      SPEC.replace('margins: {val_accuracy: 0.001}', 'margins: {val_acc: 0.001}\n  quantities: [final val_accuracy, loss at epoch 9, latest loss]'),
    );
    const r = await runInProcess(['validate', 'c.yaml'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /report\.quantities\[2\]: "latest loss" is not a quantity; expected one of: final COLUMN, best COLUMN, auc COLUMN, COLUMN at epoch N, epochs to COLUMN ≥ VALUE/,
    );
    writeFileSync(
      join(cwd, 'd.yaml'),
      SPEC.replace('margins: {val_accuracy: 0.001}', 'margins: {val_acc: 0.001}\n  quantities: [final val_accuracy, loss at epoch 9]'),
    );
    const d = await runInProcess(['validate', 'd.yaml'], cwd);
    expect(d.stderr).toMatch(/warning: train\.epochs: "loss at epoch 9" left out: train\.epochs is 3; to keep it, --set train\.epochs=9/);
    expect(d.stderr).toMatch(/report\.margins\.val_acc: "val_acc" is not a recorded metric; expected one of .*val_accuracy.*, or epochs/);
  });
});
