import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './in-process.js';
import { tempDir } from './run-cli.js';

describe('nnlab datasets and a regression run', () => {
  const cwd = tempDir();

  it('lists every built-in dataset with shape, size and source', async () => {
    const r = await runInProcess(['datasets'], cwd);
    expect(r.code).toBe(0);
    for (const name of ['mnist', 'iris', 'moons', 'circles', 'spirals', 'xor', 'blobs', 'road-distance']) expect(r.stdout).toContain(name);
    const json = JSON.parse((await runInProcess(['datasets', '--json'], cwd)).stdout);
    expect(json.find((d: { name: string }) => d.name === 'iris')).toMatchObject({ task: 'classification', featureShape: [4], numClasses: 3, samples: 150 });
  });

  it('warns about a sigmoid output on metres, and records the collapsed predictions', async () => {
    const r = await runInProcess(
      [
        'run',
        join(import.meta.dirname, '..', '..', 'experiments', 'sigmoid-regression.yaml'),
        '--json',
        '--set',
        'sweep.seeds=[1]',
        '--set',
        'sweep.grid.batch=[32]',
        '--set',
        'sweep.grid.target=[none]',
        '--set',
        'train.epochs=3',
        '--workers',
        '1',
      ],
      cwd,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: model\.layers\[2\]: a sigmoid output is bounded, but road-distance targets range over 0–60000/);
    const doc = JSON.parse(r.stdout);
    const sigmoid = doc.runs.find((x: { factors: { output: string } }) => x.factors.output === 'sigmoid');
    expect(sigmoid.final.val_pred_std_ratio).toBeLessThan(0.01);
    const history = readFileSync(join(doc.results, 'runs', sigmoid.id, 'history.csv'), 'utf8');
    expect(history.split('\n')[0]).toBe('epoch,loss,mae,val_loss,val_mae,val_pred_std_ratio,val_mae_original,lr');
  });

  it.each([
    {
      name: 'accuracy on a regression dataset',
      sets: ['train.metrics=[accuracy]'],
      message: /train\.metrics: accuracy needs classes, but road-distance is a regression dataset/,
    },
    {
      name: 'cross-entropy on a regression dataset',
      sets: ['train.loss=categorical_crossentropy'],
      message: /train\.loss: road-distance is a regression dataset; expected loss mse or mae/,
    },
  ])('refuses $name (exit 2)', async ({ sets, message }) => {
    const r = await runInProcess(
      ['validate', join(import.meta.dirname, '..', '..', 'experiments', 'sigmoid-regression.yaml'), ...sets.flatMap((s) => ['--set', s])],
      cwd,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
