import { describe, expect, it } from 'vitest';
import type { VariantSummary } from '../../src/analysis/summarize.js';
import { renderCurveChart } from '../../src/report/curve-chart.js';
import { renderAnswer, renderTerminalReport } from '../../src/report/terminal-report.js';
import { compareFactors } from '../../src/analysis/compare.js';
import { quantity } from '../../src/shared/quantity.js';

const stats = (v: number) => ({
  final_mean: v,
  final_std: 0.01,
  final_ci_low: null,
  final_ci_high: null,
  best_mean: v,
  best_std: 0.01,
  best_epoch_mean: 3,
  auc_mean: v,
});
const variant = (factors: Record<string, string>, test?: number): VariantSummary => ({
  variant: 0,
  factors,
  runs: 2,
  ok: 2,
  diverged: 0,
  failed: 0,
  missing: 0,
  thresholds: [],
  metrics: { val_accuracy: stats(0.9), val_loss: stats(0.3) },
  curves: { val_accuracy: [0.5, 0.9], val_loss: [0.6, 0.3] },
  ...(test === undefined ? {} : { test: { test_accuracy: { mean: test, std: 0.02, ci_low: null, ci_high: null } } }),
});
const factors = { regularization_strength: 'a-rather-long-level-name', schedule: 'cosine-with-warm-restarts' };
const input = (summaries: VariantSummary[]) => ({ summaries, runs: [], comparisons: [], trends: [], diagnoses: [] });
const table = (tableWidth?: number, withTest = false) =>
  renderTerminalReport(input([variant(factors, withTest ? 0.88 : undefined)]), {
    title: 't',
    factorNames: Object.keys(factors),
    columns: ['loss', 'val_accuracy', 'val_loss'],
    color: false,
    width: 100,
    tableWidth,
  }).split('\n\n')[1]!;

describe('the comparison table in the terminal report', () => {
  it('keeps val_loss when nothing limits the width (output to a file or pipe)', () => {
    expect(table()).toContain('val_loss');
  });

  it('leaves val_loss out on a terminal too narrow for it, never the first metric', () => {
    const [narrow, note] = table(100).split('\n(');
    expect(narrow).not.toContain('val_loss');
    expect(narrow).toContain('val_accuracy');
    expect(note).toMatch(/^val_loss( and best val_accuracy)? left out to fit the terminal/);
  });

  it('says why variants have different seed counts only where seeds until decided gave them', () => {
    const fewer = { ...variant({ bn: 'true' }), ok: 1, runs: 1 };
    const render = (looks: number) =>
      renderTerminalReport(input([variant({ bn: 'false' }), fewer]), {
        title: 't',
        factorNames: ['bn'],
        columns: ['val_accuracy'],
        color: false,
        width: 200,
        looks,
      });
    expect(render(1)).toContain('(variants have different numbers of seeds, each averaged over its own; the verdicts pair only the seeds both sides have)');
    expect(render(3)).toContain('each averaged over its own: seeds until decided gave more to undecided comparisons;');
  });

  it('adds the held-out column when the runs had a test split', () => {
    expect(table(undefined, true)).toMatch(/test_accuracy[\s\S]*\(held out\)[\s\S]*0\.8800 ± 0\.0200/);
  });
});

describe('the terminal charts', () => {
  it('labels the axis finely enough that neighbouring ticks differ on a nearly flat curve', () => {
    const chart = renderCurveChart([{ label: 'a', values: [21904.3, 21904.2, 21904.1, 21903.9] }], { title: 'mae', color: false, height: 4 });
    const ticks = chart
      .split('\n')
      .slice(1, 6)
      .map((line) => line.split(/[┤┼]/)[0]!.trim());
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks[0]).toBe('21904.3');
  });

  it('wraps a small multiple’s long title instead of running it into its neighbour, keeping the row level', () => {
    const panels = ['none', 'minmax'].flatMap((target) =>
      ['sigmoid', 'linear'].map((output) => ({ optimizer: 'sgd(learning_rate=1e-8)', batch: '32', target, output })),
    );
    const summaries = panels.map((f, i) => ({ ...variant(f), variant: i }));
    const runs = summaries.flatMap((s) =>
      [1, 2, 3].map((seed) => ({
        id: `${s.variant}-${seed}`,
        variant: s.variant,
        seed,
        status: 'ok' as const,
        history: [1, 2, 3].map((epoch) => ({ epoch, val_accuracy: 0.5 + 0.1 * epoch + (s.factors.output === 'linear' ? 0.01 * seed : 0) })),
      })),
    );
    const { comparisons, trends } = compareFactors(summaries, runs, ['output'], [quantity('final', 'val_accuracy')]);
    const report = renderTerminalReport(
      { summaries, runs, comparisons, trends, diagnoses: [] },
      { title: 't', factorNames: ['optimizer', 'batch', 'target', 'output'], columns: ['val_accuracy', 'val_loss'], color: false, width: 100 },
    );
    const lines = report.split('\n');
    const first = lines.findIndex((l) => l.startsWith('val_accuracy · '));
    expect(lines[first]).not.toMatch(/noneval_accuracy/);
    expect(Math.max(...lines.slice(first).map((l) => l.length))).toBeLessThanOrEqual(100);
    // Both panels' plots start on the same line: the first tick row holds two axes.
    expect(lines.slice(first, first + 4).some((l) => (l.match(/[┤┼]/g) ?? []).length === 2)).toBe(true);
    expect(report).toContain('target=none');
    expect(report).toContain('target=minmax');
    expect(report).toContain('val_accuracy: output=linear − output=sigmoid, per epoch');
    // Seeds until decided: the rounds multiply every p, whether or not any verdict made a claim.
    const withRounds = renderTerminalReport(
      { summaries, runs, comparisons, trends, diagnoses: [] },
      { title: 't', factorNames: ['optimizer', 'batch', 'target', 'output'], columns: ['val_accuracy'], color: false, width: 400, looks: 3 },
    );
    expect(withRounds).toContain('each p also × 3, the rounds seeds until decided may take');
    expect(report).not.toContain('each p also');
  });
});

describe('the answer block', () => {
  it('heads the sentences with Answer and wraps each under its bullet', () => {
    const text = renderAnswer(['Training — bn=true vs false: faster at hidden=50–1024, with loss at epoch 3 lower by 0.011–0.060 in 30/30 seed pairs.'], {
      width: 60,
      color: false,
    });
    expect(text.split('\n')[0]).toBe('Answer');
    expect(text.split('\n')[1]).toMatch(/^• Training/);
    expect(text.split('\n')[2]).toMatch(/^ {2}\S/);
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(60);
  });
});
