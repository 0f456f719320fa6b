import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runInProcess } from './in-process.js';
import { fixture, kerasScript, tempDir } from './run-cli.js';

/** A folder holding a Keras script (from the fixtures, or given as text) and, optionally, numpy files. */
function workspace(script: string, text?: string, data: string[] = []): string {
  const cwd = tempDir();
  if (text === undefined) copyFileSync(kerasScript(script), join(cwd, script));
  else writeFileSync(join(cwd, script), text);
  for (const file of data) copyFileSync(fixture('numpy', file), join(cwd, file));
  return cwd;
}

const blobsScript = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

data = np.load('blobs.npz')
model = keras.Sequential([layers.Dense(16, activation='relu', input_shape=(4,)), layers.Dense(3, activation='softmax')])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(data['features'], data['labels'], epochs=5, batch_size=16, validation_split=0.25)
`;

describe('nnlab import', () => {
  it('writes a spec that validates, each entry commented with its line, and says what to do next', async () => {
    const cwd = workspace('bn-vs-nobn.py');
    const r = await runInProcess(['import', 'bn-vs-nobn.py', '--data', 'mnist'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^wrote bn-vs-nobn\.yaml: 7 layers, 2 things not mapped \(listed at its top, with their lines\)\n/);
    expect(r.stderr).toMatch(/^ {2}bn-vs-nobn\.py:14 Dense\(kernel_initializer=init_2\): init_2 is not a value nnlab can read/m);
    expect(r.stderr).toMatch(/next: write your question in it, then nnlab run bn-vs-nobn\.yaml\n$/);
    const text = readFileSync(join(cwd, 'bn-vs-nobn.yaml'), 'utf8');
    expect(text).toMatch(/^# Imported from bn-vs-nobn\.py by nnlab import/);
    expect(text).toMatch(/^ {4}- batch_norm: \{\} # bn-vs-nobn\.py:15$/m);
    expect(parse(text)).toMatchObject({ name: 'bn-vs-nobn', data: { dataset: 'mnist' }, train: { epochs: 30, batch_size: 64 } });
    expect((await runInProcess(['validate', join(cwd, 'bn-vs-nobn.yaml')], cwd)).code).toBe(0);
  });

  it('refuses to replace a spec unless --force, leaving it as it was', async () => {
    const cwd = workspace('star-import.py');
    writeFileSync(join(cwd, 'star-import.yaml'), 'mine\n');
    const r = await runInProcess(['import', 'star-import.py'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: Writing star-import.yaml failed: it exists; nothing was changed. Name another file with -o, or pass --force to replace it.\n',
    );
    expect(readFileSync(join(cwd, 'star-import.yaml'), 'utf8')).toBe('mine\n');
    expect((await runInProcess(['import', 'star-import.py', '--force'], cwd)).code).toBe(0);
    expect(readFileSync(join(cwd, 'star-import.yaml'), 'utf8')).toMatch(/^# Imported from star-import\.py/);
  });

  it('exits 2 naming the line that loads data it cannot follow, and the flag to pass; no spec is written', async () => {
    const cwd = workspace('train.py', blobsScript);
    const r = await runInProcess(['import', 'train.py'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: Importing train.py failed: train.py:5 loads the data (np.load('blobs.npz')), which nnlab cannot follow without running the script; pass it with --data FILE (CSV, .npy or .npz) or a built-in dataset (--data mnist; see nnlab datasets).\n",
    );
    expect(existsSync(join(cwd, 'train.yaml'))).toBe(false);
  });

  it('imports onto a .npz, then the spec trains', async () => {
    const cwd = workspace('train.py', blobsScript, ['blobs.npz']);
    const r = await runInProcess(['import', 'train.py', '--data', 'blobs.npz', '-o', 'specs/blobs.yaml'], cwd);
    expect(r.code, r.stderr).toBe(0);
    // The spec's data path is relative to the spec's folder, as every path in a spec is.
    const spec = parse(readFileSync(join(cwd, 'specs', 'blobs.yaml'), 'utf8'));
    expect(spec.data).toMatchObject({
      dataset: 'npz',
      path: '../blobs.npz',
      x: 'features',
      y: 'labels',
      task: 'classification',
      validation_split: 0.25,
      split: 'tail',
    });
    const run = await runInProcess(['run', join(cwd, 'specs', 'blobs.yaml'), '--quiet', '--set', 'sweep.seeds=[1]'], cwd);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(cwd, 'results', 'blobs', 'summary.json'), 'utf8'));
    expect(summary.variants[0].metrics.val_accuracy.final_mean).toBeGreaterThan(0.8);
  });

  it('takes two .npy files as features and labels', async () => {
    const cwd = workspace('train.py', blobsScript.replace("np.load('blobs.npz')", "np.load('blobs-x.npy')"), ['blobs-x.npy', 'blobs-y.npy']);
    const r = await runInProcess(['import', 'train.py', '--data', 'blobs-x.npy', '--data', 'blobs-y.npy'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(parse(readFileSync(join(cwd, 'train.yaml'), 'utf8')).data).toMatchObject({ dataset: 'npy', x: 'blobs-x.npy', y: 'blobs-y.npy' });
    const one = await runInProcess(['import', 'train.py', '--data', 'blobs-x.npy', '--force'], cwd);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/^error: Reading --data failed: \.npy data is two files, features then labels/);
  });

  it('writes the spec and exits 2 when it does not validate against the data, naming what to fix', async () => {
    const cwd = workspace('iris-sklearn.py');
    const r = await runInProcess(['import', 'iris-sklearn.py', '--data', 'mnist'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^iris-sklearn\.yaml:\d+:\d+ model\.input_shape: mnist samples have shape \[28, 28, 1\]/m);
    expect(r.stderr).toMatch(/iris-sklearn\.yaml does not validate yet: fix what is named above, then nnlab run iris-sklearn\.yaml\n$/);
    // Without --data the script's own load_iris() is the built-in iris, and it validates.
    expect((await runInProcess(['import', 'iris-sklearn.py', '--force'], cwd)).code).toBe(0);
  });

  it('imports model.to_json() output given the data', async () => {
    const cwd = tempDir();
    copyFileSync(fixture('keras', 'cnn-model.json'), join(cwd, 'model.json'));
    const r = await runInProcess(['import', 'model.json', '--data', 'mnist'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'model.yaml'), 'utf8')).toMatch(/epochs: 10 # model.to_json\(\) holds no training settings: an assumption, check it/);
    const without = await runInProcess(['import', 'model.json', '-o', 'other.yaml'], cwd);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/^error: Importing model\.json failed: model\.to_json\(\) says nothing about the data; pass --data FILE/);
  });

  it("writes the spec but exits 2 when it is not the script's model, saying so", async () => {
    const cwd = workspace('unsupported-layers.py');
    const r = await runInProcess(['import', 'unsupported-layers.py', '--data', 'mnist'], cwd);
    expect(r.code).toBe(2);
    expect(existsSync(join(cwd, 'unsupported-layers.yaml'))).toBe(true);
    expect(r.stderr.replace(/\n +/g, ' ')).toMatch(
      /unsupported-layers\.yaml is not the script's model: 3 parts of it could not be mapped \(above\)|does not validate yet/,
    );
  });

  it.each([
    [
      'a syntax error',
      'broken.py',
      'import keras\nmodel = keras.Sequential([\n  keras.layers.Dense(3)\nmodel.fit(x, y\n',
      /^error: Reading broken\.py:\d+ failed: not valid Python there \(a syntax error: if Python runs it, nnlab's parser cannot read this line; write it another way\); nothing was written\.$/m,
    ],
    ['a script without a model', 'plain.py', 'x = 1\nprint(x)\n', /^error: Importing plain\.py failed: no Keras model found in it/],
  ])('writes nothing for %s (exit 2)', async (_, file, text, message) => {
    const cwd = workspace(file, text);
    const r = await runInProcess(['import', file, '--data', 'iris'], cwd);
    expect([r.code, r.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(cwd, file.replace('.py', '.yaml')))).toBe(false);
  });

  it('never writes over its own inputs, even with --force', async () => {
    const cwd = workspace('train.py', blobsScript, ['blobs.npz']);
    for (const target of ['train.py', 'blobs.npz']) {
      const r = await runInProcess(['import', 'train.py', '--data', 'blobs.npz', '-o', target, '--force'], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is one of this command's own inputs/);
    }
    expect(readFileSync(join(cwd, 'train.py'), 'utf8')).toBe(blobsScript);
  });

  it.each([
    ['a file that is not there', 'missing.py', undefined, /^error: Reading missing\.py failed: no such file; expected a Keras training script/],
    ['a folder', '.', undefined, /^error: Reading \. failed: it is a folder/],
    ['JSON that is not JSON', 'model.json', '{"class_name": "Sequential", "config": {', /^error: Reading model\.json failed: not JSON \(/],
    [
      'a saved model',
      'model.h5',
      '\u0089HDF\r\n\u001a\n\u0000\u0000',
      /^error: Reading model\.h5 failed: it is a binary file \(a saved model\?\); nnlab import reads a training script/,
    ],
    ['a data file of another kind', 'train.py', blobsScript, /^error: Reading notes\.txt failed: nnlab reads data from \.csv, \.npz and \.npy files/],
    [
      'a dataset nnlab does not have',
      'cifar.py',
      blobsScript,
      /^error: Reading --data cifar10 failed: not a built-in dataset \(nnlab datasets lists them: mnist, /,
    ],
  ])('refuses %s in one line (exit 2)', async (_, file, text, message) => {
    const cwd = tempDir();
    if (text !== undefined) writeFileSync(join(cwd, file), text);
    writeFileSync(join(cwd, 'notes.txt'), 'hello\n');
    const r = await runInProcess(
      [
        'import',
        file,
        ...(file === 'train.py' ? ['--data', 'notes.txt'] : file === 'cifar.py' ? ['--data', 'cifar10'] : file === 'model.json' ? ['--data', 'mnist'] : []),
      ],
      cwd,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
