import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, type InProcessResult } from './in-process.js';
import { fixture, tempDir } from './run-cli.js';

// The seed question's regression net in small: a sigmoid output on distances in metres.
const spec = `name: saturating
data: {dataset: road-distance, samples: 300, scale: standardize}
model:
  input_shape: [4]
  layers:
    - dense: {units: 32, activation: relu}
    - dense: {units: 1, activation: sigmoid}
train: {optimizer: {adam: {learning_rate: 0.05}}, loss: mse, metrics: [mae], batch_size: 32, epochs: 8}
sweep: {seeds: [1, 2]}
`;

describe('per-layer signals', () => {
  const cwd = tempDir();
  const runs = join(cwd, 'results', 'saturating', 'runs');
  let run: InProcessResult;
  beforeAll(async () => {
    writeFileSync(join(cwd, 'saturating.yaml'), spec);
    run = await runInProcess(['run', 'saturating.yaml', '--quiet', '--workers', '1'], cwd);
  });

  it('records layers.csv per run, and the doctor quotes the saturated output layer from it', async () => {
    expect(run.code, run.stderr).toBe(0);
    for (const id of readdirSync(runs)) expect(readFileSync(join(runs, id, 'layers.csv'), 'utf8')).toMatch(/^8,1,dense,saturated_share,1$/m);
    const doctor = await runInProcess(['doctor', 'results/saturating'], cwd);
    expect(doctor.stdout).toMatch(/saturated-units \(2\/2 runs\)/);
    expect(doctor.stdout.replace(/\s+/g, ' ')).toMatch(
      /layer 1 \(dense, sigmoid\): 100 % of its outputs on the probe batch are saturated at epoch 8 \(pre-activations [\d.]+ ± [\d.]+;/,
    );
    expect(doctor.stdout).toContain("--set 'model.layers[1].dense.activation=linear'");
  });

  it('are left out with train.layer_signals: false, and the rest of the run is the same', async () => {
    const off = await runInProcess(['run', 'saturating.yaml', '--quiet', '--out', 'off', '--set', 'train.layer_signals=false', '--workers', '1'], cwd);
    expect(off.code, off.stderr).toBe(0);
    const offRuns = join(cwd, 'off', 'runs');
    const ids = readdirSync(offRuns);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(existsSync(join(offRuns, id, 'layers.csv'))).toBe(false);
    const histories = (dir: string) =>
      readdirSync(dir)
        .map((id) => readFileSync(join(dir, id, 'history.csv'), 'utf8'))
        .sort();
    expect(histories(offRuns)).toEqual(histories(runs));
  });

  it('on a conv net (trained through tfjs-layers) leave training unchanged too', async () => {
    const cnn = fixture('specs', 'tiny-cnn.yaml');
    const on = await runInProcess(['run', cnn, '--quiet', '--out', 'cnn-on', '--workers', '1'], cwd);
    const off = await runInProcess(['run', cnn, '--quiet', '--out', 'cnn-off', '--set', 'train.layer_signals=false', '--workers', '1'], cwd);
    expect(on.code, on.stderr).toBe(0);
    expect(off.code, off.stderr).toBe(0);
    const history = (out: string) => {
      const dir = join(cwd, out, 'runs');
      return readdirSync(dir).map((id) => readFileSync(join(dir, id, 'history.csv'), 'utf8'));
    };
    expect(history('cnn-off')).toEqual(history('cnn-on'));
    const dir = join(cwd, 'cnn-on', 'runs');
    for (const id of readdirSync(dir)) expect(readFileSync(join(dir, id, 'layers.csv'), 'utf8')).toMatch(/^3,0,conv2d,grad_norm,[\d.e-]+$/m);
  });
});
