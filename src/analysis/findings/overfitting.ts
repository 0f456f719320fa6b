import type { HistoryRow } from '../../shared/history-contract.js';
import { fmt, lrOf, MIN_TREND_EPOCHS, setLr, type Finding, type RunForDiagnosis } from './finding.js';

/** Validation loss 30 % above its minimum at the end (with the training loss still falling) is overfitting, not noise. */
const OVERFIT_RISE = 0.3;
/** Validation accuracy ending 5 points below an early peak (in the first third of training). */
const PEAK_DROP = 0.05;

export function overfitting(run: RunForDiagnosis): Finding | undefined {
  const rows = run.history.filter((r) => typeof r.val_loss === 'number' && typeof r.loss === 'number');
  if (run.status !== 'ok' || rows.length < MIN_TREND_EPOCHS) return undefined;
  const best = rows.reduce((b, r) => (r.val_loss! < b.val_loss! ? r : b));
  const last = rows[rows.length - 1]!;
  if (best === last || last.val_loss! < best.val_loss! * (1 + OVERFIT_RISE) || last.loss! >= best.loss!) return undefined;
  const acc =
    typeof best.val_accuracy === 'number' && typeof last.val_accuracy === 'number'
      ? ` (val_accuracy ${fmt(best.val_accuracy)} there, ${fmt(last.val_accuracy)} at the end)`
      : '';
  const es = run.config.train.callbacks?.early_stopping;
  const patience = es?.patience ?? 5;
  // Runs are deterministic and early stopping does not change the epochs before it fires, so
  // replaying it on this history says exactly where it would have stopped and what it would have kept.
  const replay = replayEarlyStopping(rows, patience, es?.min_delta ?? 0);
  const kept = replay
    ? `early stopping with restore-best (patience ${patience}) would have stopped at epoch ${replay.stopped} and kept epoch ${replay.kept.epoch}: val_loss ${fmt(replay.kept.val_loss!)} instead of ${fmt(last.val_loss!)}`
    : `early stopping with restore-best would have ended with val_loss ${fmt(best.val_loss!)} instead of ${fmt(last.val_loss!)}`;
  return {
    code: 'overfitting',
    severity: 'problem',
    headline: 'validation loss rises while training loss falls',
    onset: 'val_loss',
    seen: `val_loss was lowest at epoch ${best.epoch} (${fmt(best.val_loss!)}) and rose to ${fmt(last.val_loss!)} by epoch ${last.epoch} while the training loss kept falling (${fmt(best.loss!)} → ${fmt(last.loss!)})${acc}`,
    why: `after the best epoch the net fits the training samples' peculiarities, not the task; ${kept}`,
    ...(run.config.train.callbacks?.early_stopping?.enabled === false
      ? {
          fix: `this variant has early stopping switched off: switch it on (restore-best keeps the best epoch's weights), or regularize (dropout, more data)`,
          sets: ['train.callbacks.early_stopping.enabled=true'],
        }
      : {
          fix: `stop near the best epoch with early stopping (restore-best keeps that epoch's weights), or regularize (dropout, more data)`,
          sets: ['train.callbacks.early_stopping={patience: 5, restore_best: true}'],
        }),
  };
}

export function accuracyPeaksEarly(run: RunForDiagnosis): Finding | undefined {
  const acc = run.history.filter((r) => typeof r.val_accuracy === 'number');
  if (run.status !== 'ok' || acc.length < Math.max(6, MIN_TREND_EPOCHS)) return undefined;
  const best = acc.reduce((b, r) => (r.val_accuracy! > b.val_accuracy! ? r : b));
  const last = acc[acc.length - 1]!;
  if (best.epoch! > acc.length / 3 || best.val_accuracy! - last.val_accuracy! < PEAK_DROP) return undefined;
  return {
    code: 'accuracy-peaks-early',
    severity: 'problem',
    headline: 'validation accuracy peaks early, then falls',
    seen: `val_accuracy peaked at ${fmt(best.val_accuracy!)} in epoch ${best.epoch} of ${last.epoch} and ended at ${fmt(last.val_accuracy!)}`,
    why: 'the learning rate is often too high for the later epochs: the weights keep jumping past the good region',
    fix: 'compare against a tenfold lower learning rate',
    sets: [setLr(run.config.train, lrOf(run.config.train) / 10)],
  };
}

/** Where Keras-style early stopping on val_loss would stop on this history, and the epoch it would restore. */
function replayEarlyStopping(rows: HistoryRow[], patience: number, minDelta: number): { stopped: number; kept: HistoryRow } | undefined {
  let best: HistoryRow | undefined;
  let wait = 0;
  for (const row of rows) {
    if (!best || best.val_loss! - row.val_loss! > minDelta) {
      best = row;
      wait = 0;
    } else if (++wait >= patience) return { stopped: row.epoch!, kept: best };
  }
  return undefined;
}
