import type { Rng } from '../shared/rng.js';

export interface AugmentationSpec {
  /** Maximum rotation in degrees; each image turns by a uniform angle in [-rotation, rotation]. */
  rotation: number;
  /** Maximum shift as a fraction of the width / height. */
  width_shift: number;
  height_shift: number;
  /** Magnification drawn uniformly from [1 - zoom, 1 + zoom]. */
  zoom: number;
  horizontal_flip: boolean;
  /** Pixels that come from outside the image: the nearest edge pixel (Keras' default) or zero. */
  fill: 'nearest' | 'constant';
}

export interface ImageTransform {
  angle: number;
  shiftX: number;
  shiftY: number;
  scale: number;
  flip: boolean;
}

/**
 * One random transform. All five numbers are drawn for every image, whatever is switched off, so
 * that turning one augmentation on does not change the draws of the others.
 */
export function drawTransform(spec: AugmentationSpec, height: number, width: number, rng: Rng): ImageTransform {
  const symmetric = (max: number) => (rng.next() * 2 - 1) * max;
  const angle = (symmetric(spec.rotation) * Math.PI) / 180;
  const shiftX = symmetric(spec.width_shift) * width;
  const shiftY = symmetric(spec.height_shift) * height;
  const scale = 1 + symmetric(spec.zoom);
  const flip = rng.next() < 0.5 && spec.horizontal_flip;
  return { angle, shiftX, shiftY, scale, flip };
}

/**
 * A new training set for one epoch: every image of `x` (count × [height, width, channels], row-major)
 * under its own random transform, bilinear-sampled. Images are drawn in index order, so the result does
 * not depend on the batch order.
 */
export function augmentImages(x: Float32Array, shape: number[], spec: AugmentationSpec, rng: Rng): Float32Array {
  const [height, width, channels] = shape as [number, number, number];
  const size = height * width * channels;
  const out = new Float32Array(x.length);
  for (let offset = 0; offset < x.length; offset += size) {
    const t = drawTransform(spec, height, width, rng);
    transformImage(x.subarray(offset, offset + size), out.subarray(offset, offset + size), height, width, channels, t, spec.fill);
  }
  return out;
}

/**
 * Inverse mapping: for each output pixel, find where it comes from in the source (undo the shift,
 * then the zoom and rotation about the centre, then the flip) and interpolate there.
 */
export function transformImage(
  src: Float32Array,
  dst: Float32Array,
  height: number,
  width: number,
  channels: number,
  t: ImageTransform,
  fill: 'nearest' | 'constant',
): void {
  const cy = (height - 1) / 2;
  const cx = (width - 1) / 2;
  const cos = Math.cos(t.angle) / t.scale;
  const sin = Math.sin(t.angle) / t.scale;
  // Where a neighbour lies outside the image: the nearest edge pixel, or (constant fill) no pixel (−1: value 0).
  const rowAt = (r: number) => (r < 0 || r >= height ? (fill === 'constant' ? -1 : Math.min(height - 1, Math.max(0, r))) : r);
  const colAt = (c: number) => (c < 0 || c >= width ? (fill === 'constant' ? -1 : Math.min(width - 1, Math.max(0, c))) : c);
  const indexOf = (r: number, c: number) => (r < 0 || c < 0 ? -1 : (r * width + c) * channels);
  const value = (i: number, ch: number) => (i < 0 ? 0 : src[i + ch]!);
  const row = width * channels;
  for (let r = 0; r < height; r++) {
    const y = r - cy - t.shiftY;
    for (let c = 0; c < width; c++) {
      const x = c - cx - t.shiftX;
      const sy = cos * y - sin * x + cy;
      let sx = sin * y + cos * x;
      sx = (t.flip ? -sx : sx) + cx;
      const r0 = Math.floor(sy);
      const c0 = Math.floor(sx);
      const fy = sy - r0;
      const fx = sx - c0;
      const o = (r * width + c) * channels;
      if (r0 >= 0 && r0 + 1 < height && c0 >= 0 && c0 + 1 < width) {
        // All four neighbours inside the image (most pixels): read them directly.
        const i = (r0 * width + c0) * channels;
        for (let ch = 0; ch < channels; ch++) {
          const top = src[i + ch]! * (1 - fx) + src[i + channels + ch]! * fx;
          const bottom = src[i + row + ch]! * (1 - fx) + src[i + row + channels + ch]! * fx;
          dst[o + ch] = top * (1 - fy) + bottom * fy;
        }
        continue;
      }
      const [ra, rb, ca, cb] = [rowAt(r0), rowAt(r0 + 1), colAt(c0), colAt(c0 + 1)];
      const [i00, i01, i10, i11] = [indexOf(ra, ca), indexOf(ra, cb), indexOf(rb, ca), indexOf(rb, cb)];
      for (let ch = 0; ch < channels; ch++) {
        const top = value(i00, ch) * (1 - fx) + value(i01, ch) * fx;
        const bottom = value(i10, ch) * (1 - fx) + value(i11, ch) * fx;
        dst[o + ch] = top * (1 - fy) + bottom * fy;
      }
    }
  }
}
