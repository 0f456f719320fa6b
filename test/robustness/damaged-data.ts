import fc from 'fast-check';
import { idxBytes } from '../helpers/idx-bytes.js';

/** A small valid CSV with a numeric, a categorical and a quoted cell, and ways to damage it. */
export const goodCsv = ['x1,x2,city,label', '1.5,2,Lyon,a', '-3,4e2,Paris,b', '0.25,"5",Lyon,a', '7,8,"Nice, FR",b'].join('\n');

export type CsvDamage =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'random'; text: string };

export const csvDamage: fc.Arbitrary<CsvDamage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(',', '"', '\n', '\r\n', ',,', 'NaN', '', '\u0000', '\uFEFF', 'x', '1e999', '\n\n', '""'),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('random' as const), text: fc.string({ maxLength: 200 }) }),
);

export function damageCsv(d: CsvDamage): string {
  if (d.kind === 'random') return d.text;
  const at = d.at % (goodCsv.length + 1);
  if (d.kind === 'truncate') return goodCsv.slice(0, at);
  if (d.kind === 'insert') return goodCsv.slice(0, at) + d.text + goodCsv.slice(at);
  return goodCsv.slice(0, at) + goodCsv.slice(at + d.length);
}

/** Four 3×3 images with labels, and ways to damage either file. */
export const goodImages = idxBytes(
  [4, 3, 3],
  Array.from({ length: 36 }, (_, i) => (i * 37) % 256),
);
export const goodLabels = idxBytes([4], [0, 1, 2, 1]);

export interface IdxDamage {
  target: 'images' | 'labels';
  kind: 'truncate' | 'byte' | 'dims' | 'extend';
  at: number;
  value: number;
  dim: number;
}

export const idxDamage: fc.Arbitrary<IdxDamage> = fc.record({
  target: fc.constantFrom('images' as const, 'labels' as const),
  kind: fc.constantFrom('truncate' as const, 'byte' as const, 'dims' as const, 'extend' as const),
  at: fc.nat(),
  value: fc.nat({ max: 255 }),
  dim: fc.constantFrom(0, 1, 2, 3, 255, 65535, 0x7fffffff, 0xffffffff),
});

export function damageIdx(bytes: Uint8Array, d: IdxDamage): Uint8Array {
  const out = Uint8Array.from(bytes);
  if (d.kind === 'truncate') return out.subarray(0, d.at % out.length);
  if (d.kind === 'byte') out[d.at % out.length] = d.value;
  if (d.kind === 'extend') return Uint8Array.from([...out, d.value]);
  if (d.kind === 'dims') new DataView(out.buffer).setUint32(4 + 4 * (d.at % out[3]!), d.dim);
  return out;
}

/** The image and label files with `d` applied to the one it targets. */
export const damagedIdxPair = (d: IdxDamage) => ({
  images: d.target === 'images' ? damageIdx(goodImages, d) : goodImages,
  labels: d.target === 'labels' ? damageIdx(goodLabels, d) : goodLabels,
});
