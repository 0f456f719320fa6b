import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, type InProcessResult } from './in-process.js';
import { fixture, tempDir } from './run-cli.js';

describe('nnlab ls', () => {
  const cwd = tempDir();
  const trained: InProcessResult[] = [];
  beforeAll(async () => {
    trained.push(
      await runInProcess(['run', fixture('specs', 'tiny.yaml'), '--quiet', '--set', 'sweep.seeds=[1,2]', '--workers', '1'], cwd),
      await runInProcess(
        [
          'run',
          fixture('specs', 'small-sweep.yaml'),
          '--quiet',
          '--out',
          'results/nested/small',
          '--set',
          'sweep.seeds=[1]',
          '--set',
          'train.epochs=1',
          '--workers',
          '1',
        ],
        cwd,
      ),
    );
    mkdirSync(join(cwd, 'results', 'broken'));
    writeFileSync(join(cwd, 'results', 'broken', 'summary.json'), '{"format_version": 1, "variants": ');
  });

  it('lists every result set under results/, one row per variant with its factors, runs and final metrics', async () => {
    for (const t of trained) expect(t.code, t.stderr).toBe(0);
    const r = await runInProcess(['ls'], cwd, { columns: 80 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('small-sweep (results/nested/small): 2 variants, 2 runs');
    expect(r.stdout).toContain('tiny (results/tiny): 2 variants, 4 runs');
    expect(r.stdout).toMatch(/│ hidden\s*│ dropout\s*│ runs ok\s*│\s*val_accuracy\s*│\s*val_loss\s*│/);
    expect(r.stdout).toMatch(/│ 8\s*│ false\s*│\s*2\/2\s*│\s*0\.\d+ ± 0\.\d+\s*│\s*\d\.\d+ ± \d\.\d+\s*│/);
    // The damaged set is named with its reason; the others are still listed.
    expect(r.stdout).toMatch(/skipped broken: Reading results .*summary\.json failed: not valid JSON/);
  });

  it('--sort orders the variants of each set best first, and --json gives the same rows', async () => {
    const json = JSON.parse((await runInProcess(['ls', '--json', '--sort', 'val_loss'], cwd)).stdout) as {
      variants: Array<{ experiment: string; metrics: Record<string, { mean: number }> }>;
      skipped: string[];
    };
    expect(json.variants).toHaveLength(4);
    expect(json.skipped).toHaveLength(1);
    for (const experiment of ['tiny', 'small-sweep']) {
      const losses = json.variants.filter((v) => v.experiment === experiment).map((v) => v.metrics.val_loss!.mean);
      expect(losses).toEqual([...losses].sort((a, b) => a - b));
    }
    const accuracy = JSON.parse((await runInProcess(['ls', 'results/tiny', '--json', '--sort', 'val_accuracy'], cwd)).stdout).variants.map(
      (v: { metrics: Record<string, { mean: number }> }) => v.metrics.val_accuracy!.mean,
    );
    expect(accuracy).toEqual([...accuracy].sort((a, b) => b - a));
  });

  it('refuses an unknown --sort column and a missing folder in one line (exit 2), and says when there is nothing', async () => {
    const bad = await runInProcess(['ls', '--sort', 'val_acc'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('error: --sort val_acc: not a column here; sort by experiment, runs, val_accuracy, val_loss.');
    const missing = await runInProcess(['ls', 'nowhere'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const empty = tempDir();
    mkdirSync(join(empty, 'results'));
    expect((await runInProcess(['ls'], empty)).stdout).toBe('no result sets under results (nnlab run writes them to results/<spec name>)\n');
  });
});
