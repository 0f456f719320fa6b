import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvDataset } from '../../src/data/csv.js';
import { DataFileError } from '../../src/data/data-file-error.js';
import { parseIdxDataset } from '../../src/data/idx.js';
import { csvDamage, damageCsv, damagedIdxPair, idxDamage } from './damaged-data.js';

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

describe('data file fuzzing', () => {
  it('damaged CSV text is parsed consistently or refused with one line naming the file', () => {
    const counts = { parsed: 0, refused: 0 };
    fc.assert(
      fc.property(csvDamage, fc.boolean(), (damage, regression) => {
        const text = damageCsv(damage);
        const options = regression
          ? { target: 'x1', categorical: ['city', 'label'], task: 'regression' as const }
          : { target: 'label', categorical: ['city'], task: 'classification' as const };
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
        const { images, labels } = damagedIdxPair(damage);
        counts[outcome(() => parseIdxDataset(images, labels, { images: 'i.idx', labels: 'l.idx' }), damage.target === 'images' ? 'i.idx' : 'l.idx')]++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`IDX fuzz: ${RUNS} damaged file pairs (${counts.refused} refused with a message, ${counts.parsed} still valid), seed ${SEED}`);
    expect(counts.refused).toBeGreaterThan(0);
  });
});
