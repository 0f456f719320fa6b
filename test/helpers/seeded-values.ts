import { createRng } from '../../src/shared/rng.js';

/** Values in [-1, 1) for a tensor of `shape`, from the rng stream (seed, stream). */
export function seededValues(shape: number[], seed: number, stream: string): Float32Array {
  const rng = createRng(seed, stream);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1);
}

export const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

/** Indices where two arrays differ in bits (every NaN alike; +0 and −0 apart). */
export const bitDifferences = (x: ArrayLike<number>, y: ArrayLike<number>) =>
  Array.from(x).flatMap((v, i) => ((Number.isNaN(v) && Number.isNaN(y[i]!)) || Object.is(v, y[i]) ? [] : [i]));

/** A rows×cols matrix with MNIST's kind of zeros: most entries, and some rows and columns entirely; a few −0s. */
export function mostlyZeros(rows: number, cols: number, seed: number): Float32Array {
  const x = seededValues([rows, cols], seed, 'sparse');
  return x.map((v, i) => {
    const [r, c] = [Math.floor(i / cols), i % cols];
    if (c % 7 < 3 || r % 5 === 0 || Math.abs(v) < 0.6) return v < -0.9 ? -0 : 0;
    return v;
  });
}
