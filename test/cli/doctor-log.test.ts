import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './in-process.js';
import { fixture, kerasScript, tempDir } from './run-cli.js';

function withLogs(...names: string[]): string {
  const cwd = tempDir();
  for (const name of names) copyFileSync(fixture('keras-logs', name), join(cwd, name));
  return cwd;
}

describe('nnlab doctor on a Keras training log', () => {
  it('finds overfitting in a CSVLogger file without retraining, and says what only an nnlab run can judge', async () => {
    const cwd = withLogs('overfitting-csvlogger.csv');
    const r = await runInProcess(['doctor', 'overfitting-csvlogger.csv'], cwd);
    expect(r.code).toBe(1);
    const text = r.stdout.replace(/\n +/g, ' ');
    expect(text).toMatch(
      /^overfitting-csvlogger\.csv: a Keras CSVLogger log of 60 epochs, classification; settings: Keras' defaults assumed \(Adam at learning rate 0\.002, as logged, no callbacks\)\./,
    );
    expect(text).toContain('✗ overfitting seen: val_loss was lowest at epoch 8 (0.383) and rose to 0.572 by epoch 60');
    expect(text).toContain('would have stopped at epoch 13 and kept epoch 8');
    expect(text).toMatch(
      /Not judged from a log, because only an nnlab run records what they need — layer signals: saturated units, .*dead ReLUs.*; prediction spread: a collapsed output .*; class counts: validation classes unlike training\. To have them: nnlab import train\.py --data YOUR-DATA, nnlab run train\.yaml, then nnlab doctor results\/train\./,
    );
    // No nnlab spec to --set without the script: the change is said in words.
    expect(r.stdout).not.toContain('nnlab run YOUR');
    expect(r.stdout).not.toContain('--set');
  });

  it('judges the settings of the script that trained it, with --script, and names the spec import will write', async () => {
    const cwd = withLogs('overfitting-history.json');
    copyFileSync(kerasScript('overfitting-cnn.py'), join(cwd, 'train.py'));
    const r = await runInProcess(['doctor', 'overfitting-history.json', '--script', 'train.py', '--json'], cwd);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ format: 'history JSON', epochs: 60, task: 'classification', settings: { from: 'script', script: 'train.py' }, problems: true });
    expect(doc.findings.map((f: { code: string }) => f.code)).toEqual(['overfitting']);
    expect(doc.not_judged.map((g: { needs: string }) => g.needs)).toEqual(['layer signals', 'prediction spread', 'class counts']);
    const text = (await runInProcess(['doctor', 'overfitting-history.json', '--script', 'train.py'], cwd, { tty: 200 })).stdout;
    expect(text).toContain("nnlab run train.yaml --set 'train.callbacks.early_stopping={patience: 5, restore_best: true}'");
  });

  it('finds divergence in a history JSON with NaN, at the logged learning rate', async () => {
    const cwd = withLogs('diverged-history.json');
    const r = await runInProcess(['doctor', 'diverged-history.json', '--json'], cwd);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings[0]).toMatchObject({
      code: 'diverged',
      seen: 'the loss became NaN or infinite at epoch 6',
      why: expect.stringContaining('learning rate 0.5'),
    });
  });

  it('exits 0 on a healthy log', async () => {
    const cwd = tempDir();
    const loss = [1.2, 0.8, 0.6, 0.5, 0.45, 0.42];
    writeFileSync(join(cwd, 'log.csv'), ['epoch,loss,val_loss', ...loss.map((l, i) => `${i},${l},${l + 0.05}`)].join('\n') + '\n');
    const r = await runInProcess(['doctor', 'log.csv'], cwd);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('log.csv: no training pathologies found');
  });

  it('says what it could not judge: no validation columns, a learning rate it assumed', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'train-only.csv'),
      ['epoch,loss', ...[2.3026, 2.3025, 2.3026, 2.3025, 2.3026, 2.3025].map((l, i) => `${i},${l}`)].join('\n') + '\n',
    );
    const r = await runInProcess(['doctor', 'train-only.csv'], cwd);
    const text = r.stdout.replace(/\n +/g, ' ');
    expect(text).toContain('✗ flat-loss');
    expect(text).toContain(
      'The log has no validation columns (Keras logs them with validation_split or validation_data): overfitting and the other checks on validation curves could not be judged.',
    );
    expect(text).toContain("The learning rate in these findings is Keras' default, assumed: the log does not record it. --script train.py reads the script's.");
  });

  it('reads the last of several trainings in one console log, and the early stopping it printed', async () => {
    const cwd = tempDir();
    const epochs = (losses: number[]) =>
      losses.map((l, i) => `Epoch ${i + 1}/${losses.length}\n10/10 [====] - 0s - loss: ${l} - val_loss: ${l + 0.1}`).join('\n');
    writeFileSync(join(cwd, 'out.txt'), `${epochs([1, 0.9])}\n${epochs([1.2, 1, 0.8, 0.7, 0.65, 0.6])}\nEpoch 00006: early stopping\n`);
    const r = await runInProcess(['doctor', 'out.txt', '--json'], cwd);
    expect(JSON.parse(r.stdout)).toMatchObject({ epochs: 6, format: 'console' });
    const text = (await runInProcess(['doctor', 'out.txt'], cwd)).stdout.replace(/\n +/g, ' ');
    expect(text).toContain('early stopping at epoch 6, as logged');
    expect(text).toContain('The log holds 2 trainings (fit() output one after another); the last one is read.');
  });

  it('says a log that is not there is missing, as a log', async () => {
    const r = await runInProcess(['doctor', 'nope.csv'], tempDir());
    expect([r.code, r.stderr]).toEqual([2, 'error: Reading nope.csv failed: no such file; expected a results directory or a Keras training log.\n']);
  });

  it('refuses a damaged log and a binary file in one line (exit 2)', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'log.csv'), 'epoch,loss\n0,0.5\n1,oops\n');
    writeFileSync(join(cwd, 'model.h5'), Buffer.from([0x89, 0x48, 0x44, 0x46, 0, 0, 1]));
    const bad = await runInProcess(['doctor', 'log.csv'], cwd);
    expect([bad.code, bad.stderr]).toEqual([2, 'error: Reading log.csv:3 failed: loss is "oops", not a number.\n']);
    const binary = await runInProcess(['doctor', 'model.h5'], cwd);
    expect(binary.code).toBe(2);
    expect(binary.stderr).toMatch(/^error: Reading model\.h5 failed: it is a binary file; expected a CSVLogger file/);
  });
});
