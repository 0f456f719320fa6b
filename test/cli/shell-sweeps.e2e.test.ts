import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, tempDir } from './run-cli.js';

const spec = join(ROOT, 'experiments', 'accuracy-drops.yaml');
const common = `--set 'sweep.seeds=[1,2]' --set train.epochs=5 --set 'sweep.grid.lr=[0.01]' --set 'sweep.grid.split=[stratified]' --quiet`;
/** A shell script as a user would write it, `nnlab` being the built CLI. */
const sh = (script: string, cwd: string) => {
  const r = spawnSync('bash', ['-c', `nnlab() { "${process.execPath}" "${BIN}" "$@"; }\nexport -f nnlab 2>/dev/null\n${script}`], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', NNLAB: `${process.execPath} ${BIN}` },
  });
  expect(r.status, r.stderr).toBe(0);
  return r;
};
const summaryFiles = (dir: string) => ['summary.json', 'summary.csv'].map((f) => readFileSync(join(dir, f), 'utf8'));

describe('sweeps driven from shell scripts', () => {
  const sequential = tempDir();
  sh(`for bs in 20 80; do nnlab run ${spec} --set train.batch_size=$bs ${common} --out out; done`, sequential);
  const out = join(sequential, 'out');

  it('a bash loop over --set values accumulates: what differs becomes a factor named by its spec path', () => {
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.factors).toEqual(['split', 'lr', 'dropout', 'train.batch_size']);
    expect(summary.variants.map((v: { factors: Record<string, unknown>; runs: number }) => [v.factors.dropout, v.factors['train.batch_size'], v.runs])).toEqual(
      [
        [true, 20, 2],
        [true, 80, 2],
        [false, 20, 2],
        [false, 80, 2],
      ],
    );
    expect(readFileSync(join(out, 'summary.csv'), 'utf8').split('\n')[0]).toMatch(/^split,lr,dropout,train\.batch_size,runs,/);
    const report = runCli(['report', out], sequential);
    expect(report.stdout).toMatch(/│ train\.batch_size/);
    expect(report.stdout).toMatch(/│ 80\s+│\s+2\/2/);
  });

  it('report --compare takes a setting as the factor, with verdicts paired by seed', () => {
    const r = runCli(['report', out, '--compare', 'train.batch_size', '--json'], sequential);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const verdicts = doc.comparisons.filter((c: { quantity: string }) => c.quantity === 'final val_accuracy');
    expect(verdicts).toHaveLength(2);
    expect(
      verdicts.every(
        (c: { factor: string; stats: { n: number }; baseline: number; level: number }) =>
          c.factor === 'train.batch_size' && c.stats.n === 2 && c.baseline === 20 && c.level === 80,
      ),
    ).toBe(true);
  });

  it('report.compare in the spec may name a setting too (nothing is retrained)', () => {
    const cwd = tempDir();
    sh(`cp -r ${out} out && nnlab run ${spec} --set train.batch_size=80 ${common} --set report.compare=train.batch_size --out out --json > run.json`, cwd);
    const doc = JSON.parse(readFileSync(join(cwd, 'run.json'), 'utf8'));
    expect(doc.trained).toBe(0);
    expect(new Set(doc.comparisons.map((c: { factor: string }) => c.factor))).toEqual(new Set(['train.batch_size']));
  });

  it('gives the same summary bytes whatever order the invocations ran in', () => {
    const reversed = tempDir();
    sh(`for bs in 80 20; do nnlab run ${spec} --set train.batch_size=$bs ${common} --out out; done`, reversed);
    expect(summaryFiles(join(reversed, 'out'))).toEqual(summaryFiles(out));
  });

  it('never pools a short rerun with the runs before it: epochs become a factor', () => {
    const cwd = tempDir();
    sh(`nnlab run ${spec} ${common} --out out && nnlab run ${spec} ${common} --set train.epochs=2 --out out`, cwd);
    const summary = JSON.parse(readFileSync(join(cwd, 'out', 'summary.json'), 'utf8'));
    expect(summary.factors).toEqual(['split', 'lr', 'dropout', 'train.epochs']);
    expect(summary.variants.map((v: { factors: Record<string, unknown>; runs: number }) => [v.factors.dropout, v.factors['train.epochs'], v.runs])).toEqual([
      [true, 2, 2],
      [true, 5, 2],
      [false, 2, 2],
      [false, 5, 2],
    ]);
  });

  it('parallel invocations into one folder (xargs -P 2) end with the summary of a sequential loop', () => {
    const cwd = tempDir();
    sh(`printf '%s\\n' 20 80 | xargs -P 2 -I{} bash -c '$NNLAB run ${spec} --set train.batch_size={} ${common} --out out'`, cwd);
    expect(summaryFiles(join(cwd, 'out'))).toEqual(summaryFiles(out));
  });
});
