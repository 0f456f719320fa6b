import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, type InProcessResult } from './in-process.js';
import { fixture, readTree, tempDir } from './run-cli.js';

const cwd = tempDir();
const results = join(cwd, 'results', 'tiny');
let first: InProcessResult;
beforeAll(async () => {
  first = await runInProcess(['run', fixture('specs', 'tiny.yaml'), '--quiet', '--workers', '1'], cwd);
});

/** A copy of the results with one epoch's val_accuracy of one run changed by `delta`. */
function perturbed(delta: number): string {
  const copy = join(tempDir(), 'tiny');
  cpSync(results, copy, { recursive: true });
  const id = readdirSync(join(copy, 'runs')).sort()[0]!;
  const file = join(copy, 'runs', id, 'history.json');
  const history = JSON.parse(readFileSync(file, 'utf8'));
  history.rows[1].val_accuracy += delta;
  writeFileSync(file, JSON.stringify(history));
  return copy;
}

describe('nnlab diff', () => {
  it('finds a result set equal to itself (exit 0)', async () => {
    expect(first.code).toBe(0);
    const r = await runInProcess(['diff', results, join(results, 'summary.json')], cwd);
    expect(r.stdout).toMatch(/^same within tolerance: 2 variants × 5 metrics/m);
    expect(r.code).toBe(0);
  });

  it('names the metric perturbed beyond tolerance (exit 1), and accepts it within tolerance', async () => {
    const other = perturbed(0.05);
    const r = await runInProcess(['diff', results, other, '--atol', '0.001'], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/hidden=8 dropout=false\s*│\s*val_accuracy\s*│\s*final mean/);
    expect(r.stdout).toMatch(/val_accuracy\s*│\s*curve \(max per-epoch deviation\)/);
    expect((await runInProcess(['diff', results, other, '--atol', '0.05'], cwd)).code).toBe(0);
    const json = JSON.parse((await runInProcess(['diff', results, other, '--format', 'json', '--metric', 'val_accuracy'], cwd)).stdout);
    expect(json.same).toBe(false);
    expect(json.differences.map((d: { what: string }) => d.what)).toContain('final mean');
    expect((await runInProcess(['diff', results, other, '--format', 'md'], cwd)).stdout).toMatch(
      /^\| hidden=8 dropout=false \| val_accuracy \| final mean \|/m,
    );
  });

  it('refuses to compare two different experiments (exit 2) unless asked to', async () => {
    const other = join(tempDir(), 'other');
    cpSync(results, other, { recursive: true });
    const summary = JSON.parse(readFileSync(join(other, 'summary.json'), 'utf8'));
    writeFileSync(join(other, 'summary.json'), JSON.stringify({ ...summary, experiment: 'first-epoch-accuracy' }));
    const r = await runInProcess(['diff', results, other], cwd);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: Comparing .+ failed: they are results of different experiments \(tiny and first-epoch-accuracy\)/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect((await runInProcess(['diff', results, other, '--allow-other-experiment'], cwd)).code).toBe(0);
  });

  it('reports a variant present on one side only (exit 1 unless --allow-missing)', async () => {
    const fewer = join(tempDir(), 'fewer');
    cpSync(results, fewer, { recursive: true });
    // A result set without one variant: its runs and its summary entry gone.
    const summary = JSON.parse(readFileSync(join(fewer, 'summary.json'), 'utf8'));
    for (const id of summary.variants[1].run_ids) rmSync(join(fewer, 'runs', id), { recursive: true });
    summary.variants = summary.variants.slice(0, 1);
    writeFileSync(join(fewer, 'summary.json'), JSON.stringify(summary));
    const r = await runInProcess(['diff', results, fewer], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('missing: variant hidden=8 dropout=true is only in A');
    expect((await runInProcess(['diff', results, fewer, '--allow-missing'], cwd)).code).toBe(0);
  });

  it.each([
    { name: 'a garbage file', content: 'garbage', message: /^error: Reading results .*garbage\.json failed: not valid JSON/ },
    { name: 'a file from a future format', content: '{"format_version": 99}', message: /format_version 99 is not 1/ },
    { name: 'a file without variants', content: '{"format_version": 1}', message: /lacks variants, columns or factors/ },
  ])('exits 2 with one line on $name', async ({ content, message }) => {
    const file = join(tempDir(), 'garbage.json');
    writeFileSync(file, content);
    const r = await runInProcess(['diff', results, file], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('nnlab report', () => {
  it('re-renders the comparison without training and leaves the summary byte-identical', async () => {
    const before = readTree(results, (p) => p.startsWith('summary'));
    const r = await runInProcess(['report', results], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hidden\s*│\s*dropout/);
    expect(r.stdout).toContain('Verdicts: each dropout against dropout=false, paired by seed');
    expect(r.stdout).toMatch(/│ hidden=8 +│/);
    expect(r.stdout).toMatch(/│ true +│ final val_accuracy +│ [−+]\d\.\d+ ± \d\.\d+ │ 2 +│ (inconclusive|better|worse)/);
    expect(readTree(results, (p) => p.startsWith('summary'))).toEqual(before);
  });

  it('--by compares along another factor, --metric picks what the table shows', async () => {
    const r = await runInProcess(['report', results, '--by', 'hidden', '--metric', 'val_loss'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/val_loss\s*│\s*val_loss/);
    expect(r.stdout).not.toMatch(/val_accuracy\s*│/);
    expect((await runInProcess(['report', results, '--by', 'nope'], cwd)).stderr).toMatch(/^error: Reading --compare failed: "nope" is not a factor of tiny/);
  });

  it('shows report.at_epochs in the table and summary.csv, and keeps them when re-rendering', async () => {
    const out = join(tempDir(), 'at-epochs');
    const run = await runInProcess(['run', fixture('specs', 'tiny.yaml'), '--out', out, '--set', 'report.at_epochs=[1]', '--workers', '1'], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/val_accuracy\s*│[\s\S]*at epoch 1/);
    const csvHeader = readFileSync(join(out, 'summary.csv'), 'utf8').split('\n')[0]!;
    expect(csvHeader).toContain('val_accuracy_at_epoch_1_mean,val_accuracy_at_epoch_1_std');
    const before = readTree(out, (p) => p.startsWith('summary'));
    const r = await runInProcess(['report', out], cwd);
    expect(r.stdout).toMatch(/at epoch 1/);
    expect(readTree(out, (p) => p.startsWith('summary'))).toEqual(before);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<th>val_accuracy at epoch 1</th>');
  });

  it('exits 2 on a directory without results', async () => {
    const r = await runInProcess(['report', tempDir()], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Reading results .*summary\.json failed: no such file/);
    // A spec where its results are meant is named as such.
    const spec = await runInProcess(['report', 'experiments/bn-vs-nobn.yaml'], cwd);
    expect(spec.code).toBe(2);
    expect(spec.stderr.replace(/\n +/g, ' ')).toMatch(
      /^error: Reading results \S*experiments\/bn-vs-nobn\.yaml failed: that is a spec, not a results folder; nnlab run writes its results to results\/<its name>, which this command reads\.\n$/,
    );
  });
});
