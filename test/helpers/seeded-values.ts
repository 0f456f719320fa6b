import { createRng } from '../../src/shared/rng.js';

/** Values in [-1, 1) for a tensor of `shape`, from the rng stream (seed, stream). */
export function seededValues(shape: number[], seed: number, stream: string): Float32Array {
  const rng = createRng(seed, stream);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1);
}

export const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
