import {
  emptyStepSums,
  kernelSignals,
  sampleStride,
  SATURATION_SLOPE,
  sortSignalRows,
  type LayerKind,
  type LayerSignal,
  type LayerSignalRow,
} from '../../shared/layer-signals.js';
import type { DenseActivation } from './activations.js';
import { createStopwatch } from '../stopwatch.js';
import type { DenseNetwork, LayerView } from './dense-network.js';

/**
 * Records the per-layer signals of a network on the dense engine: gradient and update statistics
 * on a fixed, evenly spaced sample of each epoch's steps, and activation statistics on a probe batch
 * once per epoch. It only reads the network, so training is the same with and without it.
 */
export function createLayerRecorder(network: DenseNetwork, stepsPerEpoch: number) {
  const views = network.views;
  const trainable = views.filter((v) => v.params.length > 0);
  const stride = sampleStride(stepsPerEpoch);
  const subsets = trainable.map((v) => elementSubset(v.params[0]!.value.length, v.op.width));
  const before = subsets.map((s) => new Float32Array(s.count));
  const sums = trainable.map(emptyStepSums);
  const { timed, spentMs } = createStopwatch();

  return {
    /** Time spent in this recorder so far: what the signals cost the run. */
    spentMs,
    /** Whether step `step` (0-based, within the epoch) is one of the sampled ones. */
    sampled: (step: number) => step % stride === 0,
    /** At a sampled step, after the backward pass and before the optimizer's update. */
    beforeUpdate(): void {
      timed(() =>
        trainable.forEach((v, i) => {
          const { count, step } = subsets[i]!;
          const g = v.params[0]!.grad;
          const w = v.params[0]!.value;
          const old = before[i]!;
          let sq = 0;
          for (let k = 0, e = 0; k < count; k++, e += step) {
            sq += g[e]! * g[e]!;
            old[k] = w[e]!;
          }
          // The subset's sum of squares, scaled to the whole kernel.
          sums[i]!.grad += Math.sqrt((sq * g.length) / count);
        }),
      );
    },
    /** At a sampled step, after the optimizer's update. */
    afterUpdate(): void {
      timed(() =>
        trainable.forEach((v, i) => {
          const { count, step } = subsets[i]!;
          const w = v.params[0]!.value;
          const old = before[i]!;
          let moved = 0;
          let size = 0;
          for (let k = 0, e = 0; k < count; k++, e += step) {
            moved += (w[e]! - old[k]!) ** 2;
            size += old[k]! * old[k]!;
          }
          sums[i]!.update += size > 0 ? Math.sqrt(moved / size) : 0;
          sums[i]!.steps++;
        }),
      );
    },
    /** The epoch's rows: step statistics since the last call, and activation statistics on `probe` (`samples` rows of input). */
    endEpoch(epoch: number, probe: Float32Array, samples: number): LayerSignalRow[] {
      return timed(() => epochRows(epoch, probe, samples));
    },
  };

  function epochRows(epoch: number, probe: Float32Array, samples: number): LayerSignalRow[] {
    const rows: LayerSignalRow[] = [];
    const push = (view: LayerView, signal: LayerSignal, value: number) =>
      rows.push({ epoch, layer: view.op.layer, kind: view.op.kind as LayerKind, signal, value: Number.isFinite(value) ? value : null });
    trainable.forEach((v, i) => {
      for (const [signal, value] of kernelSignals(sums[i]!, norm(v.params[0]!.value))) push(v, signal, value);
      sums[i] = emptyStepSums();
    });
    if (samples === 0) return sortSignalRows(rows);
    const outputs = network.forwardKeepingOutputs(probe, samples);
    views.forEach((v, i) => {
      const n = samples * v.op.rowsPerSample;
      const width = v.op.width;
      if (v.op.kind === 'batch_norm') {
        const [, , movingMean, movingVariance] = v.weights;
        const { mean, variance } = columnMoments(v.input(), n, width);
        let gap = 0;
        let ratio = 0;
        for (let u = 0; u < width; u++) {
          const batchStd = Math.sqrt(variance[u]! + v.op.epsilon);
          gap += Math.abs(mean[u]! - movingMean![u]!) / batchStd;
          ratio += Math.sqrt(movingVariance![u]! + v.op.epsilon) / batchStd;
        }
        push(v, 'bn_mean_gap', gap / width);
        push(v, 'bn_std_ratio', ratio / width);
        return;
      }
      if (v.op.kind !== 'dense' && v.op.kind !== 'conv2d' && v.op.kind !== 'activation') return;
      // A frozen linear layer (the seed question's per-pixel Dense(1)) has nothing to report.
      if ((v.op.kind === 'dense' || v.op.kind === 'conv2d') && !v.op.trainable && v.op.activation === 'linear') return;
      const activation = v.op.activation;
      const out = outputs[i]!;
      if (activation !== 'linear' && v.preActivation) {
        const pre = v.preActivation();
        const m = moments(pre, n * width);
        push(v, 'preact_mean', m.mean);
        push(v, 'preact_std', m.std);
        const saturated = saturatedShare(activation, pre, n * width);
        if (saturated !== undefined) push(v, 'saturated_share', saturated);
      }
      const m = moments(out, n * width);
      push(v, 'act_mean', m.mean);
      push(v, 'act_std', m.std);
      if (activation === 'relu' || activation === 'relu6') push(v, 'dead_share', deadShare(out, n, width));
    });
    return sortSignalRows(rows);
  }
}

/**
 * Step statistics of large kernels are taken on a fixed, evenly spread subset of their elements: a
 * sum of squares over a few thousand of them estimates the whole kernel's to about 1 %, at a fraction
 * of the cost of reading a million weights twice a step.
 */
const STEP_SAMPLE_ELEMENTS = 4096;

/** Every `step`-th element, `count` of them; the step shares no factor with the row width, so every column is visited. */
function elementSubset(length: number, width: number): { count: number; step: number } {
  if (length <= STEP_SAMPLE_ELEMENTS) return { count: length, step: 1 };
  let step = Math.floor(length / STEP_SAMPLE_ELEMENTS);
  while (gcd(step, width) !== 1) step++;
  return { count: Math.floor((length - 1) / step) + 1, step };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function norm(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

function moments(v: Float32Array, n: number): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += v[i]!;
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (v[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / n) };
}

/** Per-column mean and (biased, as batch norm's) variance of `rows` rows of `width`. */
function columnMoments(v: Float32Array, rows: number, width: number): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(width);
  const variance = new Float64Array(width);
  for (let r = 0; r < rows; r++) for (let u = 0; u < width; u++) mean[u] = mean[u]! + v[r * width + u]!;
  for (let u = 0; u < width; u++) mean[u] = mean[u]! / rows;
  for (let r = 0; r < rows; r++) for (let u = 0; u < width; u++) variance[u] = variance[u]! + (v[r * width + u]! - mean[u]!) ** 2;
  for (let u = 0; u < width; u++) variance[u] = variance[u]! / rows;
  return { mean, variance };
}

/** Units (columns) that are 0 on every row. */
function deadShare(out: Float32Array, rows: number, width: number): number {
  let dead = 0;
  for (let u = 0; u < width; u++) {
    let r = 0;
    while (r < rows && out[r * width + u]! <= 0) r++;
    if (r === rows) dead++;
  }
  return dead / width;
}

/** |z| beyond which the activation's slope is below SATURATION_SLOPE of its largest. */
const SATURATION_EDGE: Partial<Record<DenseActivation, number>> = {
  sigmoid: 2 * Math.acosh(1 / Math.sqrt(SATURATION_SLOPE)),
  tanh: Math.acosh(1 / Math.sqrt(SATURATION_SLOPE)),
};

function saturatedShare(activation: DenseActivation, pre: Float32Array, n: number): number | undefined {
  const edge = SATURATION_EDGE[activation];
  if (edge === undefined) return undefined;
  let count = 0;
  for (let i = 0; i < n; i++) if (Math.abs(pre[i]!) > edge) count++;
  return count / n;
}
