import seedrandom from 'seedrandom';
import { createRng, type Rng } from '../../shared/rng.js';
import { activate, activateBackward } from './activations.js';
import type { DenseKernels } from './dense-kernels.js';
import type { Param } from './dense-optimizer.js';
import type { DenseOp, DensePlan, Penalty } from './dense-plan.js';
import { convLayer, globalAveragePoolLayer, poolLayer } from './spatial-layers.js';
import type { Layer } from './layer.js';

export interface LayerView {
  op: DensePlan['ops'][number];
  params: Param[];
  weights: Float32Array[];
  input(): Float32Array;
  preActivation?(): Float32Array;
}

/**
 * A stack of dense, batch norm, activation and dropout layers trained on nnlab's own forward and
 * backward passes, with tfjs-layers' semantics: the same initial weights (handed in), Keras' batch
 * norm (batch statistics, biased variance, moving averages with momentum), and dropout masks drawn
 * exactly as nnlab's seeded tfjs dropout draws them. Buffers are allocated once, for `maxSamples`.
 */
export class DenseNetwork {
  private readonly layers: Layer[];
  private readonly firstTrainable: number;

  constructor(
    readonly plan: DensePlan,
    kernels: DenseKernels,
    weights: Float32Array[],
    seed: number,
    maxSamples: number,
  ) {
    let next = 0;
    // The network's own copies, where the kernels read them without a copy.
    const take = (count: number) =>
      weights.slice(next, (next += count)).map((w) => {
        const copy = kernels.alloc(w.length);
        copy.set(w);
        return copy;
      });
    this.layers = plan.ops.map((op) => {
      const rows = maxSamples * op.rowsPerSample;
      switch (op.kind) {
        case 'dense':
          return denseLayer(op, kernels, take(op.bias ? 2 : 1), rows);
        case 'conv2d':
          return convLayer(op, kernels, take(op.bias ? 2 : 1), rows, maxSamples);
        case 'max_pool2d':
        case 'average_pool2d':
          return poolLayer(op, kernels, rows, maxSamples);
        case 'global_average_pool2d':
          return globalAveragePoolLayer(op, kernels, maxSamples);
        case 'batch_norm':
          return batchNormLayer(op, kernels, take(4), rows);
        case 'activation':
          return activationLayer(op, kernels, rows);
        case 'dropout':
          return dropoutLayer(op, kernels, createRng(seed, `dropout/layer-${op.layer}`), rows);
      }
    });
    const index = this.layers.findIndex((l) => l.params.length > 0);
    this.firstTrainable = index < 0 ? this.layers.length : index;
    // Penalties count in the loss on every weight that has one, and in the gradient where it trains.
    this.penalizedWeights = plan.ops.flatMap((op, i) =>
      'penalties' in op
        ? [
            ...(op.penalties.kernel ? [{ weight: this.layers[i]!.weights[0]!, penalty: op.penalties.kernel }] : []),
            ...(op.penalties.bias && op.bias ? [{ weight: this.layers[i]!.weights[1]!, penalty: op.penalties.bias }] : []),
          ]
        : [],
    );
    this.penalized = plan.ops.flatMap((op, i) =>
      'penalties' in op && op.trainable
        ? [
            ...(op.penalties.kernel ? [{ param: this.layers[i]!.params[0]!, penalty: op.penalties.kernel }] : []),
            ...(op.penalties.bias && op.bias ? [{ param: this.layers[i]!.params[1]!, penalty: op.penalties.bias }] : []),
          ]
        : [],
    );
  }

  private readonly penalizedWeights: Array<{ weight: Float32Array; penalty: Penalty }>;
  private readonly penalized: Array<{ param: Param; penalty: Penalty }>;

  /** The network's output for `samples` rows of input (training: batch statistics, dropout on). */
  forward(x: Float32Array, samples: number, training: boolean): Float32Array {
    let h = x;
    this.plan.ops.forEach((op, i) => (h = this.layers[i]!.forward(h, samples * op.rowsPerSample, training)));
    return h;
  }

  /** An inference-mode pass that keeps every layer's output (layer i's output is outputs[i]). */
  forwardKeepingOutputs(x: Float32Array, samples: number): Float32Array[] {
    let h = x;
    return this.plan.ops.map((op, i) => (h = this.layers[i]!.forward(h, samples * op.rowsPerSample, false)));
  }

  /** Back-propagate the gradient of the output; parameters' gradients (weight penalties' included) are then in `params`. */
  backward(dOut: Float32Array, samples: number): void {
    let d = dOut;
    for (let i = this.layers.length - 1; i >= this.firstTrainable; i--)
      d = this.layers[i]!.backward(d, samples * this.plan.ops[i]!.rowsPerSample, i > this.firstTrainable);
    for (const { param, penalty } of this.penalized) addPenaltyGradient(param, penalty);
  }

  /** The weight penalties' sum (l1·Σ|w| + l2·Σw² per penalized weight), which Keras adds to the loss. */
  penalty(): number {
    let total = 0;
    for (const { weight, penalty } of this.penalizedWeights) total += penaltyOf(weight, penalty);
    return total;
  }

  /**
   * Each op with its parameters (kernel or gamma first), every weight, and the buffers of the last
   * forward pass: what the per-layer signals are measured on.
   */
  get views(): LayerView[] {
    return this.layers.map((l, i) => ({ op: this.plan.ops[i]!, params: l.params, weights: l.weights, input: l.lastInput, preActivation: l.lastPreActivation }));
  }

  get params(): Param[] {
    return this.layers.flatMap((l) => l.params);
  }

  /** Every weight, trainable or not, in tfjs-layers' getWeights() order. */
  get weights(): Float32Array[] {
    return this.layers.flatMap((l) => l.weights);
  }
}

function denseLayer(op: Extract<DenseOp, { kind: 'dense' }>, kernels: DenseKernels, [w, b]: Float32Array[], rows: number): Layer {
  const { alloc } = kernels;
  const z = alloc(rows * op.width);
  const a = op.activation === 'linear' ? z : alloc(rows * op.width);
  const dz = alloc(rows * op.width);
  const dIn = alloc(rows * op.inWidth);
  const params: Param[] = op.trainable ? [{ value: w!, grad: alloc(w!.length) }, ...(b ? [{ value: b, grad: alloc(b.length) }] : [])] : [];
  let input: Float32Array = z;
  const identity = () => !op.trainable && !b && op.activation === 'linear' && op.inWidth === 1 && op.width === 1 && w![0] === 1;
  return {
    weights: b ? [w!, b] : [w!],
    params,
    lastInput: () => input,
    lastPreActivation: () => z,
    forward(h, n, _training) {
      input = h;
      // A frozen Dense(1) of weight 1 (the seed question's per-pixel layer) multiplies by one: exact.
      if (identity()) return h;
      // One input per row (a per-pixel Dense(1), say) is an outer product: a kernel call costs more.
      if (op.inWidth === 1 && op.width === 1) scale(h, w![0]!, z, n);
      else if (op.inWidth === 1) for (let r = 0; r < n; r++) for (let j = 0, o = r * op.width; j < op.width; j++) z[o + j] = h[r]! * w![j]!;
      else kernels.gemm(h, w!, z, n, op.width, op.inWidth, false, false, false);
      if (b) kernels.rows.addBias(z, b, n, op.width);
      activate(op.activation, z, a, n, op.width, kernels.rows);
      return a;
    },
    backward(d, n, needInput) {
      // A linear layer's output gradient is its pre-activation gradient: no copy.
      const g = op.activation === 'linear' ? d : dz;
      if (g === dz) activateBackward(op.activation, d, z, a, dz, n, op.width, kernels.rows);
      if (op.trainable) {
        kernels.gemm(input, g, params[0]!.grad, op.inWidth, op.width, n, true, false, false);
        if (b) kernels.rows.sumRows(g, n, op.width, params[1]!.grad);
      }
      if (needInput) kernels.gemm(g, w!, dIn, n, op.inWidth, op.width, false, true, false);
      return dIn;
    },
  };
}

/** l1·Σ|w| + l2·Σw², as tfjs' L1L2 regularizer. */
function penaltyOf(w: Float32Array, { l1, l2 }: Penalty): number {
  let abs = 0;
  let sq = 0;
  for (let i = 0; i < w.length; i++) {
    abs += Math.abs(w[i]!);
    sq += w[i]! * w[i]!;
  }
  return l1 * abs + l2 * sq;
}

/** The penalty's gradient added to the loss's: l1·sign(w) + 2·l2·w, with tfjs' slope of |w| at 0 (−1). */
function addPenaltyGradient({ value: w, grad: g }: Param, { l1, l2 }: Penalty): void {
  for (let i = 0; i < w.length; i++) g[i] = g[i]! + l1 * (w[i]! > 0 ? 1 : -1) + 2 * l2 * w[i]!;
}

function scale(x: Float32Array, factor: number, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = x[i]! * factor;
}

function batchNormLayer(
  op: Extract<DenseOp, { kind: 'batch_norm' }>,
  { alloc, rows: rowKernels }: DenseKernels,
  [gamma, beta, movingMean, movingVariance]: Float32Array[],
  rows: number,
): Layer {
  const c = op.width;
  const y = alloc(rows * c);
  const xhat = alloc(rows * c);
  const dIn = alloc(rows * c);
  const mean = allocDoubles(alloc, c);
  const inv = allocDoubles(alloc, c);
  const params: Param[] = op.trainable
    ? [
        { value: gamma!, grad: alloc(c) },
        { value: beta!, grad: alloc(c) },
      ]
    : [];
  const dGamma = allocDoubles(alloc, c);
  const dBeta = allocDoubles(alloc, c);
  let input: Float32Array = y;
  return {
    weights: [gamma!, beta!, movingMean!, movingVariance!],
    params,
    lastInput: () => input,
    forward(h, n, training) {
      input = h;
      if (training) rowKernels.batchNormTrain(h, n, c, gamma!, beta!, movingMean!, movingVariance!, 1 - op.momentum, op.epsilon, xhat, y, mean, inv);
      else rowKernels.batchNormInfer(h, n, c, gamma!, beta!, movingMean!, movingVariance!, op.epsilon, y, inv);
      return y;
    },
    backward(d, n, needInput) {
      rowKernels.batchNormBackward(d, xhat, gamma!, inv, n, c, dGamma, dBeta, needInput ? dIn : null);
      if (op.trainable) {
        params[0]!.grad.set(dGamma);
        params[1]!.grad.set(dBeta);
      }
      return dIn;
    },
  };
}

/** Batch norm's float64 statistics, in memory from `alloc` (where the kernels read them). */
function allocDoubles(alloc: DenseKernels['alloc'], length: number): Float64Array {
  const floats = alloc(2 * length);
  return new Float64Array(floats.buffer, floats.byteOffset, length);
}

function activationLayer(op: Extract<DenseOp, { kind: 'activation' }>, { alloc, rows: rowKernels }: DenseKernels, rows: number): Layer {
  const a = alloc(rows * op.width);
  const dIn = alloc(rows * op.width);
  let input: Float32Array = a;
  return {
    weights: [],
    params: [],
    lastInput: () => input,
    lastPreActivation: () => input,
    forward(h, n) {
      input = h;
      activate(op.activation, h, a, n, op.width, rowKernels);
      return a;
    },
    backward(d, n) {
      activateBackward(op.activation, d, input, a, dIn, n, op.width, rowKernels);
      return dIn;
    },
  };
}

/**
 * Inverted dropout with the masks nnlab's seeded tfjs dropout draws: each step a seed from the
 * layer's `dropout/layer-<i>` stream, then tf.randomUniform's generator (alea) for the values.
 */
function dropoutLayer(op: Extract<DenseOp, { kind: 'dropout' }>, { alloc }: DenseKernels, rng: Rng, rows: number): Layer {
  const mask = alloc(rows * op.width);
  const y = alloc(rows * op.width);
  const dIn = alloc(rows * op.width);
  const rate = Math.fround(op.rate);
  const scale = Math.fround(1 / (1 - op.rate));
  let input: Float32Array = y;
  return {
    weights: [],
    params: [],
    lastInput: () => input,
    forward(h, n, training) {
      input = h;
      if (!training) return h;
      const uniform = seedrandom.alea(String(rng.seed32()));
      for (let i = 0; i < n * op.width; i++) {
        mask[i] = scale * +(Math.fround(uniform()) >= rate);
        y[i] = h[i]! * mask[i]!;
      }
      return y;
    },
    backward(d, n) {
      for (let i = 0; i < n * op.width; i++) dIn[i] = d[i]! * mask[i]!;
      return dIn;
    },
  };
}
