import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readMnist } from '../../src/data/mnist.js';
import { idxBytes } from '../helpers/idx-bytes.js';
import { runInProcess } from './in-process.js';
import { tempDir } from './run-cli.js';

const csvSpec = (extra = '') => `name: flowers
data:
  dataset: csv
  path: data/flowers.csv
  target: species
  categorical: [colour]
  task: classification
  scale: standardize${extra}
model:
  input_shape: [5]
  layers:
    - dense: {units: 8, activation: relu}
    - dense: {units: 3, activation: softmax}
train:
  optimizer: {adam: {learning_rate: 0.02}}
  loss: categorical_crossentropy
  epochs: 15
  batch_size: 16
`;

/** Two classes of flowers told apart by petal length, a categorical colour that carries no signal. */
function flowersCsv(): string {
  const rows = ['petal_length,petal_width,colour,species'];
  const species = ['setosa', 'versicolor', 'virginica'];
  for (let i = 0; i < 90; i++)
    rows.push(`${1 + 2 * (i % 3) + (i % 7) / 10},${0.2 + (i % 3) * 0.8},${['red', 'blue', 'white'][i % 4 === 0 ? 0 : i % 2 ? 1 : 2]},${species[i % 3]}`);
  return `${rows.join('\n')}\n`;
}

/** The files converted here go to a cache of this file's own, not the project's. */
const cache = { cacheDir: tempDir('nnlab-cache-') };

describe('user data files', () => {
  it('trains on a CSV in the spec folder, with a categorical column one-hot encoded', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'exp', 'data'), { recursive: true });
    writeFileSync(join(cwd, 'exp', 'data', 'flowers.csv'), flowersCsv());
    writeFileSync(join(cwd, 'exp', 'flowers.yaml'), csvSpec());
    // Run from elsewhere: the data path is relative to the spec, not to the working directory.
    const r = await runInProcess(['run', join('exp', 'flowers.yaml'), '--json', '--workers', '1'], cwd, cache);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runs[0].status).toBe('ok');
    expect(out.runs[0].final.val_accuracy).toBeGreaterThan(0.9);
    const runs = join(cwd, 'results', 'flowers', 'runs');
    const [id] = readdirSync(runs);
    const config = JSON.parse(readFileSync(join(runs, id!, 'config.json'), 'utf8'));
    expect(config.data_files['data/flowers.csv']).toMatch(/^[0-9a-f]{64}$/);
    // Unchanged data: nothing to train. An edited file is new data: a new run, the old one kept.
    const again = await runInProcess(['run', join('exp', 'flowers.yaml'), '--workers', '1'], cwd, cache);
    expect(again.stdout + again.stderr).toContain('trained 0 runs');
    writeFileSync(join(cwd, 'exp', 'data', 'flowers.csv'), flowersCsv().replace('\n1,', '\n1.05,'));
    expect((await runInProcess(['run', join('exp', 'flowers.yaml'), '--quiet', '--workers', '1'], cwd, cache)).code).toBe(0);
    expect(readdirSync(runs)).toContain(id);
    expect(readdirSync(runs)).toHaveLength(2);
  });

  it('refuses a wrong column and a non-numeric cell with one located line and exit 2', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'data'));
    writeFileSync(join(cwd, 'data', 'flowers.csv'), flowersCsv().replace('\n3,', '\n3x,'));
    writeFileSync(join(cwd, 'wrong-column.yaml'), csvSpec().replace('target: species', 'target: specie'));
    writeFileSync(join(cwd, 'bad-cell.yaml'), csvSpec());
    const wrong = await runInProcess(['run', 'wrong-column.yaml', '--workers', '1'], cwd, cache);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      'wrong-column.yaml:5:11 data.target: Reading data/flowers.csv failed: no column "specie"; the header has "petal_length", "petal_width", "colour", "species".',
    );
    const bad = await runInProcess(['run', 'bad-cell.yaml', '--workers', '1'], cwd, cache);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^bad-cell\.yaml:4:9 data\.path: Reading data\/flowers\.csv failed: line \d+, column "petal_length": "3x" is not a number \(list the column in data\.categorical to one-hot encode it\)\.$/m,
    );
    for (const r of [wrong, bad]) expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(cwd, 'results'))).toBe(false);
  });

  it('trains on MNIST digits from gzipped IDX files, and refuses a corrupt header', async () => {
    const cwd = tempDir();
    const mnist = await readMnist();
    const count = 300;
    // The package stores the digits class by class: take every 33rd for all ten classes.
    const picked = Array.from({ length: count }, (_, i) => i * 33);
    const pixels = Uint8Array.from(picked.flatMap((i) => Array.from(mnist.x.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255))));
    writeFileSync(join(cwd, 'images.idx.gz'), gzipSync(idxBytes([count, 28, 28], pixels)));
    writeFileSync(
      join(cwd, 'labels.idx.gz'),
      gzipSync(
        idxBytes(
          [count],
          picked.map((i) => mnist.labels[i]!),
        ),
      ),
    );
    const spec = `name: digits
data: {dataset: idx, images: images.idx.gz, labels: labels.idx.gz}
model:
  input_shape: [28, 28, 1]
  layers: [{flatten: {}}, {dense: {units: 32, activation: relu}}, {dense: {units: 10, activation: softmax}}]
train: {optimizer: adam, loss: categorical_crossentropy, epochs: 3}
`;
    writeFileSync(join(cwd, 'digits.yaml'), spec);
    const r = await runInProcess(['run', 'digits.yaml', '--json', '--workers', '1'], cwd, cache);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).runs[0].final.val_accuracy).toBeGreaterThan(0.5);
    const corrupt = idxBytes([count, 28, 28], pixels);
    corrupt[7] = 0xff; // the image count, now 255 more than the data holds
    writeFileSync(join(cwd, 'images.idx.gz'), gzipSync(corrupt));
    const bad = await runInProcess(['run', 'digits.yaml', '--out', 'again', '--workers', '1'], cwd, cache);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^digits\.yaml:2:\d+ data\.images: Reading images\.idx\.gz failed: the header declares 511 × 28 × 28 unsigned bytes \(400624 bytes of data\) but the file has 235200 \(truncated\?\)\.$/m,
    );
  });
});
