import { describe, expect, it } from 'vitest';
import { nativeDenseKernels, type DenseKernels } from '../../src/train/dense/dense-kernels.js';
import { jsMapKernels, type MapKernels } from '../../src/train/dense/map-kernels.js';
import { simdDenseKernels } from '../../src/train/dense/simd-dense-kernels.js';
import { windowTaps } from '../../src/train/dense/spatial-layers.js';
import { loadNativeBlas } from '../../src/train/kernels/native-matmul.js';
import { loadSimdKernels, type SimdKernels } from '../../src/train/kernels/simd-kernels.js';
import { bitDifferences, seededValues } from '../helpers/seeded-values.js';

const native = loadNativeBlas();
const nativeBuilt = 'im2col' in native;
if (process.env.NNLAB_EXPECT_NATIVE === '1' && !nativeBuilt) throw new Error('the native feature-map kernels are required here');
const simd = loadSimdKernels();

/** The paths that implement the feature-map passes, each with the allocator its buffers need. */
const paths: Array<{ name: string; kernels: DenseKernels }> = [
  { name: 'WebAssembly', kernels: simdDenseKernels(simd as SimdKernels) },
  ...(nativeBuilt ? [{ name: 'native', kernels: nativeDenseKernels(native as never, false) }] : []),
];

const geometries = [
  { name: '3×3 same, stride 1', map: { height: 7, width: 6, channels: 3 }, window: { kh: 3, kw: 3, sh: 1, sw: 1, padding: 'same' as const } },
  { name: '2×3 valid, strides 1×2', map: { height: 5, width: 9, channels: 5 }, window: { kh: 2, kw: 3, sh: 1, sw: 2, padding: 'valid' as const } },
  {
    name: '3×3 same, stride 2 (padding on one side)',
    map: { height: 8, width: 7, channels: 8 },
    window: { kh: 3, kw: 3, sh: 2, sw: 2, padding: 'same' as const },
  },
  { name: '2×2 valid, stride 2, one channel', map: { height: 9, width: 10, channels: 1 }, window: { kh: 2, kw: 2, sh: 2, sw: 2, padding: 'valid' as const } },
];

/** Keras' output size and padding (as dense-plan.ts computes them) for a geometry. */
function shapes({ map, window }: (typeof geometries)[number]) {
  const along = (size: number, k: number, s: number) =>
    window.padding === 'valid'
      ? { out: Math.floor((size - k) / s) + 1, before: 0 }
      : { out: Math.ceil(size / s), before: Math.floor(Math.max((Math.ceil(size / s) - 1) * s + k - size, 0) / 2) };
  const v = along(map.height, window.kh, window.sh);
  const h = along(map.width, window.kw, window.sw);
  return { output: { height: v.out, width: h.out, channels: map.channels }, win: { ...window, padTop: v.before, padLeft: h.before } };
}

/** Runs `fn` on the reference kernels and on a path's, with inputs copied into each one's memory; the outputs as plain arrays. */
function bothWays(
  kernels: DenseKernels,
  fn: (maps: MapKernels, alloc: (values: ArrayLike<number> | number, ints?: boolean) => Float32Array | Int32Array) => Array<Float32Array | Int32Array>,
) {
  const plain = (v: ArrayLike<number> | number, ints = false) =>
    typeof v === 'number' ? (ints ? new Int32Array(v) : new Float32Array(v)) : ints ? Int32Array.from(v) : Float32Array.from(v);
  const onPath = (v: ArrayLike<number> | number, ints = false) => {
    const floats = kernels.alloc(typeof v === 'number' ? v : v.length);
    const array = ints ? new Int32Array(floats.buffer, floats.byteOffset, floats.length) : floats;
    if (typeof v !== 'number') array.set(v);
    return array;
  };
  return { reference: fn(jsMapKernels, plain).map((a) => Array.from(a)), path: fn(kernels.maps, onPath).map((a) => Array.from(a)) };
}

describe.each(paths)("the $name feature-map kernels give the JavaScript reference's bits", ({ kernels }) => {
  it.each(geometries)('$name: im2col, col2im, max and average pooling and their gradients', (g) => {
    const { output, win } = shapes(g);
    const samples = 3;
    const inSize = g.map.height * g.map.width * g.map.channels;
    const taps = windowTaps(g.map, output, win, (n) => new Float32Array(n));
    const span = win.kh * win.kw;
    const positions = output.height * output.width;
    const C = g.map.channels;
    // Ties in the maxima (rounded values) exercise the first-largest rule.
    const h = Array.from(seededValues([samples * inSize], 1, 'maps'), (v) => Math.round(v * 4) / 4);
    // A NaN never replaces a maximum and is kept where it comes first; −0 ties with +0.
    for (let i = 0; i < h.length; i += 11) h[i] = i % 2 ? Number.NaN : -0;
    const d = seededValues([samples * taps.length * C], 2, 'grads');
    const dPool = seededValues([samples * positions * C], 3, 'grads');
    const inside = Array.from({ length: positions }, (_, p) => Array.from(taps.subarray(p * span, (p + 1) * span)).filter((t) => t >= 0).length);
    const { reference, path } = bothWays(kernels, (maps, alloc) => {
      const t = alloc(taps, true) as Int32Array;
      const hIn = alloc(h) as Float32Array;
      const cols = alloc(samples * taps.length * C) as Float32Array;
      maps.im2col(hIn, samples, t, C, inSize, cols);
      const dIn = alloc(samples * inSize) as Float32Array;
      maps.col2im(alloc(d) as Float32Array, samples, t, C, inSize, dIn);
      const y = alloc(samples * positions * C) as Float32Array;
      const from = alloc(samples * positions * C, true) as Int32Array;
      maps.maxPool(hIn, samples, t, span, C, inSize, y, from);
      const dMax = alloc(samples * inSize) as Float32Array;
      maps.scatterAdd(alloc(dPool) as Float32Array, from, samples * positions * C, dMax, samples * inSize);
      const avg = alloc(samples * positions * C) as Float32Array;
      maps.averagePool(hIn, samples, t, span, C, inSize, alloc(inside) as Float32Array, avg);
      const dAvg = alloc(samples * inSize) as Float32Array;
      maps.averagePoolBackward(alloc(dPool) as Float32Array, samples, t, span, C, inSize, dAvg);
      return [cols, dIn, y, from, dMax, avg, dAvg];
    });
    ['im2col', 'col2im', 'maxPool', 'maxPool from', 'scatterAdd', 'averagePool', 'averagePoolBackward'].forEach((name, i) => {
      expect(bitDifferences(path[i]!, reference[i]!), name).toEqual([]);
    });
    // The reference itself: an im2col row holds its window, 0 where the window hangs over the edge.
    expect(
      reference[0]!
        .slice(0, span * C)
        .filter((_, k) => taps[Math.floor(k / C)]! < 0)
        .every((v) => v === 0),
    ).toBe(true);
  });
});

describe.runIf(nativeBuilt)('the native feature-map kernels', () => {
  it('refuse taps and indices that point outside their arrays instead of reading or writing past them', () => {
    const n = native as unknown as MapKernels;
    const h = new Float32Array(8);
    expect(() => n.im2col(h, 1, Int32Array.from([0, 7]), 2, 8, new Float32Array(4))).toThrow(/im2col: bad arguments/);
    expect(() => n.col2im(new Float32Array(4), 1, Int32Array.from([-2, 0]), 2, 8, h)).toThrow(/col2im: bad arguments/);
    expect(() => n.scatterAdd(new Float32Array(2), Int32Array.from([0, 8]), 2, h, 8)).toThrow(/scatterAdd: an index is out of range/);
    expect(() => n.maxPool(h, 2, Int32Array.from([0, 1]), 2, 1, 8, new Float32Array(1), new Int32Array(1))).toThrow(/maxPool: bad arguments/);
  });
});
