import { signalSeries } from '../../shared/layer-signals.js';
import { median } from '../../shared/numbers.js';
import { fmt, lrOf, setLr, type Finding, type RunForDiagnosis } from './finding.js';
import { activationOf, defined, describeLayer, layerIndices, percent, setActivation } from './layer-rows.js';

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
      code: 'updates-too-large',
      severity: 'problem',
      headline: 'each step moves the weights too far: the learning rate is too high',
      seen: `${describeLayer(run.config.model.layers[largest.layer], largest.layer)}: one optimizer step moves its kernel by ${percent(largest.ratio)} of its norm (median over ${epochs} epochs; steps of 0.1–10 % are usual), with learning rate ${lr}`,
      why: 'steps that large overshoot: the loss is noisy or unstable, and ReLUs can be pushed dead',
      fix: 'lower the learning rate',
      sets: [setLr(run.config.train, lr / 10)],
    };
  }
  if (largest.ratio < UPDATE_LOW) {
    const loss = run.history.map((r) => r.loss).filter((v): v is number => typeof v === 'number');
    const moved =
      loss.length > 1 && loss[0] ? ` (the training loss moved ${fmt((Math.abs(loss[loss.length - 1]! - loss[0]) / Math.abs(loss[0])) * 100)} %)` : '';
    return {
      code: 'updates-too-small',
      severity: 'problem',
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
    return median(
      defined(signalSeries(layers, layer, 'grad_norm'))
        .map((g) => g.value / (weights.get(g.epoch) ?? NaN))
        .filter(Number.isFinite),
    );
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
        code: 'vanishing-gradients',
        severity: 'problem',
        seen,
        headline: 'the gradient vanishes on its way to the first layers',
        why: "each layer multiplies the gradient by its weights and its activation's slope on the way back; with bounded activations (sigmoid, tanh) or small weights it shrinks layer by layer, and the first layers barely learn",
        fix: hidden.length ? 'use ReLU in the hidden layers (or batch norm)' : 'add batch norm between the layers, or use fewer layers',
        ...(hidden.length ? { sets: hidden.map((l) => setActivation(run.config.model.layers[l], l, 'relu')!) } : {}),
      }
    : {
        code: 'exploding-gradients',
        severity: 'problem',
        seen,
        headline: 'the gradient grows on its way to the first layers',
        why: 'the gradient grows layer by layer on the way back (large weights, no normalization), so the first layers take steps far too large for them',
        fix: 'lower the learning rate (or add batch norm)',
        sets: [setLr(run.config.train, lrOf(run.config.train) / 10)],
      };
}

/** The learning rate that would bring tiny steps up to ~0.1 % of the weights (steps scale with it), as a power of ten, at most 0.1. */
function suggestedLr(lr: number, ratio: number): number {
  return Math.min(0.1, 10 ** Math.round(Math.log10((lr * UPDATE_TYPICAL) / ratio)));
}
