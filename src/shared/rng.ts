import { createHash } from 'node:crypto';

/**
 * A seeded random stream. Every random decision in nnlab draws from a stream named after its
 * purpose, so that e.g. adding a dropout layer does not change the data split or the batch order.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A fresh 32-bit seed, for APIs (tfjs initializers, random ops) that take an integer seed. */
  seed32(): number;
  /** Standard normal draw (Box-Muller). */
  normal(): number;
}

/**
 * The stream `name` of run seed `seed`. Same (seed, name) ⇒ same sequence, on every machine.
 * @example createRng(3, 'split').int(10)
 */
export function createRng(seed: number, name: string): Rng {
  const digest = createHash('sha256').update(`${seed}\u0000${name}`).digest();
  return sfc32(digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12));
}

/** sfc32: small, fast, passes PractRand; state is four 32-bit words. */
function sfc32(a: number, b: number, c: number, d: number): Rng {
  const nextUint32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return r >>> 0;
  };
  // Discard the first outputs: sfc32 mixes its seed words over its first few rounds.
  for (let i = 0; i < 12; i++) nextUint32();
  const next = (): number => nextUint32() / 4294967296;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    seed32: nextUint32,
    normal: () => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}

/** Fisher-Yates shuffle in place; returns the same array. */
export function shuffleInPlace<T>(items: T[] | Int32Array, rng: Rng): T[] | Int32Array {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}
