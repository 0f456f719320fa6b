import type { LayerSpec } from '../../spec/schema.js';
import { signalSeries } from '../../shared/layer-signals.js';
import { median } from '../../shared/numbers.js';
import { fmt, MIN_TREND_EPOCHS, type Finding, type RunForDiagnosis } from './finding.js';

/** A training loss at least this many times its lowest so far has jumped, not wobbled… */
const SPIKE_RATIO = 5;
/** …and by at least this much, so that 1e-5 → 1e-4 near a perfect fit does not count. */
const SPIKE_FLOOR = 0.01;
/** Validation accuracy this far below its best so far, at the spike or the epoch after, is a dip. */
const DIP = 0.02;

/**
 * A training loss that jumps late in training after reaching its lowest values, with validation
 * dipping at the same epoch: the optimizer knocked the net off its minimum. Adam's steps are
 * normalized, so they stay large while the gradients shrink near a perfect fit; behind batch norm the
 * weights' scale is free to grow, and the moving statistics (averaged over ~1/(1 − momentum) steps)
 * lag the shifted layer, so validation measures it with stale statistics and dips further than
 * training. Evidence: the epoch, both curves, and the batch norm gap there against its usual size.
 */
export function lossSpikes(run: RunForDiagnosis): Finding | undefined {
  const rows = run.history.filter((r) => typeof r.loss === 'number');
  if (run.status !== 'ok' || rows.length < MIN_TREND_EPOCHS) return undefined;
  const accuracy = run.task === 'classification' ? 'val_accuracy' : undefined;
  let lowest = rows[0]!.loss!;
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i]!;
    const loss = row.loss!;
    if (loss >= SPIKE_RATIO * lowest && loss - lowest >= SPIKE_FLOOR) {
      const dip = validationDip(rows, i, accuracy);
      if (dip) return finding(run, row.epoch!, lowest, loss, dip);
    }
    lowest = Math.min(lowest, loss);
  }
  return undefined;
}

/** The validation value at the spike or the epoch after, when it is a dip below the best so far. */
function validationDip(
  rows: RunForDiagnosis['history'],
  at: number,
  accuracy: string | undefined,
): { column: string; best: number; value: number; epoch: number } | undefined {
  const column = accuracy ?? 'val_loss';
  const before = rows
    .slice(0, at)
    .map((r) => r[column])
    .filter((v): v is number => typeof v === 'number');
  if (before.length === 0) return undefined;
  const best = accuracy ? Math.max(...before) : Math.min(...before);
  for (const r of rows.slice(at, at + 2)) {
    const v = r[column];
    if (typeof v !== 'number') continue;
    if (accuracy ? v <= best - DIP : v >= best * 1.5) return { column, best, value: v, epoch: r.epoch! };
  }
  return undefined;
}

function finding(
  run: RunForDiagnosis,
  epoch: number,
  lowest: number,
  loss: number,
  dip: { column: string; best: number; value: number; epoch: number },
): Finding {
  const bn = run.config.model.layers
    .map((l, i) => ({ l, i }))
    .filter((x): x is { l: Extract<LayerSpec, { type: 'batch_norm' }>; i: number } => x.l.enabled && x.l.type === 'batch_norm');
  const gap = bn.length ? gapAt(run, bn[0]!.i, dip.epoch) : undefined;
  const seen = `the training loss jumped to ${fmt(loss)} at epoch ${epoch} after reaching ${fmt(lowest)}, and ${dip.column} fell from ${fmt(dip.best)} (its best so far) to ${fmt(dip.value)} at epoch ${dip.epoch}${gap ? `; ${gap}` : ''}`;
  const optimizer = run.config.train.optimizer;
  const why = `${optimizer.type === 'adam' || optimizer.type === 'rmsprop' ? `${optimizer.type}'s steps are scaled to the gradients' recent size, so near a perfect fit they stay large and a few of them overshoot` : 'a few steps overshoot once the loss is near zero'}${bn.length ? `; behind batch norm the weights' scale is free to grow, and its moving statistics (momentum ${bn[0]!.l.momentum}, about ${Math.round(1 / (1 - bn[0]!.l.momentum))} steps) lag the shifted layer, so validation dips further than training` : ''}`;
  return {
    code: 'training-loss-spikes',
    severity: 'problem',
    headline: `the training loss spikes once it nears zero, and ${dip.column} dips with it`,
    seen,
    why,
    fix: 'lower the learning rate once the training loss is small (reduce it on a plateau of the training loss), or keep the best epoch with early stopping and restore-best',
    sets: ['train.callbacks.reduce_lr_on_plateau={monitor: loss, factor: 0.2, patience: 2}'],
    columns: ['loss', dip.column],
  };
}

/** "batch norm's moving means were off by 0.30 batch std there (0.09 in the other epochs), its moving std 0.81× the batch's". */
function gapAt(run: RunForDiagnosis, layer: number, epoch: number): string | undefined {
  if (!run.layers) return undefined;
  const gaps = signalSeries(run.layers, layer, 'bn_mean_gap');
  const ratios = signalSeries(run.layers, layer, 'bn_std_ratio');
  const there = gaps.find((g) => g.epoch === epoch)?.value;
  const ratio = ratios.find((r) => r.epoch === epoch)?.value;
  const usual = median(gaps.filter((g) => g.epoch !== epoch && g.epoch > 2 && g.value !== null).map((g) => g.value!));
  if (there === undefined || there === null || usual === null) return undefined;
  return `layer ${layer}'s (batch norm) moving means were off by ${fmt(there)} batch standard deviations there (${fmt(usual)} in the other epochs)${typeof ratio === 'number' ? `, its moving std ${fmt(ratio)}× the batch's` : ''}`;
}
