import { describe, expect, it } from 'vitest';
import { augmentImages, drawTransform, transformImage, type AugmentationSpec, type ImageTransform } from '../../src/data/augment.js';
import { createRng } from '../../src/shared/rng.js';

const none: AugmentationSpec = { rotation: 0, width_shift: 0, height_shift: 0, zoom: 0, horizontal_flip: false, fill: 'constant' };
const identity: ImageTransform = { angle: 0, shiftX: 0, shiftY: 0, scale: 1, flip: false };
// A 3×4 single-channel image with distinct pixels 1..12.
const image = Float32Array.from({ length: 12 }, (_, i) => i + 1);
const apply = (t: Partial<ImageTransform>, fill: 'nearest' | 'constant' = 'constant', src = image, h = 3, w = 4) => {
  const out = new Float32Array(src.length);
  transformImage(src, out, h, w, 1, { ...identity, ...t }, fill);
  return Array.from(out);
};

describe('transformImage', () => {
  it('samples every pixel as a bounds-checked bilinear read would, inside the image and at its edges', () => {
    // The reference reads each neighbour through one bounds check; transformImage takes a fast path inside.
    const reference = (src: Float32Array, h: number, w: number, ch: number, t: ImageTransform, fill: 'nearest' | 'constant') => {
      const at = (r: number, c: number, k: number): number => {
        if (r < 0 || r >= h || c < 0 || c >= w) {
          if (fill === 'constant') return 0;
          r = Math.min(h - 1, Math.max(0, r));
          c = Math.min(w - 1, Math.max(0, c));
        }
        return src[(r * w + c) * ch + k]!;
      };
      const out = new Float32Array(src.length);
      const cy = (h - 1) / 2,
        cx = (w - 1) / 2;
      const cos = Math.cos(t.angle) / t.scale,
        sin = Math.sin(t.angle) / t.scale;
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          const y = r - cy - t.shiftY,
            x = c - cx - t.shiftX;
          const sy = cos * y - sin * x + cy;
          let sx = sin * y + cos * x;
          sx = t.flip ? cx - sx : sx + cx;
          const r0 = Math.floor(sy),
            c0 = Math.floor(sx),
            fy = sy - r0,
            fx = sx - c0;
          for (let k = 0; k < ch; k++) {
            const top = at(r0, c0, k) * (1 - fx) + at(r0, c0 + 1, k) * fx;
            const bottom = at(r0 + 1, c0, k) * (1 - fx) + at(r0 + 1, c0 + 1, k) * fx;
            out[(r * w + c) * ch + k] = top * (1 - fy) + bottom * fy;
          }
        }
      }
      return out;
    };
    const rng = createRng(7, 'augment-reference');
    const spec: AugmentationSpec = { rotation: 40, width_shift: 0.3, height_shift: 0.3, zoom: 0.4, horizontal_flip: true, fill: 'nearest' };
    for (const [h, w, ch] of [
      [28, 28, 1],
      [9, 13, 3],
    ] as const) {
      for (const fill of ['nearest', 'constant'] as const) {
        for (let trial = 0; trial < 20; trial++) {
          const src = Float32Array.from({ length: h * w * ch }, () => rng.next());
          const t = drawTransform({ ...spec, fill }, h, w, rng);
          const out = new Float32Array(src.length);
          transformImage(src, out, h, w, ch, t, fill);
          expect(out).toEqual(reference(src, h, w, ch, t, fill));
        }
      }
    }
  });

  it('is the identity for the identity transform', () => {
    expect(apply({})).toEqual(Array.from(image));
  });

  it('shifts by whole pixels, filling with zero or the nearest edge pixel', () => {
    expect(apply({ shiftX: 1 })).toEqual([0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11]);
    expect(apply({ shiftY: -1 }, 'nearest')).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 9, 10, 11, 12]);
  });

  it('mirrors left to right when flipping', () => {
    expect(apply({ flip: true })).toEqual([4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9]);
  });

  it('turns a square image a quarter turn exactly', () => {
    const square = Float32Array.from({ length: 9 }, (_, i) => i + 1);
    const turned = apply({ angle: Math.PI / 2 }, 'constant', square, 3, 3).map((v) => Math.round(v * 1e5) / 1e5);
    // Same pixels, rearranged: a rotation about the centre keeps the centre and permutes the rest.
    expect(turned[4]).toBe(5);
    expect([...turned].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(turned).not.toEqual(Array.from(square));
  });

  it('zooming in keeps the centre and interpolates between neighbours', () => {
    const row = Float32Array.from([0, 10, 20, 30, 40]);
    const zoomed = apply({ scale: 2 }, 'constant', row, 1, 5);
    expect(zoomed).toEqual([10, 15, 20, 25, 30]);
  });
});

describe('augmentImages', () => {
  const images = Float32Array.from({ length: 5 * 12 }, (_, i) => (i * 7) % 13);
  const spec: AugmentationSpec = { rotation: 15, width_shift: 0.1, height_shift: 0.1, zoom: 0.1, horizontal_flip: true, fill: 'nearest' };

  it('is reproducible from the stream and different from one epoch to the next', () => {
    const rng1 = createRng(1, 'augment');
    const rng2 = createRng(1, 'augment');
    const epoch1 = augmentImages(images, [3, 4, 1], spec, rng1);
    expect(Array.from(epoch1)).toEqual(Array.from(augmentImages(images, [3, 4, 1], spec, rng2)));
    expect(Array.from(augmentImages(images, [3, 4, 1], spec, rng1))).not.toEqual(Array.from(epoch1));
  });

  it('changes nothing when every augmentation is off, and never touches its input', () => {
    const copy = images.slice();
    expect(Array.from(augmentImages(images, [3, 4, 1], none, createRng(1, 'augment')))).toEqual(Array.from(images));
    augmentImages(images, [3, 4, 1], spec, createRng(2, 'augment'));
    expect(Array.from(images)).toEqual(Array.from(copy));
  });

  it('draws transforms within the configured ranges', () => {
    const rng = createRng(3, 'augment');
    const draws = Array.from({ length: 2000 }, () => drawTransform(spec, 28, 28, rng));
    expect(Math.max(...draws.map((d) => Math.abs(d.angle)))).toBeLessThanOrEqual((15 * Math.PI) / 180);
    expect(Math.max(...draws.map((d) => Math.abs(d.shiftX)))).toBeLessThanOrEqual(2.8);
    expect(Math.min(...draws.map((d) => d.scale))).toBeGreaterThanOrEqual(0.9);
    const flips = draws.filter((d) => d.flip).length;
    expect(flips).toBeGreaterThan(900);
    expect(flips).toBeLessThan(1100);
  });
});
