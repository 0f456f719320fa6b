// AssemblyScript, compiled with gemm-simd.ts into one WebAssembly module: the dense engine's Adam
// update and row passes where no native kernels were built. Operands live in the module's memory
// (see gemm-simd.ts); only IEEE-exact SIMD operations are used, so results are the same bits everywhere.

/**
 * Adam's update of `count` weights, in float32 and in the order of tfjs' own Adam (one rounding per
 * operation, as its tensor ops do): m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g·g,
 * w = (m/c1) / (√(v/c2) + ε) · (−lr) + w, where c = 1 − β^t. The caller passes 1−β as tfjs
 * computes it (in double precision, then rounded), not 1 − f32(β).
 */
export function adam(w: usize, g: usize, m: usize, v: usize, count: i32, lr: f32, beta1: f32, beta2: f32, oneMinusBeta1: f32, oneMinusBeta2: f32, epsilon: f32, c1: f32, c2: f32): void {
  // After a few hundred steps β1^t is below float32's resolution next to 1, c1 rounds to 1, and
  // m/c1 is m: leaving that division out gives the same bits for a quarter less of the loop's
  // divider-bound time.
  if (c1 == 1) adamPass(w, g, m, v, count, lr, beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon, c1, c2, true);
  else adamPass(w, g, m, v, count, lr, beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon, c1, c2, false);
}

// @ts-ignore: AssemblyScript decorator
@inline
function adamPass(w: usize, g: usize, m: usize, v: usize, count: i32, lr: f32, beta1: f32, beta2: f32, oneMinusBeta1: f32, oneMinusBeta2: f32, epsilon: f32, c1: f32, c2: f32, unitC1: bool): void {
  const vb1 = f32x4.splat(beta1), vb2 = f32x4.splat(beta2), vo1 = f32x4.splat(oneMinusBeta1), vo2 = f32x4.splat(oneMinusBeta2);
  const vlr = f32x4.splat(-lr), veps = f32x4.splat(epsilon), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
  const end = (<usize>count) << 2;
  const vectorEnd = end & ~15;
  let i: usize = 0;
  for (; i < vectorEnd; i += 16) {
    const gi = v128.load(g + i);
    const mi = f32x4.add(f32x4.mul(v128.load(m + i), vb1), f32x4.mul(gi, vo1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + i), vb2), f32x4.mul(f32x4.mul(gi, gi), vo2));
    v128.store(m + i, mi);
    v128.store(v + i, vi);
    const step = f32x4.mul(f32x4.div(unitC1 ? mi : f32x4.div(mi, vc1), f32x4.add(f32x4.sqrt(f32x4.div(vi, vc2)), veps)), vlr);
    v128.store(w + i, f32x4.add(step, v128.load(w + i)));
  }
  for (; i < end; i += 4) {
    const gi = load<f32>(g + i);
    const mi = load<f32>(m + i) * beta1 + gi * oneMinusBeta1;
    const vi = load<f32>(v + i) * beta2 + gi * gi * oneMinusBeta2;
    store<f32>(m + i, mi);
    store<f32>(v + i, vi);
    store<f32>(w + i, ((unitC1 ? mi : mi / c1) / (sqrt<f32>(vi / c2) + epsilon)) * -lr + load<f32>(w + i));
  }
}

// The row passes, with the formulas and precision of the JavaScript reference (dense/row-kernels.ts):
// float32 where it rounds to float32, float64 statistics where it keeps doubles: the same bits.
// Columns go two (float64) or four (float32) at a time; rows are row-major, `width` apart.

/** z[r, j] += b[j]. */
export function addBias(z: usize, b: usize, rows: i32, width: i32): void {
  const w4 = width & ~3;
  for (let r = 0; r < rows; r++) {
    const row = z + ((<usize>r * width) << 2);
    let j = 0;
    for (; j < w4; j += 4) v128.store(row + (<usize>j << 2), f32x4.add(v128.load(row + (<usize>j << 2)), v128.load(b + (<usize>j << 2))));
    for (; j < width; j++) store<f32>(row + (<usize>j << 2), load<f32>(row + (<usize>j << 2)) + load<f32>(b + (<usize>j << 2)));
  }
}

/** out[j] = Σ_r x[r, j] in float32, row by row. */
export function sumRows(x: usize, rows: i32, width: i32, out: usize): void {
  memory.fill(out, 0, <usize>width << 2);
  for (let r = 0; r < rows; r++) addBias(out, x + ((<usize>r * width) << 2), 1, width);
}

/** a = max(z, 0): NaN stays NaN, −0 becomes 0 (the reference's (z + |z|)·½, without its overflow near the float32 maximum). */
export function relu(z: usize, a: usize, count: i32): void {
  const zero = f32x4.splat(0);
  const end = (<usize>count) << 2;
  const vectorEnd = end & ~15;
  let i: usize = 0;
  for (; i < vectorEnd; i += 16) v128.store(a + i, f32x4.max(v128.load(z + i), zero));
  for (; i < end; i += 4) store<f32>(a + i, max<f32>(load<f32>(z + i), 0));
}

/** dz = da · (z > 0 ? 1 : 0): a product, so a NaN or infinite da where z ≤ 0 gives NaN, as in tfjs. */
export function reluBackward(da: usize, z: usize, dz: usize, count: i32): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const end = (<usize>count) << 2;
  const vectorEnd = end & ~15;
  let i: usize = 0;
  for (; i < vectorEnd; i += 16) v128.store(dz + i, f32x4.mul(v128.load(da + i), v128.and(f32x4.gt(v128.load(z + i), zero), one)));
  for (; i < end; i += 4) store<f32>(dz + i, load<f32>(da + i) * (load<f32>(z + i) > 0 ? <f32>1 : <f32>0));
}

// @ts-ignore: AssemblyScript decorator
@inline
function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

// @ts-ignore: AssemblyScript decorator
@inline
function store2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/** Batch norm in training (see RowKernels.batchNormTrain); `mean` and `inv` are float64. */
export function batchNormTrain(x: usize, rows: i32, width: i32, gamma: usize, beta: usize, movingMean: usize, movingVariance: usize, decay: f64, epsilon: f64, xhat: usize, y: usize, mean: usize, inv: usize): void {
  const w2 = width & ~1;
  const n = <f64>rows;
  memory.fill(mean, 0, <usize>width << 3);
  memory.fill(inv, 0, <usize>width << 3);
  for (let r = 0; r < rows; r++) {
    const row = x + ((<usize>r * width) << 2);
    let j = 0;
    for (; j < w2; j += 2) v128.store(mean + (<usize>j << 3), f64x2.add(v128.load(mean + (<usize>j << 3)), load2(row + (<usize>j << 2))));
    for (; j < width; j++) store<f64>(mean + (<usize>j << 3), load<f64>(mean + (<usize>j << 3)) + <f64>load<f32>(row + (<usize>j << 2)));
  }
  for (let j = 0; j < width; j++) store<f64>(mean + (<usize>j << 3), load<f64>(mean + (<usize>j << 3)) / n);
  for (let r = 0; r < rows; r++) {
    const row = x + ((<usize>r * width) << 2);
    let j = 0;
    for (; j < w2; j += 2) {
      const d = f64x2.sub(load2(row + (<usize>j << 2)), v128.load(mean + (<usize>j << 3)));
      v128.store(inv + (<usize>j << 3), f64x2.add(v128.load(inv + (<usize>j << 3)), f64x2.mul(d, d)));
    }
    for (; j < width; j++) {
      const d = <f64>load<f32>(row + (<usize>j << 2)) - load<f64>(mean + (<usize>j << 3));
      store<f64>(inv + (<usize>j << 3), load<f64>(inv + (<usize>j << 3)) + d * d);
    }
  }
  for (let j = 0; j < width; j++) {
    const variance = load<f64>(inv + (<usize>j << 3)) / n;
    const m = load<f64>(mean + (<usize>j << 3));
    store<f64>(inv + (<usize>j << 3), 1 / Math.sqrt(variance + epsilon));
    const mm = <f64>load<f32>(movingMean + (<usize>j << 2));
    const mv = <f64>load<f32>(movingVariance + (<usize>j << 2));
    store<f32>(movingMean + (<usize>j << 2), <f32>(mm - (mm - m) * decay));
    store<f32>(movingVariance + (<usize>j << 2), <f32>(mv - (mv - variance) * decay));
  }
  for (let r = 0; r < rows; r++) {
    const o = (<usize>r * width) << 2;
    let j = 0;
    for (; j < w2; j += 2) {
      const c = <usize>j << 2;
      const v = f64x2.mul(f64x2.sub(load2(x + o + c), v128.load(mean + (<usize>j << 3))), v128.load(inv + (<usize>j << 3)));
      store2(xhat + o + c, v);
      store2(y + o + c, f64x2.add(f64x2.mul(load2(gamma + c), v), load2(beta + c)));
    }
    for (; j < width; j++) {
      const c = <usize>j << 2;
      const v = (<f64>load<f32>(x + o + c) - load<f64>(mean + (<usize>j << 3))) * load<f64>(inv + (<usize>j << 3));
      store<f32>(xhat + o + c, <f32>v);
      store<f32>(y + o + c, <f32>(<f64>load<f32>(gamma + c) * v + <f64>load<f32>(beta + c)));
    }
  }
}

/** Batch norm at inference on the moving statistics; `inv` (float64) is scratch. */
export function batchNormInfer(x: usize, rows: i32, width: i32, gamma: usize, beta: usize, movingMean: usize, movingVariance: usize, epsilon: f64, y: usize, inv: usize): void {
  const w2 = width & ~1;
  for (let j = 0; j < width; j++) store<f64>(inv + (<usize>j << 3), 1 / Math.sqrt(<f64>load<f32>(movingVariance + (<usize>j << 2)) + epsilon));
  for (let r = 0; r < rows; r++) {
    const o = (<usize>r * width) << 2;
    let j = 0;
    for (; j < w2; j += 2) {
      const c = <usize>j << 2;
      const v = f64x2.mul(f64x2.mul(f64x2.sub(load2(x + o + c), load2(movingMean + c)), v128.load(inv + (<usize>j << 3))), load2(gamma + c));
      store2(y + o + c, f64x2.add(v, load2(beta + c)));
    }
    for (; j < width; j++) {
      const c = <usize>j << 2;
      const v = (<f64>load<f32>(x + o + c) - <f64>load<f32>(movingMean + c)) * load<f64>(inv + (<usize>j << 3)) * <f64>load<f32>(gamma + c);
      store<f32>(y + o + c, <f32>(v + <f64>load<f32>(beta + c)));
    }
  }
}

/** Batch norm's gradients (see RowKernels.batchNormBackward); dx is skipped when its offset is 0. */
export function batchNormBackward(dy: usize, xhat: usize, gamma: usize, inv: usize, rows: i32, width: i32, dGamma: usize, dBeta: usize, dx: usize): void {
  const w2 = width & ~1;
  const n = <f64>rows;
  memory.fill(dGamma, 0, <usize>width << 3);
  memory.fill(dBeta, 0, <usize>width << 3);
  for (let r = 0; r < rows; r++) {
    const o = (<usize>r * width) << 2;
    let j = 0;
    for (; j < w2; j += 2) {
      const c = <usize>j << 2;
      const d = <usize>j << 3;
      const g = load2(dy + o + c);
      v128.store(dGamma + d, f64x2.add(v128.load(dGamma + d), f64x2.mul(g, load2(xhat + o + c))));
      v128.store(dBeta + d, f64x2.add(v128.load(dBeta + d), g));
    }
    for (; j < width; j++) {
      const c = <usize>j << 2;
      const d = <usize>j << 3;
      const g = <f64>load<f32>(dy + o + c);
      store<f64>(dGamma + d, load<f64>(dGamma + d) + g * <f64>load<f32>(xhat + o + c));
      store<f64>(dBeta + d, load<f64>(dBeta + d) + g);
    }
  }
  if (dx == 0) return;
  const vn = f64x2.splat(n);
  for (let r = 0; r < rows; r++) {
    const o = (<usize>r * width) << 2;
    let j = 0;
    for (; j < w2; j += 2) {
      const c = <usize>j << 2;
      const d = <usize>j << 3;
      const scale = f64x2.div(f64x2.mul(load2(gamma + c), v128.load(inv + d)), vn);
      const inner = f64x2.sub(f64x2.sub(f64x2.mul(vn, load2(dy + o + c)), v128.load(dBeta + d)), f64x2.mul(load2(xhat + o + c), v128.load(dGamma + d)));
      store2(dx + o + c, f64x2.mul(scale, inner));
    }
    for (; j < width; j++) {
      const c = <usize>j << 2;
      const d = <usize>j << 3;
      const scale = (<f64>load<f32>(gamma + c) * load<f64>(inv + d)) / n;
      store<f32>(dx + o + c, <f32>(scale * (n * <f64>load<f32>(dy + o + c) - load<f64>(dBeta + d) - <f64>load<f32>(xhat + o + c) * load<f64>(dGamma + d))));
    }
  }
}
