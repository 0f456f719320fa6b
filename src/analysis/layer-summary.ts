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
  // Per (variant, layer, signal), sums indexed by epoch: linear in the rows, no object per row. Two
  // passes in the runs' order, as a mean and a sum of squared deviations of each epoch's values.
  type Group = { variant: number; layer: number; kind: LayerKind; signal: LayerSignal; n: number[]; sum: number[]; squares: number[] };
  // variant → layer → signal: no key string per row.
  const groups = new Map<number, Map<number, Map<string, Group>>>();
  const all: Group[] = [];
  const groupOf = (variant: number, row: LayerSignalRow) => {
    let byLayer = groups.get(variant);
    if (!byLayer) groups.set(variant, (byLayer = new Map()));
    let bySignal = byLayer.get(row.layer);
    if (!bySignal) byLayer.set(row.layer, (bySignal = new Map()));
    let g = bySignal.get(row.signal);
    if (!g) {
      bySignal.set(row.signal, (g = { variant, layer: row.layer, kind: row.kind, signal: row.signal, n: [], sum: [], squares: [] }));
      all.push(g);
    }
    return g;
  };
  for (const run of runs) {
    for (const row of run.layers ?? []) {
      const g = groupOf(run.variant, row);
      g.n[row.epoch] ??= 0;
      g.sum[row.epoch] ??= 0;
      if (row.value === null) continue;
      g.n[row.epoch]!++;
      g.sum[row.epoch]! += row.value;
    }
  }
  for (const run of runs) {
    for (const row of run.layers ?? []) {
      if (row.value === null) continue;
      const g = groupOf(run.variant, row);
      g.squares[row.epoch] = (g.squares[row.epoch] ?? 0) + (row.value - g.sum[row.epoch]! / g.n[row.epoch]!) ** 2;
    }
  }
  const ordered = all.sort((a, b) => a.variant - b.variant || a.layer - b.layer || (a.signal < b.signal ? -1 : a.signal > b.signal ? 1 : 0));
  const out: LayerSignalSummary[] = [];
  for (const g of ordered) {
    g.n.forEach((n, epoch) => {
      const mean = n ? g.sum[epoch]! / n : null;
      const std = n > 1 ? Math.sqrt(g.squares[epoch]! / (n - 1)) : null;
      out.push({ variant: g.variant, epoch, layer: g.layer, kind: g.kind, signal: g.signal, mean, std, runs: n });
    });
  }
  return out;
}
