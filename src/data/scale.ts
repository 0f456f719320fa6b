/** How features (and regression targets) are rescaled; fitted on the training split only. */
type ScaleMode = 'none' | 'standardize' | 'minmax';

export interface Scaler {
  mode: ScaleMode;
  offset: Float32Array;
  factor: Float32Array;
}

/**
 * Per-column offset and factor so that `(v - offset) * factor` is standardized (mean 0, std 1) or
 * min-max scaled to [0, 1]. Constant columns keep factor 1.
 * @example fitScaler(Float32Array.of(1, 3), 1, 'minmax') → {offset: [1], factor: [0.5]}
 */
export function fitScaler(values: Float32Array, width: number, mode: ScaleMode): Scaler {
  const offset = new Float32Array(width);
  const factor = new Float32Array(width).fill(1);
  const n = values.length / width;
  if (mode === 'none' || n === 0) return { mode, offset, factor };
  for (let j = 0; j < width; j++) {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = values[i * width + j]!;
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (mode === 'minmax') {
      offset[j] = min;
      factor[j] = max > min ? 1 / (max - min) : 1;
    } else {
      const mean = sum / n;
      let sq = 0;
      for (let i = 0; i < n; i++) sq += (values[i * width + j]! - mean) ** 2;
      const std = Math.sqrt(sq / n);
      offset[j] = mean;
      factor[j] = std > 0 ? 1 / std : 1;
    }
  }
  return { mode, offset, factor };
}

/** Apply a fitted scaler to a copy of `values`. */
export function applyScaler(values: Float32Array, scaler: Scaler): Float32Array {
  if (scaler.mode === 'none') return values;
  const width = scaler.offset.length;
  return values.map((v, i) => (v - scaler.offset[i % width]!) * scaler.factor[i % width]!);
}
