import type { LayerSignalSummary } from '../../analysis/layer-summary.js';
import { LAYER_SIGNALS, LAYER_SIGNAL_NAMES, type LayerSignal } from '../../shared/layer-signals.js';
import { escapeHtml as esc } from './escape-html.js';
import type { EpochGrid } from './epoch-grid.js';

/** Signals that span orders of magnitude between layers and over training: drawn on a log scale. */
const LOG_SCALE: ReadonlySet<LayerSignal> = new Set(['grad_norm', 'weight_norm', 'update_ratio']);
const LAYER_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/** One variant's per-layer charts as the report's script draws them: a line (mean over seeds, ±1 std) per layer. */
interface LayerChartData {
  charts: Array<{ signal: string; log: boolean; series: Array<{ label: string; color: string; mean: Array<number | null>; std: Array<number | null> }> }>;
}

/**
 * "Inside the network": per variant (collapsible, the first one open), one chart per per-layer
 * signal with one line per layer; the charts are drawn by the report's script from `data` (block i
 * of the HTML is data[i]). Empty when no run recorded signals.
 */
export function renderLayerPanels(rows: readonly LayerSignalSummary[], variantNames: string[], grid: EpochGrid): { html: string; data: LayerChartData[] } {
  if (rows.length === 0) return { html: '', data: [] };
  // Indexed once: a series per variant, layer and signal, its values by epoch (linear in the rows).
  const series = new Map<string, { kind: string; mean: Array<number | null>; std: Array<number | null> }>();
  const key = (variant: number, layer: number, signal: string) => `${variant}|${layer}|${signal}`;
  for (const r of rows) {
    const k = key(r.variant, r.layer, r.signal);
    let entry = series.get(k);
    if (!entry) series.set(k, (entry = { kind: r.kind, mean: [], std: [] }));
    entry.mean[r.epoch - 1] = r.mean;
    entry.std[r.epoch - 1] = r.std;
  }
  const variants = [...new Set(rows.map((r) => r.variant))].sort((a, b) => a - b);
  const data: LayerChartData[] = [];
  const blocks = variants.map((variant, i) => {
    const mine = rows.filter((r) => r.variant === variant);
    const layers = [...new Set(mine.map((r) => r.layer))].sort((a, b) => a - b);
    const color = (layer: number) => LAYER_COLORS[layers.indexOf(layer) % LAYER_COLORS.length]!;
    const present = new Set(mine.map((r) => r.signal));
    const signals = LAYER_SIGNAL_NAMES.filter((signal) => present.has(signal));
    data.push({
      charts: signals.map((signal) => ({
        signal,
        log: LOG_SCALE.has(signal),
        series: layers.flatMap((layer) => {
          const found = series.get(key(variant, layer, signal));
          if (!found) return [];
          const picked = grid.picks(found.mean);
          return [{ label: `layer ${layer} (${found.kind})`, color: color(layer), mean: grid.take(found.mean, picked), std: grid.take(found.std, picked) }];
        }),
      })),
    });
    const charts = signals.map((signal) => `<div class="layer-chart" data-signal="${signal}" title="${esc(LAYER_SIGNALS[signal])}"></div>`).join('');
    return `<details class="layers"${i === 0 ? ' open' : ''}><summary>${esc(variantNames[variant] ?? `variant ${variant}`)}</summary><div class="panels">${charts}</div></details>`;
  });
  const html = `<h2>Inside the network</h2><p>Per-layer signals from each run's layers.csv, mean over seeds, ±1 std (hover a chart for what it measures); layers are numbered as in the spec's <code>model.layers</code>; gradient and weight norms and update ratios on a log scale.</p>\n${blocks.join('\n')}`;
  return { html, data };
}
