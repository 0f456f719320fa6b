// AssemblyScript, compiled with gemm-simd.ts and row-simd.ts into one WebAssembly module: the engine's
// passes over feature maps (see src/train/dense/map-kernels.ts, the JavaScript reference with the same
// order of operations, so the bits agree). Operands are byte offsets into the module's memory; a sample's map
// is [height, width, channels]; a tap is an offset in floats within a sample, or -1 over the edge.

/** Each output position's window as a row of taps × channels; taps over the edge are left as they are. */
export function im2col(h: usize, samples: i32, taps: usize, ntaps: i32, channels: i32, inSize: i32, cols: usize): void {
  const row = <usize>channels << 2;
  for (let s = 0; s < samples; s++) {
    const base = h + ((<usize>s * inSize) << 2);
    let o = cols + <usize>s * <usize>ntaps * row;
    if (channels == 1) {
      // One value a tap (a first conv on grey images): a gather, not a copy call per value.
      for (let t = 0; t < ntaps; t++, o += 4) {
        const at = load<i32>(taps + (<usize>t << 2));
        if (at >= 0) store<f32>(o, load<f32>(base + (<usize>at << 2)));
      }
      continue;
    }
    for (let t = 0; t < ntaps; t++, o += row) {
      const at = load<i32>(taps + (<usize>t << 2));
      if (at < 0) continue;
      const src = base + (<usize>at << 2);
      let c: usize = 0;
      for (; c + 16 <= row; c += 16) v128.store(o + c, v128.load(src + c));
      for (; c < row; c += 4) store<f32>(o + c, load<f32>(src + c));
    }
  }
}

/** dIn = 0, then each row added back onto the map positions its taps read, in tap order. */
export function col2im(dCols: usize, samples: i32, taps: usize, ntaps: i32, channels: i32, inSize: i32, dIn: usize): void {
  memory.fill(dIn, 0, (<usize>samples * inSize) << 2);
  const row = <usize>channels << 2;
  for (let s = 0; s < samples; s++) {
    const base = dIn + ((<usize>s * inSize) << 2);
    let o = dCols + <usize>s * <usize>ntaps * row;
    for (let t = 0; t < ntaps; t++, o += row) {
      const at = load<i32>(taps + (<usize>t << 2));
      if (at < 0) continue;
      addInto(base + (<usize>at << 2), o, channels);
    }
  }
}

/**
 * y = each window's first largest value per channel, `from` its index (in floats) in h: the first tap
 * inside the map, then each later one replaces a value only where it is larger (NaN never does),
 * four channels at a time as selects.
 */
export function maxPool(h: usize, samples: i32, taps: usize, ntaps: i32, span: i32, channels: i32, inSize: i32, y: usize, from: usize): void {
  const positions = ntaps / span;
  const lanes = i32x4(0, 1, 2, 3);
  for (let s = 0; s < samples; s++) {
    const base = s * inSize;
    for (let p = 0; p < positions; p++) {
      const out = (<usize>(s * positions + p) * channels) << 2;
      let t = p * span;
      const end = t + span;
      while (t < end && load<i32>(taps + (<usize>t << 2)) < 0) t++;
      if (t == end) continue;
      const first = base + load<i32>(taps + (<usize>t << 2));
      for (let c = 0; c < channels; c++) {
        store<f32>(y + out + (<usize>c << 2), load<f32>(h + (<usize>(first + c) << 2)));
        store<i32>(from + out + (<usize>c << 2), first + c);
      }
      for (t++; t < end; t++) {
        const at = load<i32>(taps + (<usize>t << 2));
        if (at < 0) continue;
        const src = base + at;
        let c = 0;
        for (; c + 4 <= channels; c += 4) {
          const o = out + (<usize>c << 2);
          const v = v128.load(h + (<usize>(src + c) << 2));
          const current = v128.load(y + o);
          const larger = f32x4.gt(v, current);
          v128.store(y + o, v128.bitselect(v, current, larger));
          v128.store(from + o, v128.bitselect(i32x4.add(i32x4.splat(src + c), lanes), v128.load(from + o), larger));
        }
        for (; c < channels; c++) {
          const v = load<f32>(h + (<usize>(src + c) << 2));
          const o = out + (<usize>c << 2);
          if (v > load<f32>(y + o)) {
            store<f32>(y + o, v);
            store<i32>(from + o, src + c);
          }
        }
      }
    }
  }
}

/** y = each window's sum over its taps inside the map, divided by inside[position]. */
export function averagePool(h: usize, samples: i32, taps: usize, ntaps: i32, span: i32, channels: i32, inSize: i32, inside: usize, y: usize): void {
  const positions = ntaps / span;
  for (let s = 0; s < samples; s++) {
    const base = h + ((<usize>s * inSize) << 2);
    for (let p = 0; p < positions; p++) {
      const out = y + ((<usize>(s * positions + p) * channels) << 2);
      memory.fill(out, 0, <usize>channels << 2);
      for (let t = p * span; t < (p + 1) * span; t++) {
        const at = load<i32>(taps + (<usize>t << 2));
        if (at < 0) continue;
        addInto(out, base + (<usize>at << 2), channels);
      }
      const count = load<f32>(inside + (<usize>p << 2));
      for (let c = 0; c < channels; c++) store<f32>(out + (<usize>c << 2), load<f32>(out + (<usize>c << 2)) / count);
    }
  }
}

/** dIn = 0 (dInLength floats), then d[i] added at from[i], for i < count. */
export function scatterAdd(d: usize, from: usize, count: i32, dIn: usize, dInLength: i32): void {
  memory.fill(dIn, 0, <usize>dInLength << 2);
  for (let i = 0; i < count; i++) {
    const at = dIn + (<usize>load<i32>(from + (<usize>i << 2)) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(d + (<usize>i << 2)));
  }
}

/** dIn = 0, then each window's gradient divided by `span` (rounded to float32) added to its taps inside the map. */
export function averagePoolBackward(d: usize, samples: i32, taps: usize, ntaps: i32, span: i32, channels: i32, inSize: i32, dIn: usize): void {
  const positions = ntaps / span;
  memory.fill(dIn, 0, (<usize>samples * inSize) << 2);
  const divisor = <f32>span;
  for (let s = 0; s < samples; s++) {
    const base = dIn + ((<usize>s * inSize) << 2);
    for (let p = 0; p < positions; p++) {
      const g = d + ((<usize>(s * positions + p) * channels) << 2);
      for (let t = p * span; t < (p + 1) * span; t++) {
        const at = load<i32>(taps + (<usize>t << 2));
        if (at < 0) continue;
        const dst = base + (<usize>at << 2);
        for (let c = 0; c < channels; c++) store<f32>(dst + (<usize>c << 2), load<f32>(dst + (<usize>c << 2)) + load<f32>(g + (<usize>c << 2)) / divisor);
      }
    }
  }
}

/** dst[c] += src[c] for c < n, four at a time (float32 adds: the same bits as one at a time). */
function addInto(dst: usize, src: usize, n: i32): void {
  const n4 = n & ~3;
  let c = 0;
  for (; c < n4; c += 4) v128.store(dst + (<usize>c << 2), f32x4.add(v128.load(dst + (<usize>c << 2)), v128.load(src + (<usize>c << 2))));
  for (; c < n; c++) store<f32>(dst + (<usize>c << 2), load<f32>(dst + (<usize>c << 2)) + load<f32>(src + (<usize>c << 2)));
}
