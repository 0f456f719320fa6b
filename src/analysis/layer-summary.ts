import type { LayerKind, LayerSignal, LayerSignalRow } from '../shared/layer-signals.js';

/** One variant's per-layer signal at one epoch, over its seeds. */
export interface LayerSignalSummary {
  variant: number;
  epoch: number;
  layer: number;
  kind: LayerKind;
  signal: LayerSignal;
  mean: number | null;
  std: number | null;
  /** Runs with a value at that epoch (a run stopped early has none for later epochs). */
  runs: number;
}

/**
 * Mean and sample standard deviation over each variant's runs of every (epoch, layer, signal) in
 * their layers.csv; rows in variant, layer, signal, epoch order. Runs without signals add nothing.
 * @example summarizeLayerSignals([{variant: 0, layers: rowsOfSeed1}, {variant: 0, layers: rowsOfSeed2}])
 */
export function summarizeLayerSignals(runs: ReadonlyArray<{ variant: number; layers?: readonly LayerSignalRow[] }>): LayerSignalSummary[] {
  const groups = new Map<string, { key: Omit<LayerSignalSummary, 'mean' | 'std' | 'runs'>; values: number[] }>();
  for (const run of runs) {
    for (const row of run.layers ?? []) {
      const id = `${run.variant}|${row.layer}|${row.signal}|${row.epoch}`;
      let group = groups.get(id);
      if (!group) groups.set(id, (group = { key: { variant: run.variant, epoch: row.epoch, layer: row.layer, kind: row.kind, signal: row.signal }, values: [] }));
      if (row.value !== null) group.values.push(row.value);
    }
  }
  return [...groups.values()]
    .map(({ key, values }) => {
      const n = values.length;
      const mean = n ? values.reduce((s, v) => s + v, 0) / n : null;
      const std = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean!) ** 2, 0) / (n - 1)) : null;
      return { ...key, mean, std, runs: n };
    })
    .sort((a, b) => a.variant - b.variant || a.layer - b.layer || (a.signal < b.signal ? -1 : a.signal > b.signal ? 1 : 0) || a.epoch - b.epoch);
}
