import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvDataset } from '../../src/data/csv.js';
import { DataFileError } from '../../src/data/data-file-error.js';
import { parseIdxDataset } from '../../src/data/idx.js';
import { idxBytes } from '../helpers/idx-bytes.js';

const RUNS = Number(process.env.NNLAB_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.NNLAB_FUZZ_SEED ?? 20261124);

/** Parsing damaged data either gives a consistent dataset or refuses it with one line naming the file; nothing else. */
function outcome(parse: () => { x: Float32Array; labels: Int32Array; featureShape: number[] }, file: string): 'parsed' | 'refused' {
  try {
    const d = parse();
    const width = d.featureShape.reduce((p, v) => p * v, 1);
    expect(d.x.length).toBe(d.labels.length * width);
    expect(d.x.every(Number.isFinite)).toBe(true);
    return 'parsed';
  } catch (err) {
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as Error).message.startsWith(`Reading ${file} failed: `)).toBe(true);
    expect((err as Error).message).not.toMatch(/\n/);
    return 'refused';
  }
}

const goodCsv = ['x1,x2,city,label', '1.5,2,Lyon,a', '-3,4e2,Paris,b', '0.25,"5",Lyon,a', '7,8,"Nice, FR",b'].join('\n');
const csvDamage = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(',', '"', '\n', '\r\n', ',,', 'NaN', '', '\u0000', '\uFEFF', 'x', '1e999', '\n\n', '""') }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('random' as const), text: fc.string({ maxLength: 200 }) }),
);
type CsvDamage = { kind: 'truncate'; at: number } | { kind: 'insert'; at: number; text: string } | { kind: 'delete'; at: number; length: number } | { kind: 'random'; text: string };

function damageCsv(d: CsvDamage): string {
  if (d.kind === 'random') return d.text;
  const at = d.at % (goodCsv.length + 1);
  if (d.kind === 'truncate') return goodCsv.slice(0, at);
  if (d.kind === 'insert') return goodCsv.slice(0, at) + d.text + goodCsv.slice(at);
  return goodCsv.slice(0, at) + goodCsv.slice(at + d.length);
}

const images = idxBytes([4, 3, 3], Array.from({ length: 36 }, (_, i) => (i * 37) % 256));
const labels = idxBytes([4], [0, 1, 2, 1]);
const idxDamage = fc.record({
  target: fc.constantFrom('images' as const, 'labels' as const),
  kind: fc.constantFrom('truncate', 'byte', 'dims', 'extend'),
  at: fc.nat(),
  value: fc.nat({ max: 255 }),
  dim: fc.constantFrom(0, 1, 2, 3, 255, 65535, 0x7fffffff, 0xffffffff),
});

function damageIdx(bytes: Uint8Array, d: { kind: string; at: number; value: number; dim: number }): Uint8Array {
  const out = Uint8Array.from(bytes);
  if (d.kind === 'truncate') return out.subarray(0, d.at % out.length);
  if (d.kind === 'byte') out[d.at % out.length] = d.value;
  if (d.kind === 'extend') return Uint8Array.from([...out, d.value]);
  if (d.kind === 'dims') new DataView(out.buffer).setUint32(4 + 4 * (d.at % out[3]!), d.dim);
  return out;
}

describe('data file fuzzing', () => {
  it('damaged CSV text is parsed consistently or refused with one line naming the file', () => {
    const counts = { parsed: 0, refused: 0 };
    fc.assert(
      fc.property(csvDamage, fc.boolean(), (damage, regression) => {
        const text = damageCsv(damage as CsvDamage);
        const options = regression ? { target: 'x1', categorical: ['city', 'label'], task: 'regression' as const } : { target: 'label', categorical: ['city'], task: 'classification' as const };
        counts[outcome(() => parseCsvDataset(text, 'f.csv', options), 'f.csv')]++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`CSV fuzz: ${RUNS} damaged files (${counts.refused} refused with a message, ${counts.parsed} still valid CSV), seed ${SEED}`);
    expect(counts.refused).toBeGreaterThan(0);
  });

  it('damaged IDX files (truncated, wrong magic, overflowing dimensions) are read or refused with one line', () => {
    const counts = { parsed: 0, refused: 0 };
    fc.assert(
      fc.property(idxDamage, (damage) => {
        const i = damage.target === 'images' ? damageIdx(images, damage) : images;
        const l = damage.target === 'labels' ? damageIdx(labels, damage) : labels;
        counts[outcome(() => parseIdxDataset(i, l, { images: 'i.idx', labels: 'l.idx' }), damage.target === 'images' ? 'i.idx' : 'l.idx')]++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`IDX fuzz: ${RUNS} damaged file pairs (${counts.refused} refused with a message, ${counts.parsed} still valid), seed ${SEED}`);
    expect(counts.refused).toBeGreaterThan(0);
  });
});
