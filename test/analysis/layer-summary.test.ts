import { describe, expect, it } from 'vitest';
import { summarizeLayerSignals } from '../../src/analysis/layer-summary.js';
import type { LayerSignalRow } from '../../src/shared/layer-signals.js';

const row = (epoch: number, layer: number, signal: LayerSignalRow['signal'], value: number | null): LayerSignalRow => ({
  epoch,
  layer,
  kind: 'dense',
  signal,
  value,
});

describe('summarizeLayerSignals', () => {
  it("averages each variant's seeds per epoch, layer and signal, with the sample std and the runs that had a value", () => {
    const rows = summarizeLayerSignals([
      { variant: 1, layers: [row(1, 0, 'grad_norm', 0.2), row(2, 0, 'grad_norm', 0.1)] },
      { variant: 0, layers: [row(1, 2, 'dead_share', 0.5), row(1, 0, 'grad_norm', 1)] },
      { variant: 0, layers: [row(1, 2, 'dead_share', 0.25), row(1, 0, 'grad_norm', 3)] },
      { variant: 0, layers: [row(1, 0, 'grad_norm', null)] },
      { variant: 1 },
    ]);
    expect(rows).toEqual([
      { variant: 0, epoch: 1, layer: 0, kind: 'dense', signal: 'grad_norm', mean: 2, std: Math.SQRT2, runs: 2 },
      { variant: 0, epoch: 1, layer: 2, kind: 'dense', signal: 'dead_share', mean: 0.375, std: Math.sqrt(0.03125), runs: 2 },
      { variant: 1, epoch: 1, layer: 0, kind: 'dense', signal: 'grad_norm', mean: 0.2, std: null, runs: 1 },
      { variant: 1, epoch: 2, layer: 0, kind: 'dense', signal: 'grad_norm', mean: 0.1, std: null, runs: 1 },
    ]);
  });

  it('is empty when no run recorded signals (the tfjs-layers engine, or train.layer_signals: false)', () => {
    expect(summarizeLayerSignals([{ variant: 0 }, { variant: 1, layers: [] }])).toEqual([]);
  });
});
