import { describe, expect, it } from 'vitest';
import { summarizeLayerSignals } from '../../src/analysis/layer-summary.js';
import { summarizeVariants, type RunForSummary } from '../../src/analysis/summarize.js';
import { epochGrid } from '../../src/report/html/epoch-grid.js';
import { renderHtmlReport } from '../../src/report/html/html-report.js';
import type { LayerSignalRow } from '../../src/shared/layer-signals.js';

describe('epochGrid: what report.html draws of a long training', () => {
  it('draws every epoch up to 1,000', () => {
    const grid = epochGrid(3);
    expect(grid.xs).toEqual([1, 2, 3]);
    expect(grid.series([0.1, 0.2, 0.3])).toEqual([0.1, 0.2, 0.3]);
  });

  it('beyond, each bucket as its lowest and highest value in the order they came: a one-epoch dip survives', () => {
    const values = Array.from({ length: 2000 }, (_, i) => 0.9 + 0.0001 * Math.sin(i));
    values[1234] = 0.4;
    const grid = epochGrid(2000);
    expect(grid.xs).toHaveLength(1000);
    const drawn = grid.series(values);
    expect(drawn).toHaveLength(1000);
    expect(Math.min(...(drawn as number[]))).toBe(0.4);
    expect(Math.max(...(drawn as number[]))).toBe(Math.max(...values));
    // A band's edges cover every epoch of their bucket.
    expect(Math.min(...(grid.edge(values, 'low') as number[]))).toBe(0.4);
  });
});

describe('report.html of a 2,000-epoch sweep', () => {
  it('stays under 2 MB: every chart series at most 1,000 points, the per-layer ones 300', () => {
    const epochs = 2000;
    const variants = Array.from({ length: 8 }, (_, v) => ({ factors: { split: v % 2 ? 'tail' : 'stratified', lr: v < 4 ? 0.01 : 0.001, dropout: v % 4 < 2 } }));
    const runs: RunForSummary[] = variants.map((_, variant) => ({
      id: `r${variant}`,
      variant,
      seed: 1,
      status: 'ok',
      history: Array.from({ length: epochs }, (_, e) => ({
        epoch: e + 1,
        loss: 1 / (e + 1 + variant),
        accuracy: 0.5 + e / 5000,
        val_loss: 0.7 + Math.sin(e) / 50,
        val_accuracy: 0.6 + Math.cos(e) / 50,
        val_top_class_share: 0.5,
        lr: 0.01,
      })),
    }));
    const layers: LayerSignalRow[] = Array.from({ length: epochs }, (_, e) =>
      [0, 2, 4].flatMap((layer) =>
        (['grad_norm', 'weight_norm', 'update_ratio', 'act_mean', 'act_std', 'preact_mean', 'preact_std', 'dead_share'] as const).map((signal) => ({
          epoch: e + 1,
          layer,
          kind: 'dense' as const,
          signal,
          value: Math.random(),
        })),
      ),
    ).flat();
    const columns = ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'val_top_class_share'];
    const summaries = summarizeVariants(variants, runs, columns);
    const html = renderHtmlReport({
      experiment: 'long',
      factorNames: ['split', 'lr', 'dropout'],
      compare: 'split',
      columns,
      summaries,
      comparisons: [],
      runs,
      layerSummary: summarizeLayerSignals(runs.map((r) => ({ variant: r.variant, layers }))),
    });
    expect(html.length).toBeLessThan(2 * 1024 ** 2);
    const data = JSON.parse(/<script type="application\/json" id="nnlab-data">([\s\S]*?)<\/script>/.exec(html)![1]!);
    expect(data.xs).toHaveLength(1000);
    expect(data.layerXs.length).toBeLessThanOrEqual(300);
    for (const metric of data.metrics) for (const panel of metric.panels) for (const s of panel.series) expect(s.mean).toHaveLength(1000);
    for (const block of data.layers) for (const chart of block.charts) for (const s of chart.series) expect(s.mean).toHaveLength(data.layerXs.length);
  });
});
