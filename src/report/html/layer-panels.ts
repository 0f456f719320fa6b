import type { LayerSignalSummary } from '../../analysis/layer-summary.js';
import { LAYER_SIGNALS, LAYER_SIGNAL_NAMES, type LayerSignal } from '../../shared/layer-signals.js';
import { escapeXml as esc, renderSvgChart, type SvgSeries } from './svg-chart.js';

/** Signals that span orders of magnitude between layers and over training: drawn on a log scale. */
const LOG_SCALE: ReadonlySet<LayerSignal> = new Set(['grad_norm', 'weight_norm', 'update_ratio']);
const LAYER_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/**
 * "Inside the network": per variant (collapsible, the first one open), one chart per per-layer
 * signal with one line per layer (mean over seeds, ±1 std band). Empty when no run recorded signals.
 */
export function renderLayerPanels(rows: readonly LayerSignalSummary[], variantNames: string[]): string {
  if (rows.length === 0) return '';
  const variants = [...new Set(rows.map((r) => r.variant))].sort((a, b) => a - b);
  const epochs = Math.max(1, ...rows.map((r) => r.epoch));
  const blocks = variants.map((variant, i) => {
    const mine = rows.filter((r) => r.variant === variant);
    const layers = [...new Set(mine.map((r) => r.layer))].sort((a, b) => a - b);
    const color = (layer: number) => LAYER_COLORS[layers.indexOf(layer) % LAYER_COLORS.length]!;
    const charts = LAYER_SIGNAL_NAMES.filter((signal) => mine.some((r) => r.signal === signal)).map((signal) => {
      const log = LOG_SCALE.has(signal);
      const series: SvgSeries[] = layers.flatMap((layer) => {
        const points = mine.filter((r) => r.layer === layer && r.signal === signal);
        if (points.length === 0) return [];
        const mean = Array.from({ length: epochs }, (_, e) => points.find((p) => p.epoch === e + 1)?.mean ?? null);
        const std = Array.from({ length: epochs }, (_, e) => points.find((p) => p.epoch === e + 1)?.std ?? null);
        return [{ label: `layer ${layer} (${points[0]!.kind})`, color: color(layer), mean, ...(log ? {} : { std }) }];
      });
      const values = series.flatMap((s) => s.mean.flatMap((m, e) => (m === null ? [] : log ? (m > 0 ? [m] : []) : [m - (s.std?.[e] ?? 0), m + (s.std?.[e] ?? 0)])));
      const range: [number, number] = values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
      return `<figure title="${esc(LAYER_SIGNALS[signal])}">${renderSvgChart(series, { title: `${signal}${log ? ' (log)' : ''}`, yRange: range, epochs, width: 300, height: 210, logY: log })}</figure>`;
    });
    const legend = layers.map((l) => `<span><i style="background:${color(l)}"></i>layer ${l} (${mine.find((r) => r.layer === l)!.kind})</span>`).join('');
    return `<details class="layers"${i === 0 ? ' open' : ''}><summary>${esc(variantNames[variant] ?? `variant ${variant}`)}</summary><p class="legend">${legend}</p><div class="panels">${charts.join('')}</div></details>`;
  });
  return `<h2>Inside the network</h2><p>Per-layer signals from each run's layers.csv, mean over seeds (hover a chart for what it measures); layers are numbered as in the spec's <code>model.layers</code>.</p>\n${blocks.join('\n')}`;
}
