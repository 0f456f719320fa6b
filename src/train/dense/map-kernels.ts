/**
 * The engine's passes over feature maps (a sample's [height, width, channels], channels last), the
 * JavaScript reference: the native kernels (kernels/native/map-kernels.h) and the WebAssembly ones
 * (kernels/simd/map-simd.ts) compute the same values in the same order, so every path gives the
 * same bits. A window's taps (see windowTaps) say where each output position reads the map.
 */
export interface MapKernels {
  /** Each output position's window as a row of taps × channels; taps outside the map are left as they are (0). */
  im2col(h: Float32Array, samples: number, taps: Int32Array, channels: number, inSize: number, cols: Float32Array): void;
  /** dIn = 0, then each row's values added back onto the map positions its taps read, in tap order. */
  col2im(dCols: Float32Array, samples: number, taps: Int32Array, channels: number, inSize: number, dIn: Float32Array): void;
  /** y = each window's first largest value per channel; `from` its index in h. */
  maxPool(h: Float32Array, samples: number, taps: Int32Array, span: number, channels: number, inSize: number, y: Float32Array, from: Int32Array): void;
  /** y = each window's sum over its taps inside the map, divided by `inside[position]`. */
  averagePool(h: Float32Array, samples: number, taps: Int32Array, span: number, channels: number, inSize: number, inside: Float32Array, y: Float32Array): void;
  /** dIn = 0, then d[i] added at from[i], for i < count. */
  scatterAdd(d: Float32Array, from: Int32Array, count: number, dIn: Float32Array, dInLength: number): void;
  /** dIn = 0, then each window's gradient divided by `span` added to its taps inside the map (tfjs' AvgPoolGrad). */
  averagePoolBackward(d: Float32Array, samples: number, taps: Int32Array, span: number, channels: number, inSize: number, dIn: Float32Array): void;
}

/** Taps per output position: `span` of them, `taps.length / span` positions. */
const positionsOf = (taps: Int32Array, span: number) => taps.length / span;

export const jsMapKernels: MapKernels = {
  im2col(h, samples, taps, C, inSize, cols) {
    const perSample = taps.length * C;
    for (let s = 0; s < samples; s++) {
      const base = s * inSize;
      let o = s * perSample;
      for (let t = 0; t < taps.length; t++, o += C) {
        const at = taps[t]!;
        if (at < 0) continue;
        for (let c = 0; c < C; c++) cols[o + c] = h[base + at + c]!;
      }
    }
  },
  col2im(dCols, samples, taps, C, inSize, dIn) {
    dIn.fill(0, 0, samples * inSize);
    const perSample = taps.length * C;
    for (let s = 0; s < samples; s++) {
      const base = s * inSize;
      let o = s * perSample;
      for (let t = 0; t < taps.length; t++, o += C) {
        const at = taps[t]!;
        if (at < 0) continue;
        for (let c = 0; c < C; c++) dIn[base + at + c] = dIn[base + at + c]! + dCols[o + c]!;
      }
    }
  },
  maxPool(h, samples, taps, span, C, inSize, y, from) {
    const positions = positionsOf(taps, span);
    for (let s = 0; s < samples; s++) {
      const base = s * inSize;
      for (let p = 0; p < positions; p++) {
        const out = (s * positions + p) * C;
        let first = true;
        for (let t = p * span; t < (p + 1) * span; t++) {
          const at = taps[t]!;
          if (at < 0) continue;
          const src = base + at;
          for (let c = 0; c < C; c++) {
            if (first || h[src + c]! > y[out + c]!) {
              y[out + c] = h[src + c]!;
              from[out + c] = src + c;
            }
          }
          first = false;
        }
      }
    }
  },
  averagePool(h, samples, taps, span, C, inSize, inside, y) {
    const positions = positionsOf(taps, span);
    for (let s = 0; s < samples; s++) {
      const base = s * inSize;
      for (let p = 0; p < positions; p++) {
        const out = (s * positions + p) * C;
        y.fill(0, out, out + C);
        for (let t = p * span; t < (p + 1) * span; t++) {
          const at = taps[t]!;
          if (at < 0) continue;
          for (let c = 0; c < C; c++) y[out + c] = y[out + c]! + h[base + at + c]!;
        }
        for (let c = 0; c < C; c++) y[out + c] = y[out + c]! / inside[p]!;
      }
    }
  },
  scatterAdd(d, from, count, dIn, dInLength) {
    dIn.fill(0, 0, dInLength);
    for (let i = 0; i < count; i++) dIn[from[i]!] = dIn[from[i]!]! + d[i]!;
  },
  averagePoolBackward(d, samples, taps, span, C, inSize, dIn) {
    const positions = positionsOf(taps, span);
    dIn.fill(0, 0, samples * inSize);
    for (let s = 0; s < samples; s++) {
      const base = s * inSize;
      for (let p = 0; p < positions; p++) {
        const out = (s * positions + p) * C;
        for (let t = p * span; t < (p + 1) * span; t++) {
          const at = taps[t]!;
          if (at < 0) continue;
          // The share rounded to float32 before it is added, as float arithmetic in C does.
          for (let c = 0; c < C; c++) dIn[base + at + c] = dIn[base + at + c]! + Math.fround(d[out + c]! / span);
        }
      }
    }
  },
};
