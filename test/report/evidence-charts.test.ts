import { describe, expect, it } from 'vitest';
import { compareVariants, quantitiesFor } from '../../src/analysis/compare.js';
import type { RunForSummary } from '../../src/analysis/summarize.js';
import { planEvidence, renderEvidenceCharts } from '../../src/report/evidence-charts.js';

const variants = [{ factors: { early_stopping: false } }, { factors: { early_stopping: true } }];
/** A seed's val_loss curve: falls to epoch 4, then rises; `shift` moves the whole curve. */
const curve = (seed: number, epochs: number, shift = 0) =>
  Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, val_loss: Math.abs(i - 3) * 0.1 + 0.5 + seed * 0.01 + shift }));
const run = (variant: number, seed: number, history: RunForSummary['history'], restoredEpoch?: number): RunForSummary => ({
  id: `v${variant}-s${seed}`,
  variant,
  seed,
  status: 'ok',
  history,
  ...(restoredEpoch ? { restoredEpoch } : {}),
});
const input = (runs: RunForSummary[]) => ({
  variants,
  runs,
  columns: ['val_loss'],
  trends: [],
  diagnoses: [],
  comparisons: compareVariants(variants, runs, 'early_stopping', quantitiesFor(['final val_loss'])),
});
const seeds = [1, 2, 3, 4, 5];

describe('planEvidence', () => {
  it('says in words, instead of a chart of zeros, that paired runs trained alike until one stopped', () => {
    // Early stopping: the same training as without it until it stops at epoch 6 and keeps epoch 4.
    const runs = seeds.flatMap((s) => [run(0, s, curve(s, 12)), run(1, s, curve(s, 6), 4)]);
    const blocks = planEvidence(input(runs));
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.panels).toEqual([]);
    expect(blocks[0]!.heading).toMatch(/^val_loss: early_stopping=true − early_stopping=false is 0 at every epoch both runs of a seed trained/);
    const lines = renderEvidenceCharts(input(runs), { width: 80, color: false }).join('\n').split('\n');
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(lines.join(' ')).toMatch(/the verdicts compare what each run ends with/);
  });

  it('charts the per-epoch difference where the paired runs differ', () => {
    const runs = seeds.flatMap((s) => [run(0, s, curve(s, 12)), run(1, s, curve(s, 12, -0.05 - s * 0.001))]);
    const [block] = planEvidence(input(runs));
    expect(block!.heading).toMatch(/per epoch \(below 0: lower val_loss with early_stopping=true\)/);
    expect(block!.panels).toHaveLength(1);
    expect(block!.panels[0]!.series[0]!.values.every((v) => v !== null && v < 0)).toBe(true);
  });
});
