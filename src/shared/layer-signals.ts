/**
 * The per-layer signals contract: what runs/<id>/layers.csv holds, one row per epoch, layer and
 * signal. Training records these, the results files write and read them, the doctor and the reports
 * quote them; all of them ask here.
 */

/** The layer's kind as the spec names it, and its index in model.layers. */
export const LAYER_KINDS = ['dense', 'conv2d', 'batch_norm', 'activation'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

export interface LayerSignalRow {
  epoch: number;
  /** Index in the spec's model.layers (as `--set model.layers[i]…` names it). */
  layer: number;
  kind: LayerKind;
  signal: LayerSignal;
  value: number | null;
}

/** Every signal, with what it measures (for docs/doctor.md, `--help` of the report and the HTML legend). */
export const LAYER_SIGNALS = {
  grad_norm:
    "L2 norm of the gradient of the layer's kernel (batch norm: gamma), mean over a fixed sample of the epoch's steps (large kernels: estimated from a fixed subset of ~4,000 elements)",
  weight_norm: "L2 norm of the layer's kernel (batch norm: gamma) at the end of the epoch",
  update_ratio: 'how far one optimizer step moves the kernel: ‖Δkernel‖ / ‖kernel‖, mean over the sampled steps',
  preact_mean: 'mean of the pre-activations (before the activation function) on the probe batch (dense engine only)',
  preact_std: 'standard deviation of the pre-activations on the probe batch',
  act_mean: "mean of the layer's outputs on the probe batch",
  act_std: "standard deviation of the layer's outputs on the probe batch",
  dead_share: 'share of ReLU units that output 0 for every sample of the probe batch',
  saturated_share: 'share of sigmoid/tanh outputs on the probe batch whose slope is below 1 % of its maximum (|z| > 6.0 for sigmoid, > 3.0 for tanh)',
  bn_mean_gap: "batch norm: mean over units of |probe-batch mean − moving mean| in units of the probe batch's standard deviation",
  bn_std_ratio: "batch norm: mean over units of the moving standard deviation over the probe batch's",
} as const;

export type LayerSignal = keyof typeof LAYER_SIGNALS;

export const LAYER_SIGNAL_NAMES = Object.keys(LAYER_SIGNALS) as LayerSignal[];

export const LAYER_SIGNAL_COLUMNS = ['epoch', 'layer', 'kind', 'signal', 'value'] as const;

/**
 * Samples of validation data every epoch's activation statistics are measured on: evenly spaced
 * through the validation set (which may be in class order), always the same ones.
 */
const PROBE_SAMPLES = 128;

/** The probe batch of a validation set of `n` samples: their indices, evenly spaced, the same every epoch. */
export function probeIndices(n: number): Int32Array {
  const samples = Math.min(PROBE_SAMPLES, n);
  return Int32Array.from({ length: samples }, (_, i) => Math.floor((i * n) / samples));
}

/** Gradient and update statistics are taken on at most this many evenly spaced steps of each epoch… */
const SAMPLED_STEPS_PER_EPOCH = 10;
/** …and on at most one step in this many, so short epochs (a few hundred samples) do not pay for every step. */
const MIN_STEP_STRIDE = 8;

/** Every how many steps the step statistics are taken (steps 0, stride, 2·stride, … of each epoch). */
export function sampleStride(stepsPerEpoch: number): number {
  return Math.max(MIN_STEP_STRIDE, Math.ceil(stepsPerEpoch / SAMPLED_STEPS_PER_EPOCH));
}

/** A kernel's running sums over the epoch's sampled steps (gradient norms, update ratios). */
interface StepSums {
  grad: number;
  update: number;
  steps: number;
}

export const emptyStepSums = (): StepSums => ({ grad: 0, update: 0, steps: 0 });

/**
 * A kernel's step signals for an epoch, in layers.csv's order: the means over its sampled steps
 * (none when no step was sampled) around its weight norm at the end of the epoch.
 */
export function kernelSignals(sums: StepSums, weightNorm: number): Array<[LayerSignal, number]> {
  const means = (signal: LayerSignal, total: number): Array<[LayerSignal, number]> => (sums.steps > 0 ? [[signal, total / sums.steps]] : []);
  return [...means('grad_norm', sums.grad), ['weight_norm', weightNorm], ...means('update_ratio', sums.update)];
}

/** An epoch's rows in layers.csv's order: by layer, then by signal name. */
export function sortSignalRows(rows: LayerSignalRow[]): LayerSignalRow[] {
  return rows.sort((a, b) => a.layer - b.layer || a.signal.localeCompare(b.signal));
}

/**
 * A slope below this share of the activation's largest slope counts as saturated: sigmoid'(z) < 0.01·¼
 * for |z| > 6.0, tanh'(z) < 0.01 for |z| > 3.0.
 */
export const SATURATION_SLOPE = 0.01;

/** The rows of one layer and signal, in epoch order. */
export function signalSeries(rows: readonly LayerSignalRow[], layer: number, signal: LayerSignal): Array<{ epoch: number; value: number | null }> {
  return rows
    .filter((r) => r.layer === layer && r.signal === signal)
    .sort((a, b) => a.epoch - b.epoch)
    .map(({ epoch, value }) => ({ epoch, value }));
}
