import type { LayerSpec } from '../../spec/schema.js';
import { signalSeries, type LayerSignal, type LayerSignalRow } from '../../shared/layer-signals.js';
import { median } from '../../shared/numbers.js';
import { outputLayer } from '../../model/output-checks.js';
import { fmt, lrOf, setLr, type Finding, type RunForDiagnosis } from './finding.js';

/** Half of a layer's outputs saturated (slope under 1 % of its peak): the layer has all but stopped passing gradient. */
const SATURATED = 0.5;
/** A hidden layer whose saturated share reached 5 % and grew threefold over training is worth a note. */
const SATURATION_NOTE = 0.05;
const SATURATION_GROWTH = 3;
/** Half of a ReLU layer's units silent on every probe sample. */
const DEAD = 0.5;
/**
 * One step moving a kernel by more than 20 % of its norm, as the median over training, is a learning
 * rate too high. (About 0.1 % is SGD's rule of thumb; Adam at 0.01 moves a 784×8 kernel by ~6 %
 * per step in its first epochs and still trains well, so the line is drawn far above both.)
 */
const UPDATE_HIGH = 0.2;
/** Steps moving every kernel by under a millionth of its norm leave the weights where they started. */
const UPDATE_LOW = 1e-6;
/** The rule of thumb a learning rate is aimed at: each step moves a kernel by ~0.1 % of its norm. */
const UPDATE_TYPICAL = 1e-3;
/** The first layer's gradient, relative to its weights, under 1 % of the last layer's (or over 100×). */
const GRADIENT_FLOW = 100;
/** Batch norm's moving mean off by half a batch standard deviation, or its moving std off by half, at the end. */
const BN_MEAN_GAP = 0.5;
const BN_STD_RATIO = 1.5;

/** Sigmoid or tanh outputs pinned at their bounds, where the slope (and so the gradient) is nearly zero. */
export function saturatedUnits(run: RunForDiagnosis): Finding | undefined {
  const layers = run.layers;
  if (!layers || run.status !== 'ok') return undefined;
  const output = outputLayer(run.config.model.layers).index;
  for (const layer of layerIndices(layers, 'saturated_share')) {
    const share = defined(signalSeries(layers, layer, 'saturated_share'));
    const first = share[0];
    const last = share[share.length - 1];
    if (!first || !last) continue;
    const spec = run.config.model.layers[layer];
    const activation = activationOf(spec);
    const isOutput = layer === output;
    // A classifier's sigmoid or softmax output saturates as it grows confident, and cross-entropy's
    // gradient (prediction − label) does not vanish there: nothing to fix.
    if (isOutput && run.task === 'classification' && run.config.train.loss.endsWith('crossentropy')) continue;
    const pre = lastValue(layers, layer, 'preact_mean');
    const spread = lastValue(layers, layer, 'preact_std');
    const preText = pre !== undefined && spread !== undefined ? ` (pre-activations ${fmt(pre)} ± ${fmt(spread)}; ${activation}'s slope is under 1 % of its peak beyond ±${activation === 'tanh' ? 3 : 6})` : '';
    const setRelu = isOutput ? undefined : setActivation(spec, layer, 'relu');
    if (last.value >= SATURATED) {
      return {
        code: 'saturated-units', severity: 'problem',
        headline: isOutput && run.task === 'regression' ? `the ${activation} output is pinned at its bound` : `${activation} units are saturated and pass no gradient`,
        seen: `${describeLayer(spec, layer)}: ${percent(last.value)} of its outputs on the probe batch are saturated at epoch ${last.epoch}${preText}`,
        why: isOutput && run.task === 'regression'
          ? `a saturated ${activation} output passes almost no gradient back and cannot leave its bound: the targets lie beyond its range`
          : 'a saturated unit passes almost no gradient back, so it and the layers below it all but stop learning (large weights or inputs push units there)',
        fix: isOutput && run.task === 'regression' ? 'use a linear output for regression (or scale the targets into the output range)' : isOutput ? 'lower the learning rate' : 'use ReLU in the hidden layer (or batch norm before the activation)',
        sets: isOutput && run.task === 'regression' ? [setActivation(spec, layer, 'linear')!] : setRelu ? [setRelu] : [setLr(run.config.train, lrOf(run.config.train) / 10)],
      };
    }
    if (!isOutput && last.value >= SATURATION_NOTE && last.value >= SATURATION_GROWTH * first.value && setRelu) {
      return {
        code: 'saturating-hidden-units', severity: 'note',
        headline: `more and more ${activation} units saturate`,
        seen: `${describeLayer(spec, layer)}: saturated outputs on the probe batch grew from ${percent(first.value)} at epoch ${first.epoch} to ${percent(last.value)} at epoch ${last.epoch}`,
        why: `a saturated ${activation} unit passes under 1 % of the gradient it passes mid-range; as the share grows the layers below it learn more slowly, which is the sense in which ReLU (unbounded for positive inputs) converges better`,
        fix: 'compare with ReLU in that layer',
        sets: [setRelu],
      };
    }
  }
  return undefined;
}

/** ReLU units that output zero for every input: no gradient reaches them, and they do not come back. */
export function deadRelus(run: RunForDiagnosis): Finding | undefined {
  const layers = run.layers;
  if (!layers || run.status !== 'ok') return undefined;
  for (const layer of layerIndices(layers, 'dead_share')) {
    const dead = defined(signalSeries(layers, layer, 'dead_share'));
    const last = dead[dead.length - 1];
    if (!last || last.value < DEAD) continue;
    const since = dead.find((d) => d.value >= DEAD)!;
    const spec = run.config.model.layers[layer];
    const units = spec?.type === 'dense' ? ` ${spec.units}` : '';
    const lr = lrOf(run.config.train);
    return {
      code: 'dead-relus', severity: 'problem',
      headline: 'most ReLU units of a layer died, giving 0 for every input',
      seen: `${describeLayer(spec, layer)}: ${percent(last.value)} of its${units} units output 0 for every probe sample at epoch ${last.epoch} (${percent(dead[0]!.value)} at epoch ${dead[0]!.epoch}; half or more since epoch ${since.epoch}), with learning rate ${lr}`,
      why: 'a ReLU whose input is negative for every sample gets no gradient and never recovers; large steps (a learning rate too high) push units there, and the layer is left with a fraction of its width',
      fix: 'lower the learning rate',
      sets: [setLr(run.config.train, lr / 10)],
    };
  }
  return undefined;
}

/** Optimizer steps far larger or far smaller than ~0.1 % of the weights: the learning rate is off by orders of magnitude. */
export function updateSize(run: RunForDiagnosis): Finding | undefined {
  const layers = run.layers;
  if (!layers || run.status !== 'ok') return undefined;
  const medians = layerIndices(layers, 'update_ratio')
    .map((layer) => ({ layer, ratio: median(defined(signalSeries(layers, layer, 'update_ratio')).map((r) => r.value)) }))
    .filter((m): m is { layer: number; ratio: number } => m.ratio !== null);
  if (medians.length === 0) return undefined;
  const epochs = run.history.length;
  const lr = lrOf(run.config.train);
  const largest = medians.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  if (largest.ratio > UPDATE_HIGH) {
    return {
      code: 'updates-too-large', severity: 'problem',
      headline: 'each step moves the weights too far: the learning rate is too high',
      seen: `${describeLayer(run.config.model.layers[largest.layer], largest.layer)}: one optimizer step moves its kernel by ${percent(largest.ratio)} of its norm (median over ${epochs} epochs; steps of 0.1–10 % are usual), with learning rate ${lr}`,
      why: 'steps that large overshoot: the loss is noisy or unstable, and ReLUs can be pushed dead',
      fix: 'lower the learning rate',
      sets: [setLr(run.config.train, lr / 10)],
    };
  }
  if (largest.ratio < UPDATE_LOW) {
    const loss = run.history.map((r) => r.loss).filter((v): v is number => typeof v === 'number');
    const moved = loss.length > 1 && loss[0] ? ` (the training loss moved ${fmt((Math.abs(loss[loss.length - 1]! - loss[0]) / Math.abs(loss[0])) * 100)} %)` : '';
    return {
      code: 'updates-too-small', severity: 'problem',
      headline: 'the steps barely move the weights: the learning rate is far too small',
      seen: `no layer's kernel moves by more than ${fmt(largest.ratio)} of its norm per step (median over ${epochs} epochs; about 1e-3 is the rule of thumb), with learning rate ${lr}: after training, the weights are where they started${moved}`,
      why: 'a learning rate orders of magnitude too small: the net keeps its initial, nearly input-independent output',
      fix: 'raise the learning rate',
      sets: [setLr(run.config.train, suggestedLr(lr, largest.ratio))],
    };
  }
  return undefined;
}

/** The first layer's gradient, relative to its weights, orders of magnitude from the last layer's. */
export function gradientFlow(run: RunForDiagnosis): Finding | undefined {
  const layers = run.layers;
  if (!layers || run.status !== 'ok') return undefined;
  const dense = layerIndices(layers, 'grad_norm').filter((l) => ['dense', 'conv2d'].includes(run.config.model.layers[l]?.type ?? ''));
  if (dense.length < 3) return undefined;
  const relative = (layer: number) => {
    const weights = new Map(signalSeries(layers, layer, 'weight_norm').map((r) => [r.epoch, r.value]));
    return median(defined(signalSeries(layers, layer, 'grad_norm')).map((g) => g.value / (weights.get(g.epoch) ?? NaN)).filter(Number.isFinite));
  };
  const first = dense[0]!;
  const last = dense[dense.length - 1]!;
  const a = relative(first);
  const b = relative(last);
  if (a === null || b === null || a <= 0 || b <= 0) return undefined;
  const ratio = a / b;
  if (ratio * GRADIENT_FLOW >= 1 && ratio <= GRADIENT_FLOW) return undefined;
  const vanishing = ratio < 1;
  const seen = `gradient relative to the weights, median over epochs: ${fmt(a)} in layer ${first}, ${fmt(b)} in layer ${last} (the output side): the first layer's is ${vanishing ? `${fmt(1 / ratio)}× smaller` : `${fmt(ratio)}× larger`}`;
  const hidden = dense.slice(0, -1).filter((l) => ['sigmoid', 'tanh'].includes(activationOf(run.config.model.layers[l]) ?? ''));
  return vanishing
    ? {
        code: 'vanishing-gradients', severity: 'problem', seen,
        headline: 'the gradient vanishes on its way to the first layers',
        why: 'each layer multiplies the gradient by its weights and its activation\'s slope on the way back; with bounded activations (sigmoid, tanh) or small weights it shrinks layer by layer, and the first layers barely learn',
        fix: hidden.length ? 'use ReLU in the hidden layers (or batch norm)' : 'add batch norm between the layers, or use fewer layers',
        ...(hidden.length ? { sets: hidden.map((l) => setActivation(run.config.model.layers[l], l, 'relu')!) } : {}),
      }
    : {
        code: 'exploding-gradients', severity: 'problem', seen,
        headline: 'the gradient grows on its way to the first layers',
        why: 'the gradient grows layer by layer on the way back (large weights, no normalization), so the first layers take steps far too large for them',
        fix: 'lower the learning rate (or add batch norm)',
        sets: [setLr(run.config.train, lrOf(run.config.train) / 10)],
      };
}

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
      code: 'batch-norm-moving-gap', severity: 'problem',
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
    if (early && late) return `layer ${layer}'s moving means were off by ${fmt(early.value)} batch standard deviations at epoch ${fromEpoch} and ${fmt(late.value)} at epoch ${toEpoch}`;
  }
  return undefined;
}

function layerIndices(rows: readonly LayerSignalRow[], signal: LayerSignal): number[] {
  return [...new Set(rows.filter((r) => r.signal === signal).map((r) => r.layer))].sort((a, b) => a - b);
}

function defined(series: Array<{ epoch: number; value: number | null }>): Array<{ epoch: number; value: number }> {
  return series.filter((s): s is { epoch: number; value: number } => s.value !== null);
}

function lastValue(rows: readonly LayerSignalRow[], layer: number, signal: LayerSignal): number | undefined {
  const series = defined(signalSeries(rows, layer, signal));
  return series[series.length - 1]?.value;
}

/** 0.0730 → "7.3 %", 1 → "100 %": three significant digits, no trailing zeros. */
const percent = (share: number) => `${Number((share * 100).toPrecision(3))} %`;

function activationOf(spec: LayerSpec | undefined): string | undefined {
  return spec?.type === 'dense' || spec?.type === 'conv2d' || spec?.type === 'activation' ? spec.activation : undefined;
}

/** "layer 2 (dense, sigmoid)", as `model.layers[2]` of the spec. */
function describeLayer(spec: LayerSpec | undefined, layer: number): string {
  const activation = activationOf(spec);
  return `layer ${layer} (${spec?.type ?? 'layer'}${activation ? `, ${activation}` : ''})`;
}

function setActivation(spec: LayerSpec | undefined, layer: number, activation: string): string | undefined {
  if (spec?.type === 'dense' || spec?.type === 'conv2d') return `model.layers[${layer}].${spec.type}.activation=${activation}`;
  if (spec?.type === 'activation') return `model.layers[${layer}].activation.activation=${activation}`;
  return undefined;
}

/** The learning rate that would bring tiny steps up to ~0.1 % of the weights (steps scale with it), as a power of ten, at most 0.1. */
function suggestedLr(lr: number, ratio: number): number {
  return Math.min(0.1, 10 ** Math.round(Math.log10((lr * UPDATE_TYPICAL) / ratio)));
}
