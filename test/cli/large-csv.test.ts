import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLargeCsv } from '../../src/bench/data-loading.js';
import { runInProcess } from './in-process.js';
import { tempDir } from './run-cli.js';

describe('a CSV of the size users have', () => {
  it('trains on 200,000 rows, converted once into the dataset cache that the next sweep reads', async () => {
    const cwd = tempDir();
    const cacheDir = join(cwd, 'cache');
    writeLargeCsv(join(cwd, 'big.csv'), 200_000);
    writeFileSync(
      join(cwd, 'big.yaml'),
      [
        'name: big',
        'data: {dataset: csv, path: big.csv, target: label, task: classification}',
        'model: {input_shape: [20], layers: [{dense: {units: 4, activation: relu}}, {dense: {units: 2, activation: softmax}}]}',
        'train: {optimizer: {adam: {learning_rate: 0.01}}, loss: sparse_categorical_crossentropy, epochs: 1, batch_size: 2048}',
        'sweep: {seeds: [1]}',
      ].join('\n') + '\n',
    );
    const first = await runInProcess(['run', join(cwd, 'big.yaml'), '--quiet', '--out', 'a'], cwd, { cacheDir });
    expect(first.code, first.stderr).toBe(0);
    // One conversion: 200,000 × 20 features and the labels as float32 and int32, behind a header.
    const cached = readdirSync(cacheDir).filter((f) => f.startsWith('user-data-'));
    expect(cached).toHaveLength(1);
    const file = join(cacheDir, cached[0]!);
    expect(statSync(file).size).toBeGreaterThan(200_000 * 21 * 4);
    const converted = statSync(file).mtimeMs;
    const summary = (dir: string) => JSON.parse(readFileSync(join(cwd, dir, 'summary.json'), 'utf8'));
    // The label is x1 + x2 > 0: one epoch of a small net learns most of it.
    expect(summary('a').variants[0].metrics.val_accuracy.final_mean).toBeGreaterThan(0.9);
    // The next sweep on the same file reads the conversion (not rewritten) and trains the same bytes.
    const again = await runInProcess(['run', join(cwd, 'big.yaml'), '--quiet', '--out', 'b'], cwd, { cacheDir });
    expect(again.code, again.stderr).toBe(0);
    expect(statSync(file).mtimeMs).toBe(converted);
    expect(readFileSync(join(cwd, 'b', 'summary.csv'), 'utf8')).toBe(readFileSync(join(cwd, 'a', 'summary.csv'), 'utf8'));
  }, 120_000);
});
