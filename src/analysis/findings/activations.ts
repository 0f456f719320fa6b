import { signalSeries } from '../../shared/layer-signals.js';
import { outputLayer } from '../../model/output-checks.js';
import { fmt, lrOf, setLr, type Finding, type RunForDiagnosis } from './finding.js';
import { activationOf, defined, describeLayer, lastValue, layerIndices, percent, setActivation } from './layer-rows.js';

/** Half of a layer's outputs saturated (slope under 1 % of its peak): the layer has all but stopped passing gradient. */
const SATURATED = 0.5;
/** A hidden layer whose saturated share reached 5 % and grew threefold over training is worth a note. */
const SATURATION_NOTE = 0.05;
const SATURATION_GROWTH = 3;
/** Half of a ReLU layer's units silent on every probe sample. */
const DEAD = 0.5;

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
    const preText =
      pre !== undefined && spread !== undefined
        ? ` (pre-activations ${fmt(pre)} ± ${fmt(spread)}; ${activation}'s slope is under 1 % of its peak beyond ±${activation === 'tanh' ? 3 : 6})`
        : '';
    const setRelu = isOutput ? undefined : setActivation(spec, layer, 'relu');
    if (last.value >= SATURATED) {
      return {
        code: 'saturated-units',
        severity: 'problem',
        headline:
          isOutput && run.task === 'regression' ? `the ${activation} output is pinned at its bound` : `${activation} units are saturated and pass no gradient`,
        seen: `${describeLayer(spec, layer)}: ${percent(last.value)} of its outputs on the probe batch are saturated at epoch ${last.epoch}${preText}`,
        why:
          isOutput && run.task === 'regression'
            ? `a saturated ${activation} output passes almost no gradient back and cannot leave its bound: the targets lie beyond its range`
            : 'a saturated unit passes almost no gradient back, so it and the layers below it all but stop learning (large weights or inputs push units there)',
        fix:
          isOutput && run.task === 'regression'
            ? 'use a linear output for regression (or scale the targets into the output range)'
            : isOutput
              ? 'lower the learning rate'
              : 'use ReLU in the hidden layer (or batch norm before the activation)',
        sets:
          isOutput && run.task === 'regression'
            ? [setActivation(spec, layer, 'linear')!]
            : setRelu
              ? [setRelu]
              : [setLr(run.config.train, lrOf(run.config.train) / 10)],
      };
    }
    if (!isOutput && last.value >= SATURATION_NOTE && last.value >= SATURATION_GROWTH * first.value && setRelu) {
      return {
        code: 'saturating-hidden-units',
        severity: 'note',
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
      code: 'dead-relus',
      severity: 'problem',
      headline: 'most ReLU units of a layer died, giving 0 for every input',
      seen: `${describeLayer(spec, layer)}: ${percent(last.value)} of its${units} units output 0 for every probe sample at epoch ${last.epoch} (${percent(dead[0]!.value)} at epoch ${dead[0]!.epoch}; half or more since epoch ${since.epoch}), with learning rate ${lr}`,
      why: 'a ReLU whose input is negative for every sample gets no gradient and never recovers; large steps (a learning rate too high) push units there, and the layer is left with a fraction of its width',
      fix: 'lower the learning rate',
      sets: [setLr(run.config.train, lr / 10)],
    };
  }
  return undefined;
}
