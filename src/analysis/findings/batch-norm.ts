import { builtinInfo, trainingSamples } from '../../data/catalog.js';
import { batchNormBeforeOutput } from '../../model/output-checks.js';
import type { LayerSpec, Spec } from '../../spec/schema.js';
import { fmt, type Finding, type RunForDiagnosis } from './finding.js';
import { batchNormGapEvidence } from './batch-norm-gap.js';

/** Batch statistics from fewer samples than this are too noisy for batch norm to help. */
const SMALL_BN_BATCH = 16;
/**
 * Batch norm's moving statistics take ~1/(1 − momentum) steps to follow the weights. When that is at
 * least two epochs, and the validation loss lags the training loss by 30 % or more early on and then
 * catches up by as much again, validation in those epochs measured stale statistics, not the net.
 */
const BN_LAG_EPOCHS = 2;
const BN_LAG_RATIO = 1.3;

export function batchNormPlacement(run: RunForDiagnosis): Finding | undefined {
  const before = batchNormBeforeOutput(run.config.model.layers);
  if (before !== undefined) {
    return {
      code: 'batch-norm-before-output',
      severity: 'problem',
      headline: 'batch norm right before the output shifts between training and validation',
      seen: `batch norm (layer ${before}) feeds the output layer directly`,
      why: 'the output then depends on batch statistics that differ between training and inference, which often hurts validation results',
      fix: 'remove it or move it before the hidden activation',
      sets: [`model.layers[${before}].batch_norm.enabled=false`],
    };
  }
  if (run.config.model.layers.some((l) => l.enabled && l.type === 'batch_norm') && run.config.train.batch_size < SMALL_BN_BATCH) {
    return {
      code: 'batch-norm-small-batch',
      severity: 'problem',
      headline: `batches of ${run.config.train.batch_size} are too small for batch norm's statistics`,
      seen: `batch norm with batches of ${run.config.train.batch_size}`,
      why: `means and variances from fewer than ${SMALL_BN_BATCH} samples are noisy, so the normalization adds noise instead of stability`,
      fix: 'use larger batches (or no batch norm)',
      sets: ['train.batch_size=32'],
    };
  }
  return undefined;
}

export function batchNormStatisticsLag(run: RunForDiagnosis): Finding | undefined {
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
  const evidence = batchNormGapEvidence(run, rows[peak]!.epoch!, rows[caughtUp]!.epoch!);
  return {
    code: 'batch-norm-statistics-lag',
    severity: 'problem',
    headline: "batch norm's moving statistics lag behind the weights, so validation measures stale ones",
    seen: `val_loss was ${fmt(ratio[peak]!)}× the training loss at epoch ${rows[peak]!.epoch} (${fmt(rows[peak]!.val_loss!)} vs ${fmt(rows[peak]!.loss!)}) and only ${fmt(ratio[caughtUp]!)}× by epoch ${rows[caughtUp]!.epoch}, with batch norm momentum ${momentum} and ${steps} steps per epoch${evidence ? `; ${evidence}` : ''}`,
    why: `validation uses batch norm's moving averages, which need ~${Math.round(settle)} steps (${Number((settle / steps).toFixed(1))} epochs here) to follow the weights; until then the validation curve shows stale statistics, so early stopping, best epochs and "batch norm converges slower" readings are distorted`,
    fix: `lower the momentum so the averages settle within an epoch (or use more data per epoch)`,
    sets: bn.map(({ i }) => `model.layers[${i}].batch_norm.momentum=${suggested}`),
  };
}

/** Training steps per epoch from the spec (built-in datasets only; undefined for user files). */
function stepsPerEpoch(config: Pick<Spec, 'data' | 'train'>): number | undefined {
  const info = builtinInfo(config.data);
  return info ? Math.max(1, Math.ceil(trainingSamples(config.data, info) / config.train.batch_size)) : undefined;
}
