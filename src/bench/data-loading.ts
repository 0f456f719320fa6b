import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';
import { createRng } from '../shared/rng.js';
import { timeProcess } from './cli-latency.js';

const FEATURES = 20;

/**
 * A CSV of `rows` samples: 20 features with five decimals and a 0/1 label that depends on the
 * first two (so training has something to learn), written in blocks so that the generator's memory
 * does not grow with the file. About 172 bytes a row, as in the files users bring.
 */
export function writeLargeCsv(path: string, rows: number, seed = 1): void {
  const rng = createRng(seed, 'large-csv');
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, [...Array.from({ length: FEATURES }, (_, j) => `f${j + 1}`), 'label'].join(',') + '\n');
    for (let start = 0; start < rows; start += 10_000) {
      const lines: string[] = [];
      for (let r = start; r < Math.min(rows, start + 10_000); r++) {
        const x = Array.from({ length: FEATURES }, () => rng.normal());
        lines.push(`${x.map((v) => v.toFixed(5)).join(',')},${x[0]! + x[1]! > 0 ? 1 : 0}`);
      }
      writeSync(fd, lines.join('\n') + '\n');
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Loading users' CSV files by size: `nnlab run` of four small runs on 2 workers (subset to 2,000
 * samples, so the loading is what is measured) on an empty dataset cache, which converts the file
 * once; then `nnlab validate` and the same sweep into a new results folder, which read the
 * conversion. Wall time and the peak memory of the largest process.
 */
export function benchDataLoading(): void {
  const cwd = mkdtempSync(join(tmpdir(), 'nnlab-bench-data-'));
  try {
    const head = ['rows', 'file MB', 'run, 4 runs\n(converts) s', 'peak MB', 'validate\n(cached) s', 'peak MB', 'run again\n(cached) s', 'peak MB'];
    const table = new Table({ head, style: { head: [], border: [] }, colAligns: head.map(() => 'right') });
    for (const rows of [10_000, 200_000, 1_000_000]) {
      const csv = join(cwd, `data-${rows}.csv`);
      writeLargeCsv(csv, rows);
      const spec = join(cwd, `data-${rows}.yaml`);
      writeFileSync(
        spec,
        [
          `name: data-${rows}`,
          `data: {dataset: csv, path: data-${rows}.csv, target: label, task: classification, samples: 2000}`,
          'model: {input_shape: [20], layers: [{dense: {units: 8, activation: relu}}, {dense: {units: 2, activation: softmax}}]}',
          'train: {optimizer: {adam: {learning_rate: 0.01}}, loss: sparse_categorical_crossentropy, epochs: 1, batch_size: 64}',
          'sweep: {seeds: [1, 2, 3, 4]}',
        ].join('\n') + '\n',
      );
      const env = { NNLAB_CACHE_DIR: join(cwd, `cache-${rows}`) };
      const first = timeProcess(['run', spec, '--quiet', '--workers', '2', '--out', `first-${rows}`], cwd, env);
      const validate = timeProcess(['validate', spec], cwd, env);
      const again = timeProcess(['run', spec, '--quiet', '--workers', '2', '--out', `again-${rows}`], cwd, env);
      const failed = [first, validate, again].find((r) => r.code !== 0);
      if (failed) throw new Error(`data loading bench: an nnlab command failed on ${rows} rows (exit ${failed.code})`);
      const s = (ms: number) => (ms / 1000).toFixed(1);
      table.push([
        rows.toLocaleString('en'),
        (statSync(csv).size / 1e6).toFixed(0),
        s(first.ms),
        first.peakMb.toFixed(0),
        s(validate.ms),
        validate.peakMb.toFixed(0),
        s(again.ms),
        again.peakMb.toFixed(0),
      ]);
      rmSync(csv);
    }
    console.log("\nUsers' CSV files (20 features + label): a sweep of 4 runs on 2 workers, validate, and the sweep again:");
    console.log(table.toString());
    console.log('(the first sweep parses the file once into the dataset cache, before its workers start; the rest read that conversion)');
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
