import { signalSeries } from '../../shared/layer-signals.js';
import { fmt, type Finding, type RunForDiagnosis } from './finding.js';
import { defined, describeLayer, layerIndices } from './layer-rows.js';

/** Batch norm's moving mean off by half a batch standard deviation, or its moving std off by half, at the end. */
const BN_MEAN_GAP = 0.5;
const BN_STD_RATIO = 1.5;

/** Batch norm's moving statistics, used at validation and inference, still off from the data's at the end of training. */
export function batchNormMovingGap(run: RunForDiagnosis): Finding | undefined {
  const layers = run.layers;
  if (!layers || run.status !== 'ok') return undefined;
  for (const layer of layerIndices(layers, 'bn_mean_gap')) {
    const gap = defined(signalSeries(layers, layer, 'bn_mean_gap'));
    const ratio = defined(signalSeries(layers, layer, 'bn_std_ratio'));
    const last = gap[gap.length - 1];
    const lastRatio = ratio[ratio.length - 1];
    if (!last || !lastRatio) continue;
    const off = last.value >= BN_MEAN_GAP || lastRatio.value >= BN_STD_RATIO || lastRatio.value <= 1 / BN_STD_RATIO;
    if (!off) continue;
    const spec = run.config.model.layers[layer];
    const momentum = spec?.type === 'batch_norm' ? spec.momentum : undefined;
    return {
      code: 'batch-norm-moving-gap',
      severity: 'problem',
      headline: "batch norm's moving statistics do not match the data at the end",
      seen: `${describeLayer(spec, layer)}: on the probe batch at epoch ${last.epoch}, the moving means are off by ${fmt(last.value)} batch standard deviations and the moving std is ${fmt(lastRatio.value)}× the batch's (${fmt(gap[0]!.value)} and ${fmt(ratio[0]!.value)}× at epoch ${gap[0]!.epoch})${momentum !== undefined ? `, momentum ${momentum}` : ''}`,
      why: 'validation and inference normalize with the moving averages; when they do not match the data, validation sees a differently scaled layer than training did, which opens a train/validation gap that is not overfitting',
      fix: 'lower the momentum so the averages follow the weights (or train longer, with larger batches)',
      sets: [`model.layers[${layer}].batch_norm.momentum=0.9`],
    };
  }
  return undefined;
}

/** Evidence for batch norm's lag from the layer signals: how far the moving means were off early and later. */
export function batchNormGapEvidence(run: RunForDiagnosis, fromEpoch: number, toEpoch: number): string | undefined {
  const layers = run.layers;
  if (!layers) return undefined;
  for (const layer of layerIndices(layers, 'bn_mean_gap')) {
    const gap = defined(signalSeries(layers, layer, 'bn_mean_gap'));
    const early = gap.find((g) => g.epoch === fromEpoch);
    const late = gap.find((g) => g.epoch === toEpoch);
    if (early && late)
      return `layer ${layer}'s moving means were off by ${fmt(early.value)} batch standard deviations at epoch ${fromEpoch} and ${fmt(late.value)} at epoch ${toEpoch}`;
  }
  return undefined;
}
