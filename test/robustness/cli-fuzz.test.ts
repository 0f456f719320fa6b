import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../cli/run-cli.js';
import { csvDamage, damageCsv, damagedIdxPair, idxDamage } from './damaged-data.js';
import { damagedText, mutatedExperiment } from './hostile-specs.js';

const RUNS = Number(process.env.NNLAB_FUZZ_CLI_RUNS ?? 12);
const SEED = Number(process.env.NNLAB_FUZZ_SEED ?? 20261124);

describe('hostile specs through the built CLI', () => {
  it('nnlab validate exits 0 or 2 with one-line messages, never a stack trace', () => {
    const cwd = tempDir();
    let cases = 0;
    fc.assert(
      fc.property(fc.oneof(mutatedExperiment, damagedText), ({ text }) => {
        const file = join(cwd, `case-${cases++}.yaml`);
        writeFileSync(file, text);
        const r = runCli(['validate', file], cwd);
        expect([0, 2]).toContain(r.code);
        expect(r.stderr).not.toMatch(/\n\s+at |This is a bug/);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`CLI fuzz: ${cases} specs through nnlab validate, seed ${SEED}`);
  });

  it('nnlab validate on damaged CSV and IDX files exits 0 or 2 with one line naming the file and field', () => {
    const cwd = tempDir();
    const csvSpec =
      'name: c\ndata: {dataset: csv, path: d.csv, target: label, categorical: [city], task: classification}\nmodel: {input_shape: [5], layers: [{dense: {units: 2, activation: softmax}}]}\ntrain: {optimizer: adam, loss: categorical_crossentropy}\n';
    const idxSpec =
      'name: i\ndata: {dataset: idx, images: i.idx, labels: l.idx}\nmodel: {input_shape: [3, 3, 1], layers: [{flatten: {}}, {dense: {units: 3, activation: softmax}}]}\ntrain: {optimizer: adam, loss: categorical_crossentropy}\n';
    writeFileSync(join(cwd, 'csv.yaml'), csvSpec);
    writeFileSync(join(cwd, 'idx.yaml'), idxSpec);
    const counts = { valid: 0, refused: 0 };
    const check = (spec: string, field: RegExp) => {
      const r = runCli(['validate', spec], cwd);
      expect([0, 2]).toContain(r.code);
      expect(r.stderr).not.toMatch(/\n\s+at |This is a bug/);
      if (r.code === 2) expect(r.stderr).toMatch(field);
      counts[r.code === 0 ? 'valid' : 'refused']++;
    };
    fc.assert(
      fc.property(
        fc.oneof(
          csvDamage.map((csv) => ({ csv })),
          idxDamage.map((idx) => ({ idx })),
        ),
        (damage) => {
          if ('csv' in damage) {
            writeFileSync(join(cwd, 'd.csv'), damageCsv(damage.csv));
            // A damaged file may also lose the target or category column: any data field may be named.
            check('csv.yaml', /^csv\.yaml:2:\d+ data\.\w+: |^csv\.yaml:\d+:\d+ /m);
          } else {
            const { images, labels } = damagedIdxPair(damage.idx);
            writeFileSync(join(cwd, 'i.idx'), images);
            writeFileSync(join(cwd, 'l.idx'), labels);
            check('idx.yaml', /^idx\.yaml:\d+:\d+ /m);
          }
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`CLI data fuzz: ${RUNS} damaged CSV/IDX files through nnlab validate (${counts.refused} refused, ${counts.valid} valid), seed ${SEED}`);
  });

  it.each([
    {
      name: 'a huge grid',
      set: 'sweep={seeds: [1, 2], grid: {a: [1,2,3,4,5,6,7,8,9,10], b: [1,2,3,4,5,6,7,8,9,10], c: [1,2,3,4,5,6,7,8,9,10], d: [1,2,3,4,5,6,7,8,9,10]}}',
      message: /sweep: the sweep expands to 20,000 runs \(grid × seeds\); the limit is 10,000/,
    },
    { name: 'a billion synthetic samples', set: 'data.samples=1000000000', message: /data\.samples: 1000000000 samples would not fit in memory comfortably/ },
    {
      name: 'a model too large for memory',
      set: 'model.layers[0].dense.units=500000000',
      message: /needs about [\d.]+ GiB to train \(data [\d.]+ GiB\); the limit is 8\.0 GiB per worker \(raise it with --max-memory GIB\)/,
    },
  ])('refuses $name before training, with the numbers (exit 2)', ({ set, message }) => {
    const cwd = tempDir();
    const spec = join(cwd, 'spec.yaml');
    writeFileSync(
      spec,
      'name: big\ndata: {dataset: moons}\nmodel: {input_shape: [2], layers: [{dense: {units: 8, activation: relu}}, {dense: {units: 2, activation: softmax}}]}\ntrain: {optimizer: adam, loss: categorical_crossentropy}\n',
    );
    const r = runCli(['run', spec, '--set', set], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
