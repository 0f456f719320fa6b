import type { LayerSpec } from '../../spec/schema.js';
import { signalSeries, type LayerSignal, type LayerSignalRow } from '../../shared/layer-signals.js';

// Reading a run's per-layer signal rows (layers.csv): which layers have a signal, its series, and how to name a layer.

export function layerIndices(rows: readonly LayerSignalRow[], signal: LayerSignal): number[] {
  return [...new Set(rows.filter((r) => r.signal === signal).map((r) => r.layer))].sort((a, b) => a - b);
}

export function defined(series: Array<{ epoch: number; value: number | null }>): Array<{ epoch: number; value: number }> {
  return series.filter((s): s is { epoch: number; value: number } => s.value !== null);
}

export function lastValue(rows: readonly LayerSignalRow[], layer: number, signal: LayerSignal): number | undefined {
  const series = defined(signalSeries(rows, layer, signal));
  return series[series.length - 1]?.value;
}

/** 0.0730 → "7.3 %", 1 → "100 %": three significant digits, no trailing zeros. */
export const percent = (share: number) => `${Number((share * 100).toPrecision(3))} %`;

export function activationOf(spec: LayerSpec | undefined): string | undefined {
  return spec?.type === 'dense' || spec?.type === 'conv2d' || spec?.type === 'activation' ? spec.activation : undefined;
}

/** "layer 2 (dense, sigmoid)", as `model.layers[2]` of the spec. */
export function describeLayer(spec: LayerSpec | undefined, layer: number): string {
  const activation = activationOf(spec);
  return `layer ${layer} (${spec?.type ?? 'layer'}${activation ? `, ${activation}` : ''})`;
}

export function setActivation(spec: LayerSpec | undefined, layer: number, activation: string): string | undefined {
  if (spec?.type === 'dense' || spec?.type === 'conv2d') return `model.layers[${layer}].${spec.type}.activation=${activation}`;
  if (spec?.type === 'activation') return `model.layers[${layer}].activation.activation=${activation}`;
  return undefined;
}
