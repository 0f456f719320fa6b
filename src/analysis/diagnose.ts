import type { FactorValue } from '../shared/factor-value.js';
import { formatFactorValue } from '../shared/factor-value.js';
import type { LayerSpec, Spec } from '../spec/schema.js';
import type { HistoryRow } from '../shared/history-contract.js';
import { builtinInfo } from '../data/catalog.js';

/** What diagnosis needs of a run: its config, how it ended and its history. */
export interface RunForDiagnosis {
  id: string;
  variant: number;
  factors: Record<string, FactorValue>;
  config: Pick<Spec, 'data' | 'model' | 'train'>;
  status: 'ok' | 'diverged' | 'failed' | 'missing';
  divergedEpoch?: number;
  history: HistoryRow[];
  task: 'classification' | 'regression';
  /** Classes of a classification dataset (chance accuracy is 1 / numClasses). */
  numClasses?: number;
}

export interface Finding {
  code: string;
  /** problem: something to fix; note: expected behaviour worth explaining. */
  severity: 'problem' | 'note';
  seen: string;
  why: string;
  /** The change to try, as `--set` overrides when one exists. */
  fix: string;
  sets?: string[];
}

// Thresholds. Each is the smallest effect that is clearly not noise on the shipped experiments.
/** Predictions whose spread is under 10 % of the targets' spread are, for practical purposes, one constant. */
export const COLLAPSE_STD_RATIO = 0.1;
/** One class predicted for 95 % of the validation samples (when classes are roughly balanced). */
export const COLLAPSE_CLASS_SHARE = 0.95;
/** Training loss that moved less than 1 % from its first to its last epoch did not train. */
export const FLAT_LOSS_CHANGE = 0.01;
/** Validation loss 30 % above its minimum at the end (with the training loss still falling) is overfitting, not noise. */
export const OVERFIT_RISE = 0.3;
/** Validation accuracy ending 5 points below an early peak (in the first third of training). */
export const PEAK_DROP = 0.05;
/** Batch statistics from fewer samples than this are too noisy for batch norm to help. */
export const SMALL_BN_BATCH = 16;
/** Validation loss below training loss in at least 80 % of the epochs. */
export const VAL_BETTER_SHARE = 0.8;
/** The first epoch already reaches 97 % of the best validation accuracy. */
export const FIRST_EPOCH_SHARE = 0.97;
/**
 * Batch norm's moving statistics take ~1/(1 − momentum) steps to follow the weights. When that is at
 * least two epochs, and the validation loss lags the training loss by 30 % or more early on and then
 * catches up by as much again, validation in those epochs measured stale statistics, not the net.
 */
export const BN_LAG_EPOCHS = 2;
export const BN_LAG_RATIO = 1.3;
/**
 * Findings about a trend (a flat or rising loss, a peak, a redundant training set) need this many
 * epochs; shorter runs get a note saying they were not judged, rather than a conclusion from 3 points.
 */
export const MIN_TREND_EPOCHS = 5;

const lrOf = (t: Spec['train']) => t.optimizer.learning_rate;
const values = (h: HistoryRow[], c: string) => h.map((r) => r[c]).filter((v): v is number => typeof v === 'number');
const fmt = (x: number) => (Math.abs(x) >= 1000 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(2) : x.toPrecision(3));
const setLr = (t: Spec['train'], lr: number) => `train.optimizer.${t.optimizer.type}.learning_rate=${Number(lr.toPrecision(2))}`;

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

/** Training steps per epoch from the spec (built-in datasets only; undefined for user files). */
function stepsPerEpoch(config: Pick<Spec, 'data' | 'train'>): number | undefined {
  const info = builtinInfo(config.data);
  if (!info) return undefined;
  // Synthetic sets are generated at data.samples; real ones are subset to at most their size.
  const samples = info.synthetic ? (config.data.samples ?? info.samples) : Math.min(config.data.samples ?? info.samples, info.samples);
  const train = Math.floor(samples * (1 - (config.data.test_split ?? 0)) * (1 - config.data.validation_split));
  return Math.max(1, Math.ceil(train / config.train.batch_size));
}

function outputLayer(layers: LayerSpec[]): { index: number; activation?: string } {
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (!l.enabled) continue;
    if (l.type === 'dense') return { index: i, activation: l.activation };
    if (l.type === 'activation') return { index: i, activation: l.activation };
  }
  return { index: layers.length - 1 };
}

type Detector = (run: RunForDiagnosis) => Finding | undefined;

const detectors: Detector[] = [
  function tooFewEpochs(run) {
    if (run.status !== 'ok' || run.history.length >= MIN_TREND_EPOCHS) return undefined;
    return {
      code: 'too-few-epochs', severity: 'note',
      seen: `${run.history.length} epoch${run.history.length === 1 ? '' : 's'} of history`,
      why: `trends need at least ${MIN_TREND_EPOCHS} epochs: overfitting, a flat loss, accuracy peaking early, validation better than training and a redundant training set were not judged`,
      fix: `train for ${MIN_TREND_EPOCHS} epochs or more to have them judged`,
      sets: [`train.epochs=${MIN_TREND_EPOCHS}`],
    };
  },
  function diverged(run) {
    if (run.status !== 'diverged') return undefined;
    const lr = lrOf(run.config.train);
    return {
      code: 'diverged', severity: 'problem',
      seen: `the loss became NaN or infinite at epoch ${run.divergedEpoch ?? '?'}`,
      why: `the updates are too large for this loss surface: learning rate ${lr} with ${run.config.train.optimizer.type} overshoots and the weights blow up`,
      fix: 'lower the learning rate tenfold', sets: [setLr(run.config.train, lr / 10)],
    };
  },
  function collapsedOutput(run) {
    const last = run.history[run.history.length - 1];
    if (!last) return undefined;
    const { index, activation } = outputLayer(run.config.model.layers);
    if (run.task === 'regression') {
      const ratio = last.val_pred_std_ratio;
      if (typeof ratio !== 'number' || ratio >= COLLAPSE_STD_RATIO) return undefined;
      const seen = `predictions vary ${fmt(ratio * 100)} % as much as the targets (val_pred_std_ratio ${fmt(ratio)} at epoch ${last.epoch}): the net predicts nearly the same number for every input`;
      if (activation && ['sigmoid', 'tanh', 'softmax', 'hard_sigmoid'].includes(activation) && run.config.data.target_scale !== 'minmax') {
        return { code: 'collapsed-output', severity: 'problem', seen, why: `the ${activation} output is bounded, the targets are not: every prediction saturates at the bound`, fix: 'use a linear output for regression', sets: [`model.layers[${index}].dense.activation=linear`] };
      }
      if (run.config.train.optimizer.type === 'sgd' && lrOf(run.config.train) < 1e-5) {
        return { code: 'collapsed-output', severity: 'problem', seen, why: `SGD with learning rate ${lrOf(run.config.train)} barely moves the weights from their initial, near-constant output`, fix: 'use Adam (or a learning rate around 0.01)', sets: ['train.optimizer={adam: {learning_rate: 0.001}}'] };
      }
      if (run.config.data.target_scale === 'none') {
        return { code: 'collapsed-output', severity: 'problem', seen, why: 'the targets are unscaled: the output has to grow by orders of magnitude, and until then the loss is dominated by the mean', fix: 'scale the target (and the inputs)', sets: ['data.target_scale=standardize', 'data.scale=standardize'] };
      }
      return { code: 'collapsed-output', severity: 'problem', seen, why: 'the hidden units may be dead (ReLUs stuck at zero) or the learning rate too small', fix: 'try a higher learning rate or leaky activations', sets: [setLr(run.config.train, lrOf(run.config.train) * 10)] };
    }
    const share = last.val_top_class_share;
    if (typeof share !== 'number' || share < COLLAPSE_CLASS_SHARE) return undefined;
    return {
      code: 'collapsed-output', severity: 'problem',
      seen: `${fmt(share * 100)} % of the validation samples get the same class at epoch ${last.epoch}`,
      why: 'the net has collapsed onto one class: often a learning rate too small to leave the initial state, or too large so the ReLUs died',
      fix: 'compare learning rates around the current one', sets: [setLr(run.config.train, lrOf(run.config.train) * 10)],
    };
  },
  function lossActivationMismatch(run) {
    const { index, activation = 'linear' } = outputLayer(run.config.model.layers);
    const loss = run.config.train.loss;
    const layer = run.config.model.layers[index];
    const setActivation = (a: string) => (layer?.type === 'activation' ? `model.layers[${index}].activation.activation=${a}` : `model.layers[${index}].dense.activation=${a}`);
    if ((loss === 'categorical_crossentropy' || loss === 'sparse_categorical_crossentropy') && activation !== 'softmax') {
      return { code: 'loss-activation-mismatch', severity: 'problem', seen: `${loss} on a ${activation} output`, why: 'cross-entropy expects a probability distribution; a non-softmax output makes the loss (and its gradients) meaningless', fix: 'end the model with a softmax', sets: [setActivation('softmax')] };
    }
    if (loss === 'binary_crossentropy' && activation !== 'sigmoid') {
      return { code: 'loss-activation-mismatch', severity: 'problem', seen: `binary_crossentropy on a ${activation} output`, why: 'binary cross-entropy expects one probability per sample, which a sigmoid gives', fix: 'end the model with a sigmoid', sets: [setActivation('sigmoid')] };
    }
    if ((loss === 'mse' || loss === 'mae') && run.task === 'classification' && (run.numClasses ?? 2) > 2) {
      return { code: 'loss-activation-mismatch', severity: 'problem', seen: `${loss} on one-hot class labels`, why: 'a squared or absolute error on one-hot targets gives weak gradients once outputs are near 0 or 1: training is slow and the outputs are poorly calibrated', fix: 'use categorical cross-entropy with a softmax output', sets: ['train.loss=categorical_crossentropy', setActivation('softmax')] };
    }
    return undefined;
  },
  function flatLoss(run) {
    const loss = values(run.history, 'loss');
    if (run.status !== 'ok' || loss.length < MIN_TREND_EPOCHS) return undefined;
    // A saturated bounded output on unscaled targets also flattens the loss; collapsed-output names that cause.
    const { activation } = outputLayer(run.config.model.layers);
    if (run.task === 'regression' && activation && ['sigmoid', 'tanh', 'softmax', 'hard_sigmoid'].includes(activation) && run.config.data.target_scale !== 'minmax') return undefined;
    const change = Math.abs(loss[loss.length - 1]! - loss[0]!) / Math.max(Math.abs(loss[0]!), 1e-12);
    if (change >= FLAT_LOSS_CHANGE) return undefined;
    return {
      code: 'flat-loss', severity: 'problem',
      seen: `the training loss moved ${fmt(change * 100)} % in ${loss.length} epochs (${fmt(loss[0]!)} → ${fmt(loss[loss.length - 1]!)})`,
      why: `with learning rate ${lrOf(run.config.train)} the steps are too small (or the gradients vanish)`,
      fix: 'raise the learning rate tenfold', sets: [setLr(run.config.train, lrOf(run.config.train) * 10)],
    };
  },
  function overfitting(run) {
    const rows = run.history.filter((r) => typeof r.val_loss === 'number' && typeof r.loss === 'number');
    if (run.status !== 'ok' || rows.length < MIN_TREND_EPOCHS) return undefined;
    const best = rows.reduce((b, r) => (r.val_loss! < b.val_loss! ? r : b));
    const last = rows[rows.length - 1]!;
    if (best === last || last.val_loss! < best.val_loss! * (1 + OVERFIT_RISE) || last.loss! >= best.loss!) return undefined;
    const acc = typeof best.val_accuracy === 'number' && typeof last.val_accuracy === 'number' ? ` (val_accuracy ${fmt(best.val_accuracy)} there, ${fmt(last.val_accuracy)} at the end)` : '';
    const es = run.config.train.callbacks?.early_stopping;
    const patience = es?.patience ?? 5;
    // Runs are deterministic and early stopping does not change the epochs before it fires, so
    // replaying it on this history says exactly where it would have stopped and what it would have kept.
    const replay = replayEarlyStopping(rows, patience, es?.min_delta ?? 0);
    const kept = replay ? `early stopping with restore-best (patience ${patience}) would have stopped at epoch ${replay.stopped} and kept epoch ${replay.kept.epoch}: val_loss ${fmt(replay.kept.val_loss!)} instead of ${fmt(last.val_loss!)}` : `early stopping with restore-best would have ended with val_loss ${fmt(best.val_loss!)} instead of ${fmt(last.val_loss!)}`;
    return {
      code: 'overfitting', severity: 'problem',
      seen: `val_loss was lowest at epoch ${best.epoch} (${fmt(best.val_loss!)}) and rose to ${fmt(last.val_loss!)} by epoch ${last.epoch} while the training loss kept falling (${fmt(best.loss!)} → ${fmt(last.loss!)})${acc}`,
      why: `after the best epoch the net fits the training samples' peculiarities, not the task; ${kept}`,
      ...(run.config.train.callbacks?.early_stopping?.enabled === false
        ? { fix: `this variant has early stopping switched off: switch it on (restore-best keeps the best epoch's weights), or regularize (dropout, more data)`, sets: ['train.callbacks.early_stopping.enabled=true'] }
        : { fix: `stop near the best epoch with early stopping (restore-best keeps that epoch's weights), or regularize (dropout, more data)`, sets: ['train.callbacks.early_stopping={monitor: val_loss, patience: 5, restore_best: true}'] }),
    };
  },
  function accuracyPeaksEarly(run) {
    const acc = run.history.filter((r) => typeof r.val_accuracy === 'number');
    if (run.status !== 'ok' || acc.length < Math.max(6, MIN_TREND_EPOCHS)) return undefined;
    const best = acc.reduce((b, r) => (r.val_accuracy! > b.val_accuracy! ? r : b));
    const last = acc[acc.length - 1]!;
    if (best.epoch! > acc.length / 3 || best.val_accuracy! - last.val_accuracy! < PEAK_DROP) return undefined;
    return {
      code: 'accuracy-peaks-early', severity: 'problem',
      seen: `val_accuracy peaked at ${fmt(best.val_accuracy!)} in epoch ${best.epoch} of ${last.epoch} and ended at ${fmt(last.val_accuracy!)}`,
      why: 'the learning rate is often too high for the later epochs: the weights keep jumping past the good region',
      fix: 'compare against a tenfold lower learning rate', sets: [setLr(run.config.train, lrOf(run.config.train) / 10)],
    };
  },
  function validationBetterThanTraining(run) {
    const rows = run.history.filter((r) => typeof r.val_loss === 'number' && typeof r.loss === 'number');
    const regularized = run.config.model.layers.some((l) => l.enabled && l.type === 'dropout' && l.rate > 0);
    if (run.status !== 'ok' || rows.length < MIN_TREND_EPOCHS || !regularized) return undefined;
    const better = rows.filter((r) => r.val_loss! < r.loss!).length;
    if (better / rows.length < VAL_BETTER_SHARE) return undefined;
    return {
      code: 'validation-better-than-training', severity: 'note',
      seen: `val_loss was below the training loss in ${better} of ${rows.length} epochs`,
      why: 'expected with dropout: the training loss is measured with units dropped, the validation loss with the full net (and the training loss averages over an epoch of improving weights)',
      fix: 'nothing to fix; compare losses with dropout off if you need them on the same footing',
    };
  },
  function batchNormPlacement(run) {
    const enabled = run.config.model.layers.map((l, i) => ({ l, i })).filter(({ l }) => l.enabled);
    const n = enabled.length;
    if (n >= 2 && enabled[n - 2]!.l.type === 'batch_norm' && enabled[n - 1]!.l.type === 'dense') {
      return { code: 'batch-norm-before-output', severity: 'problem', seen: `batch norm (layer ${enabled[n - 2]!.i}) feeds the output layer directly`, why: 'the output then depends on batch statistics that differ between training and inference, which often hurts validation results', fix: 'remove it or move it before the hidden activation', sets: [`model.layers[${enabled[n - 2]!.i}].batch_norm.enabled=false`] };
    }
    if (enabled.some(({ l }) => l.type === 'batch_norm') && run.config.train.batch_size < SMALL_BN_BATCH) {
      return { code: 'batch-norm-small-batch', severity: 'problem', seen: `batch norm with batches of ${run.config.train.batch_size}`, why: `means and variances from fewer than ${SMALL_BN_BATCH} samples are noisy, so the normalization adds noise instead of stability`, fix: 'use larger batches (or no batch norm)', sets: ['train.batch_size=32'] };
    }
    return undefined;
  },
  function batchNormStatisticsLag(run) {
    const bn = run.config.model.layers.map((l, i) => ({ l, i })).filter(({ l }) => l.enabled && l.type === 'batch_norm');
    const steps = stepsPerEpoch(run.config);
    if (run.status !== 'ok' || bn.length === 0 || steps === undefined) return undefined;
    const momentum = Math.max(...bn.map(({ l }) => (l as Extract<LayerSpec, { type: 'batch_norm' }>).momentum));
    const settle = 1 / (1 - momentum);
    if (settle < BN_LAG_EPOCHS * steps) return undefined;
    const rows = run.history.filter((r) => typeof r.val_loss === 'number' && typeof r.loss === 'number' && r.loss! > 0);
    const ratio = rows.map((r) => r.val_loss! / r.loss!);
    const window = Math.min(rows.length - 1, Math.ceil((4 * settle) / steps));
    let peak = 0;
    for (let i = 1; i < window; i++) if (ratio[i]! > ratio[peak]!) peak = i;
    const later = ratio.slice(peak + 1);
    if (ratio[peak]! < BN_LAG_RATIO || later.length === 0 || Math.min(...later) > ratio[peak]! / BN_LAG_RATIO) return undefined;
    const caughtUp = peak + 1 + later.findIndex((r) => r <= ratio[peak]! / BN_LAG_RATIO);
    const suggested = [0.95, 0.9, 0.8, 0.5].find((m) => 1 / (1 - m) <= steps / 2) ?? 0.5;
    return {
      code: 'batch-norm-statistics-lag', severity: 'problem',
      seen: `val_loss was ${fmt(ratio[peak]!)}× the training loss at epoch ${rows[peak]!.epoch} (${fmt(rows[peak]!.val_loss!)} vs ${fmt(rows[peak]!.loss!)}) and only ${fmt(ratio[caughtUp]!)}× by epoch ${rows[caughtUp]!.epoch}, with batch norm momentum ${momentum} and ${steps} steps per epoch`,
      why: `validation uses batch norm's moving averages, which need ~${Math.round(settle)} steps (${Number((settle / steps).toFixed(1))} epochs here) to follow the weights; until then the validation curve shows stale statistics, so early stopping, best epochs and "batch norm converges slower" readings are distorted`,
      fix: `lower the momentum so the averages settle within an epoch (or use more data per epoch)`,
      sets: bn.map(({ i }) => `model.layers[${i}].batch_norm.momentum=${suggested}`),
    };
  },
  function highFirstEpoch(run) {
    const acc = values(run.history, 'val_accuracy');
    if (run.status !== 'ok' || acc.length < MIN_TREND_EPOCHS) return undefined;
    const best = Math.max(...acc);
    // Only when the first epoch is good, not merely as bad as the best (chance-level runs).
    const chance = 1 / (run.numClasses ?? 2);
    if (acc[0]! < FIRST_EPOCH_SHARE * best || best < chance + (1 - chance) * 0.6) return undefined;
    return {
      code: 'high-first-epoch-accuracy', severity: 'note',
      seen: `epoch 1 already reached val_accuracy ${fmt(acc[0]!)}, ${fmt((acc[0]! / best) * 100)} % of the best (${fmt(best)})`,
      why: 'the training set is redundant for this model: one pass holds most of what it can learn, later epochs add little',
      fix: 'see how much data one epoch needs: sweep data.samples (sweep.grid.n with data.samples: ${n}) and compare epoch-1 accuracy',
    };
  },
];

export interface VariantDiagnosis {
  variant: number;
  label: string;
  runs: number;
  findings: Array<Finding & { count: number }>;
}

/**
 * Run every detector on every run; a finding is reported for a variant when it fires on at least
 * half of that variant's runs (one seed's quirk is not the variant's behaviour), with the evidence of
 * the first run that shows it.
 * @example diagnoseRuns(runs)[0].findings[0].code === 'overfitting'
 */
export function diagnoseRuns(runs: RunForDiagnosis[]): VariantDiagnosis[] {
  const variants = [...new Set(runs.map((r) => r.variant))].sort((a, b) => a - b);
  return variants.map((variant) => {
    const mine = runs.filter((r) => r.variant === variant);
    const byCode = new Map<string, { finding: Finding; count: number }>();
    for (const run of mine) {
      for (const detect of detectors) {
        const f = detect(run);
        if (!f) continue;
        const entry = byCode.get(f.code);
        if (entry) entry.count++;
        else byCode.set(f.code, { finding: f, count: 1 });
      }
    }
    const findings = [...byCode.values()].filter((e) => e.count * 2 >= mine.length).map((e) => ({ ...e.finding, count: e.count }));
    const label = Object.entries(mine[0]?.factors ?? {}).map(([k, v]) => `${k}=${formatFactorValue(v)}`).join(' ') || 'all runs';
    return { variant, label, runs: mine.length, findings };
  });
}
