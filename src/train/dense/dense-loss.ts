import type { Loss, Metric } from '../../spec/schema.js';

/** Clip probabilities away from 0 and 1 before taking logs, as Keras (and nnlab's tfjs losses) do. */
const EPSILON = 1e-7;

/** Targets as the loss wants them: one-hot rows (width = classes), class ids (width 0), or values. */
export interface Targets {
  y: Float32Array;
  width: number;
}

/**
 * The loss of each sample of a batch and its gradient with respect to the outputs `p`, for the
 * batch mean: the same formulas as train/losses.ts (cross-entropy of the normalized, clipped
 * probabilities; binary cross-entropy of clipped ones; mse; mae), differentiated by hand.
 * Returns the summed loss; writes dL/dp (of the mean over the batch) into `dp`.
 */
export function lossAndGradient(loss: Loss, p: Float32Array, t: Targets, batch: number, width: number, dp: Float32Array): number {
  let total = 0;
  for (let s = 0; s < batch; s++) {
    const o = s * width;
    if (loss === 'categorical_crossentropy' || loss === 'sparse_categorical_crossentropy') {
      let sum = 0;
      for (let j = 0; j < width; j++) sum += p[o + j]!;
      let dot = 0; // Σ g_i p_i over the classes, for the gradient through the normalization
      for (let j = 0; j < width; j++) {
        const y = target(t, s, j);
        const n = p[o + j]! / sum;
        const inside = n >= EPSILON && n <= 1 - EPSILON;
        const q = inside ? n : n < EPSILON ? EPSILON : 1 - EPSILON;
        total -= y * Math.log(q);
        const g = inside ? -y / q : 0;
        dp[o + j] = g;
        dot += g * p[o + j]!;
      }
      for (let j = 0; j < width; j++) dp[o + j] = (dp[o + j]! / sum - dot / (sum * sum)) / batch;
    } else if (loss === 'binary_crossentropy') {
      for (let j = 0; j < width; j++) {
        const y = t.y[s * width + j]!;
        const v = p[o + j]!;
        const inside = v >= EPSILON && v <= 1 - EPSILON;
        const q = inside ? v : v < EPSILON ? EPSILON : 1 - EPSILON;
        total -= (y * Math.log(q) + (1 - y) * Math.log(1 - q)) / width;
        dp[o + j] = inside ? -(y / q - (1 - y) / (1 - q)) / width / batch : 0;
      }
    } else {
      for (let j = 0; j < width; j++) {
        const e = p[o + j]! - t.y[s * width + j]!;
        if (loss === 'mse') {
          total += (e * e) / width;
          dp[o + j] = (2 * e) / width / batch;
        } else {
          total += Math.abs(e) / width;
          // tfjs' |x|' is 1 for x > 0 and −1 otherwise.
          dp[o + j] = (e > 0 ? 1 : -1) / width / batch;
        }
      }
    }
  }
  return total;
}

/** The target of sample `s` in column `j` (class ids are expanded to one-hot). */
function target(t: Targets, s: number, j: number): number {
  return t.width === 0 ? (t.y[s] === j ? 1 : 0) : t.y[s * t.width + j]!;
}

/**
 * A metric summed over a batch, with Keras' meaning for the loss (see train/metrics.ts): accuracy
 * compares class ids with the arg-max, or thresholds one output at 0.5; mse and mae average over
 * the outputs.
 */
export function metricSum(metric: Metric, loss: Loss, p: Float32Array, t: Targets, batch: number, width: number): number {
  let total = 0;
  for (let s = 0; s < batch; s++) {
    const o = s * width;
    if (metric === 'accuracy') {
      if (loss === 'sparse_categorical_crossentropy') total += t.y[s] === argMax(p, o, width) ? 1 : 0;
      else if (width === 1) total += t.y[s] === (p[o]! > 0.5 ? 1 : 0) ? 1 : 0;
      else total += argMax(t.y, s * t.width, t.width) === argMax(p, o, width) ? 1 : 0;
      continue;
    }
    let sum = 0;
    for (let j = 0; j < width; j++) {
      const e = p[o + j]! - target(t, s, j);
      sum += metric === 'mse' ? e * e : Math.abs(e);
    }
    total += sum / width;
  }
  return total;
}

/** The first index of the largest value among `width` values from `offset`, as tf.argMax. */
export function argMax(v: Float32Array, offset: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (v[offset + j]! > v[offset + best]!) best = j;
  return best;
}
