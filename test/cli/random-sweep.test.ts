import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, type InProcessResult } from './in-process.js';
import { readTree, tempDir } from './run-cli.js';

const spec = `name: search
data: {dataset: mnist, samples: 300}
model:
  input_shape: [28, 28, 1]
  layers:
    - flatten: {}
    - dense: {units: 16, activation: relu}
    - dropout: {rate: 0.3, enabled: "\${dropout}"}
    - dense: {units: 10, activation: softmax}
train: {optimizer: {adam: {learning_rate: "\${lr}"}}, loss: categorical_crossentropy, batch_size: 32, epochs: 2}
sweep:
  seeds: [1, 2]
  grid: {dropout: [false, true]}
  random:
    samples: 2
    space:
      lr: {loguniform: [1.0e-3, 1.0e-1]}
report: {compare: dropout}
`;

describe('random sweeps', () => {
  const a = tempDir();
  const b = tempDir();
  let first: InProcessResult;
  beforeAll(async () => {
    for (const cwd of [a, b]) writeFileSync(join(cwd, 'search.yaml'), spec);
    first = await runInProcess(['run', 'search.yaml', '--workers', '1'], a);
    await runInProcess(['run', 'search.yaml', '--quiet', '--workers', '1'], b);
  });

  it('train each sampled point with every grid level and every seed, the same points every time (byte-identical files)', async () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('search: 8 runs (4 variants × 2 seeds) → results/search');
    const summary = JSON.parse(readFileSync(join(a, 'results', 'search', 'summary.json'), 'utf8'));
    expect(summary.factors).toEqual(['dropout', 'lr']);
    expect(summary.sampled).toEqual([{ name: 'lr', log: true }]);
    const lrs = summary.variants.map((v: { factors: { lr: number } }) => v.factors.lr);
    // Sampled levels are listed by value, each with both dropout levels: the comparison is paired.
    expect(lrs).toEqual([lrs[0], lrs[1], lrs[0], lrs[1]]);
    expect(lrs[0]).toBeLessThan(lrs[1]);
    const keep = (p: string) => !p.endsWith('run.json');
    expect(readTree(join(b, 'results', 'search'), keep)).toEqual(readTree(join(a, 'results', 'search'), keep));
    // Verdicts compare dropout at each sampled learning rate.
    expect(first.stdout).toMatch(new RegExp(`lr=${String(lrs[0]).replace('.', '\\.')}`));
  });

  it("plot each variant's final metrics against the sampled factor in the HTML report", async () => {
    const html = readFileSync(join(a, 'results', 'search', 'report.html'), 'utf8');
    expect(html).toContain('<h2>Sampled factors</h2>');
    const data = JSON.parse(html.match(/<script type="application\/json" id="nnlab-data">(.*?)<\/script>/s)![1]!);
    // A chart per validation metric; a series per dropout level, a point per sampled learning rate.
    expect(data.scatters.map((c: { title: string; xLabel: string; log: boolean }) => [c.title, c.xLabel, c.log])).toEqual([
      ['final val_accuracy', 'lr', true],
      ['final val_loss', 'lr', true],
    ]);
    expect(data.scatters[0].series.map((s: { label: string; ys: number[] }) => [s.label, s.ys.length])).toEqual([
      ['dropout=false', 2],
      ['dropout=true', 2],
    ]);
    expect(html.match(/<div class="scatter-chart">/g)).toHaveLength(2);
    const again = await runInProcess(['report', 'results/search', '--html', 'again.html'], a);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(a, 'again.html'), 'utf8')).toBe(html);
  });

  it('a larger --set sweep.random.samples keeps the first points and adds new ones', async () => {
    const more = await runInProcess(['validate', 'search.yaml', '--set', 'sweep.random.samples=3', '--json'], a);
    expect(more.code, more.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(a, 'results', 'search', 'summary.json'), 'utf8'));
    const ids = new Set(summary.variants.flatMap((v: { run_ids: string[] }) => v.run_ids));
    const planned = (JSON.parse(more.stdout) as { runs: Array<{ id: string }> }).runs.map((r) => r.id);
    expect(planned).toHaveLength(12);
    expect(planned.filter((id) => ids.has(id))).toHaveLength(8);
  });
});
