import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunsOnDisk } from '../../src/results/read-results-dir.js';
import { readSavedRun } from '../../src/results/read-run.js';
import { runDir, writeRunFiles } from '../../src/results/run-files.js';
import { failedRun, finishedRun } from '../../src/results/run-record.js';
import { historyColumns } from '../../src/shared/history-contract.js';
import { validateSpecText } from '../../src/spec/validate.js';
import { expandSweep } from '../../src/sweep/expand.js';

const spec = `name: r
data: {dataset: iris}
model: {input_shape: [4], layers: [{dense: {units: 3, activation: softmax}}]}
train: {optimizer: adam, loss: categorical_crossentropy, epochs: 2}
sweep: {seeds: [1, 2]}
`;
const [one, two] = expandSweep(validateSpecText(spec, 'r.yaml').value!).runs;
const env = { backend: 'wasm', kernels: 'test', versions: { nnlab: '0', tfjs: '0', node: '20' } };
const columns = historyColumns('classification', ['accuracy']);
const row = (epoch: number) => Object.fromEntries([['epoch', epoch], ...columns.map((c) => [c, 1 / 3 + epoch])]);
const trained = (run: typeof one) => ({
  id: run!.id,
  config: run!.config,
  ...finishedRun(
    run!.id,
    { status: 'ok', callbacks: {}, columns, history: [row(1), row(2)], engine: 'tfjs-layers', timings: { trainMs: 10, msPerStep: 1, samplesPerSecond: 100 } },
    env,
    new Date(0),
  ),
});
const dir = () => mkdtempSync(join(tmpdir(), 'nnlab-results-'));

describe('writeRunFiles', () => {
  it('returns what reading the files back gives: the numbers as written, rounded', async () => {
    const d = dir();
    const written = await writeRunFiles(d, trained(one));
    const read = await readSavedRun(d, one!.id);
    expect(read).toMatchObject({ seed: written.seed, columns: written.columns, history: written.history, record: written.record });
    expect(written.history[0]!.loss).toBe(1.33333);
  });
});

describe('failedRun', () => {
  it('records a failure with the columns the run would have had, however it failed', () => {
    const failed = failedRun(one!, 'out of memory', env, new Date(0));
    expect(failed.record).toMatchObject({ status: 'failed', message: 'out of memory', epochs_completed: 0, format_version: 1 });
    expect(failed.columns).toEqual(columns);
  });
});

describe('readRunsOnDisk', () => {
  it('reads finished runs, and names the unfinished and the outdated ones instead of using them', async () => {
    const d = dir();
    await writeRunFiles(d, trained(one));
    await writeRunFiles(d, trained(two));
    // An unfinished run: no run.json yet.
    rmSync(join(runDir(d, two!.id), 'run.json'));
    // An outdated run: its config hashes to another id (trained by an nnlab whose training differed).
    const stale = { ...trained(one), id: one!.id.replace(/-[0-9a-f]{10}$/, '-0000000000') };
    await writeRunFiles(d, stale);
    const found = await readRunsOnDisk(d);
    expect(found.runs.map((r) => r.id)).toEqual([one!.id]);
    expect(found.unfinished).toEqual([two!.id]);
    expect(found.outdated).toEqual([stale.id]);
  });

  it('refuses damaged files in strict mode, naming them, and leaves them out otherwise', async () => {
    const d = dir();
    await writeRunFiles(d, trained(one));
    const file = join(runDir(d, one!.id), 'history.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 20));
    expect((await readRunsOnDisk(d)).unfinished).toEqual([one!.id]);
    await expect(readRunsOnDisk(d, true)).rejects.toThrow(`Reading results ${file} failed: not valid JSON`);
  });
});
