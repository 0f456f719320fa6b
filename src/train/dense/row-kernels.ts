/**
 * The elementwise and per-column passes of the dense engine, on row-major [rows × width] arrays:
 * a batch's rows gathered from the data set, bias, column sums, relu, Keras batch norm. These
 * JavaScript loops are the reference (the WebAssembly path runs the gathering); the native kernels
 * implement the same interface in C (kernels/native/row-kernels.h), with the same double-precision
 * statistics.
 */
export interface RowKernels {
  /**
   * dst row i = src row order[start + i] (row start + i without an order), for i < count: a batch
   * from the data set, in the epoch's order.
   */
  gatherRows(src: Float32Array, width: number, order: Int32Array | null, start: number, count: number, dst: Float32Array): void;
  /** z[r, j] += b[j]. */
  addBias(z: Float32Array, b: Float32Array, rows: number, width: number): void;
  /** out[j] = Σ_r x[r, j], summed in float32 row by row (a bias gradient). */
  sumRows(x: Float32Array, rows: number, width: number, out: Float32Array): void;
  /** a = max(z, 0) as tfjs' Math.max(0, z): NaN stays NaN, −∞ and −0 give 0. */
  relu(z: Float32Array, a: Float32Array, count: number): void;
  /** dz = da · step(z): tfjs' relu gradient, a product (NaN stays NaN). */
  reluBackward(da: Float32Array, z: Float32Array, dz: Float32Array, count: number): void;
  /**
   * Batch norm in training: batch mean and biased variance of each column (as tf.moments), the
   * moving averages updated with `decay` = 1 − momentum, x̂ and y = γ·x̂ + β. Writes `mean` and
   * `inv` = 1/√(var + ε) for the backward pass.
   */
  batchNormTrain(
    x: Float32Array,
    rows: number,
    width: number,
    gamma: Float32Array,
    beta: Float32Array,
    movingMean: Float32Array,
    movingVariance: Float32Array,
    decay: number,
    epsilon: number,
    xhat: Float32Array,
    y: Float32Array,
    mean: Float64Array,
    inv: Float64Array,
  ): void;
  /** Batch norm at inference, on the moving statistics (as tf.batchNorm); `inv` is scratch. */
  batchNormInfer(
    x: Float32Array,
    rows: number,
    width: number,
    gamma: Float32Array,
    beta: Float32Array,
    movingMean: Float32Array,
    movingVariance: Float32Array,
    epsilon: number,
    y: Float32Array,
    inv: Float64Array,
  ): void;
  /**
   * Batch norm's gradients: dγ = Σ dy·x̂, dβ = Σ dy, and when `dx` is given the gradient through
   * the batch statistics dx = γ·inv/N · (N·dy − dβ − x̂·dγ).
   */
  batchNormBackward(
    dy: Float32Array,
    xhat: Float32Array,
    gamma: Float32Array,
    inv: Float64Array,
    rows: number,
    width: number,
    dGamma: Float64Array,
    dBeta: Float64Array,
    dx: Float32Array | null,
  ): void;
}

/** Below this many floats a row is copied by a loop: a subarray per row would cost more than its copy. */
const SHORT_ROW = 32;

export const jsRowKernels: RowKernels = {
  gatherRows(src, width, order, start, count, dst) {
    if (!order) return dst.set(src.subarray(start * width, (start + count) * width));
    for (let i = 0; i < count; i++) {
      const from = order[start + i]! * width;
      if (width >= SHORT_ROW) dst.set(src.subarray(from, from + width), i * width);
      else for (let j = 0; j < width; j++) dst[i * width + j] = src[from + j]!;
    }
  },
  addBias(z, b, rows, width) {
    for (let r = 0; r < rows; r++) for (let j = 0, o = r * width; j < width; j++) z[o + j] = z[o + j]! + b[j]!;
  },
  sumRows(x, rows, width, out) {
    out.fill(0, 0, width);
    for (let r = 0; r < rows; r++) for (let j = 0, o = r * width; j < width; j++) out[j] = out[j]! + x[o + j]!;
  },
  relu(z, a, count) {
    // (z + |z|)·½ without a branch on the sign: on half-negative data a mispredicted branch costs
    // 3× the loop. It is NaN for −∞ alone among non-NaN inputs, a test that is always predicted.
    for (let i = 0; i < count; i++) {
      const v = z[i]!;
      const r = (v + Math.abs(v)) * 0.5;
      a[i] = r === r || v !== -Infinity ? r : 0;
    }
  },
  reluBackward(da, z, dz, count) {
    for (let i = 0; i < count; i++) dz[i] = da[i]! * +(z[i]! > 0);
  },
  batchNormTrain(x, rows, width, gamma, beta, movingMean, movingVariance, decay, epsilon, xhat, y, mean, inv) {
    mean.fill(0, 0, width);
    for (let r = 0; r < rows; r++) for (let j = 0, o = r * width; j < width; j++) mean[j] = mean[j]! + x[o + j]!;
    for (let j = 0; j < width; j++) mean[j] = mean[j]! / rows;
    const sums = inv.fill(0, 0, width);
    for (let r = 0; r < rows; r++) {
      for (let j = 0, o = r * width; j < width; j++) {
        const d = x[o + j]! - mean[j]!;
        sums[j] = sums[j]! + d * d;
      }
    }
    for (let j = 0; j < width; j++) {
      const variance = sums[j]! / rows;
      inv[j] = 1 / Math.sqrt(variance + epsilon);
      movingMean[j] = movingMean[j]! - (movingMean[j]! - mean[j]!) * decay;
      movingVariance[j] = movingVariance[j]! - (movingVariance[j]! - variance) * decay;
    }
    for (let r = 0; r < rows; r++) {
      for (let j = 0, o = r * width; j < width; j++) {
        const v = (xhat[o + j] = (x[o + j]! - mean[j]!) * inv[j]!);
        y[o + j] = gamma[j]! * v + beta[j]!;
      }
    }
  },
  batchNormInfer(x, rows, width, gamma, beta, movingMean, movingVariance, epsilon, y, inv) {
    for (let j = 0; j < width; j++) inv[j] = 1 / Math.sqrt(movingVariance[j]! + epsilon);
    for (let r = 0; r < rows; r++) {
      for (let j = 0, o = r * width; j < width; j++) y[o + j] = (x[o + j]! - movingMean[j]!) * inv[j]! * gamma[j]! + beta[j]!;
    }
  },
  batchNormBackward(dy, xhat, gamma, inv, rows, width, dGamma, dBeta, dx) {
    dGamma.fill(0, 0, width);
    dBeta.fill(0, 0, width);
    for (let r = 0; r < rows; r++) {
      for (let j = 0, o = r * width; j < width; j++) {
        dGamma[j] = dGamma[j]! + dy[o + j]! * xhat[o + j]!;
        dBeta[j] = dBeta[j]! + dy[o + j]!;
      }
    }
    if (!dx) return;
    for (let r = 0; r < rows; r++) {
      for (let j = 0, o = r * width; j < width; j++) dx[o + j] = ((gamma[j]! * inv[j]!) / rows) * (rows * dy[o + j]! - dBeta[j]! - xhat[o + j]! * dGamma[j]!);
    }
  },
};
