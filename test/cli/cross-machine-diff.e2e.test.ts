import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './in-process.js';
import { fixture, runCli, tempDir } from './run-cli.js';

/**
 * The CI gate docs/ci.md recommends when the baseline was trained elsewhere, on result sets trained for
 * real: the same spec on other kernel paths must pass it (while exact mode fails, as rounding
 * differs), and a real change must fail it, naming the metric. Training on another kernel path is a
 * subprocess: NNLAB_NATIVE and NNLAB_ENGINE are read from the environment at process start.
 */
const cwd = tempDir();
const spec = fixture('specs', 'ci-gate.yaml');
const train = async (name: string, args: string[] = [], env?: Record<string, string>) => {
  const out = join(cwd, name);
  const argv = ['run', spec, '--out', out, '--quiet', ...args];
  const r = env ? runCli(argv, cwd, env) : await runInProcess([...argv, '--workers', '1'], cwd);
  if (r.code !== 0) throw new Error(`training ${name} failed: ${r.stderr}`);
  return out;
};
let baseline: string;
beforeAll(async () => {
  baseline = await train('baseline');
});
const gate = (candidate: string, extra: string[] = []) => runInProcess(['diff', baseline, candidate, '--cross-machine', ...extra], cwd, { columns: 200 });

describe('nnlab diff --cross-machine', () => {
  it.each([
    { path: 'the WebAssembly kernels (no native addon)', env: { NNLAB_NATIVE: '0' } },
    { path: "tfjs-layers on WebAssembly instead of nnlab's dense engine", env: { NNLAB_NATIVE: '0', NNLAB_ENGINE: 'layers' } },
  ])('passes the same spec trained on $path', async ({ env }) => {
    const rerun = await train(`rerun-${Object.values(env).join('-')}`, [], env);
    const r = await gate(rerun);
    expect(r.stdout).toMatch(/^judged across machines: .*paired t test.*Holm over 34 values at 5 %/m);
    expect(r.stdout).toMatch(/^same within seed-to-seed noise: 2 variants × 5 metrics/m);
    expect(r.code).toBe(0);
  });

  it('fails exact mode on a rerun with other kernels, where rounding takes training elsewhere', async () => {
    const r = await runInProcess(['diff', baseline, join(cwd, 'rerun-0-layers')], cwd);
    expect(r.stdout).toMatch(/^judged exact: a value passes only if it is equal as written/m);
    expect(r.code).toBe(1);
  });

  it.each([
    {
      change: 'learning rate ×3',
      set: 'train.optimizer.adam.learning_rate=0.03',
      metric: /│ hidden=(16|64) +│ (val_)?(loss|accuracy) +│ .* \(worse\) +│/,
      setting: 'train.optimizer.adam.learning_rate: A 0.01, B 0.03',
    },
    {
      change: 'batch norm switched on',
      set: 'model.layers[2].batch_norm.enabled=true',
      metric: /│ hidden=64 +│ val_(accuracy|top_class_share) +│ mean over epochs \(auc\)/,
      setting: 'model.layers[2].batch_norm.enabled: A false, B true',
    },
    { change: 'an epoch less', set: 'train.epochs=5', metric: /│ hidden=16 +│ — +│ epochs trained +│ 6 +│ 5 +│ −1 +│/, setting: 'train.epochs: A 6, B 5' },
  ])('fails on $change, naming the variant, the metric and the setting that changed', async ({ change, set, metric, setting }) => {
    const r = await gate(await train(change.replace(/\W+/g, '-'), ['--set', set]));
    expect(r.stdout).toMatch(metric);
    expect(r.stdout).toContain(`setting ${setting}`);
    expect(r.stdout).toMatch(/^\d+ values? differs? beyond seed-to-seed noise/m);
    expect(r.code).toBe(1);
  });

  it('refuses --sigma with --cross-machine, and a summary.json without its runs, in one line', async () => {
    const r = await runInProcess(['diff', baseline, baseline, '--cross-machine', '--sigma', '2'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: Reading --sigma failed: --cross-machine judges by the spread of both sides/);
    const alone = join(tempDir(), 'summary.json');
    copyFileSync(join(baseline, 'summary.json'), alone);
    const s = await runInProcess(['diff', alone, baseline, '--cross-machine'], cwd);
    expect(s.code).toBe(2);
    expect(s.stderr.trim().split('\n')).toHaveLength(1);
    expect(s.stderr).toMatch(/needs each seed's history, and .* has no runs\/ folder beside its summary\.json/);
  });
});
