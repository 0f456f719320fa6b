import { describe, expect, it } from 'vitest';
import type { VariantSummary } from '../../src/analysis/summarize.js';
import { renderTerminalReport } from '../../src/report/terminal-report.js';

const stats = (v: number) => ({ final_mean: v, final_std: 0.01, final_ci_low: null, final_ci_high: null, best_mean: v, best_std: 0.01, best_epoch_mean: 3, auc_mean: v });
const variant = (factors: Record<string, string>, test?: number): VariantSummary => ({
  variant: 0, factors, runs: 2, ok: 2, diverged: 0, failed: 0, missing: 0, thresholds: [],
  metrics: { val_accuracy: stats(0.9), val_loss: stats(0.3) },
  curves: { val_accuracy: [0.5, 0.9], val_loss: [0.6, 0.3] },
  ...(test === undefined ? {} : { test: { test_accuracy: { mean: test, std: 0.02, ci_low: null, ci_high: null } } }),
});
const factors = { regularization_strength: 'a-rather-long-level-name', schedule: 'cosine-with-warm-restarts' };
const table = (tableWidth?: number, withTest = false) =>
  renderTerminalReport([variant(factors, withTest ? 0.88 : undefined)], { title: 't', factorNames: Object.keys(factors), columns: ['loss', 'val_accuracy', 'val_loss'], color: false, width: 100, tableWidth }).split('\n\n')[1]!;

describe('the comparison table in the terminal report', () => {
  it('keeps val_loss when nothing limits the width (output to a file or pipe)', () => {
    expect(table()).toContain('val_loss');
  });

  it('leaves val_loss out on a terminal too narrow for it, never the first metric', () => {
    const narrow = table(100);
    expect(narrow).not.toContain('val_loss');
    expect(narrow).toContain('val_accuracy');
  });

  it('adds the held-out column when the runs had a test split', () => {
    expect(table(undefined, true)).toMatch(/test_accuracy[\s\S]*\(held out\)[\s\S]*0\.8800 ± 0\.0200/);
  });
});
