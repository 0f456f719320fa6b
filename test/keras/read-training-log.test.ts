import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrainingLog } from '../../src/keras/read-training-log.js';
import { NnlabError } from '../../src/shared/errors.js';
import { createRng } from '../../src/shared/rng.js';

const LOGS = join(import.meta.dirname, '..', 'fixtures', 'keras-logs');
const read = (name: string) => readTrainingLog(readFileSync(join(LOGS, name), 'utf8'), name);

describe('a Keras training log as a history', () => {
  it('reads the same curves from CSVLogger, history JSON and the console output of fit()', () => {
    const csv = read('overfitting-csvlogger.csv');
    const json = read('overfitting-history.json');
    const text = read('overfitting-console.txt');
    expect([csv.format, json.format, text.format]).toEqual(['CSVLogger', 'history JSON', 'console']);
    for (const log of [csv, json, text]) {
      expect(log.rows).toHaveLength(60);
      expect(log.task).toBe('classification');
      // CSVLogger counts epochs from 0; nnlab from 1.
      expect(log.rows[7]).toMatchObject({ epoch: 8, val_loss: expect.closeTo(0.383, 3), val_accuracy: expect.closeTo(0.89, 2) });
    }
    // acc and val_acc (Keras 2.2's names) are accuracy and val_accuracy.
    expect(Object.keys(json.rows[0]!).sort()).toEqual(['accuracy', 'epoch', 'loss', 'val_accuracy', 'val_loss']);
    expect(csv.rows[0]!.lr).toBe(0.002);
  });

  it('reads ; separated CSVLogger files and the long metric names, as regression', () => {
    const log = read('flat-regression.csv');
    expect(log).toMatchObject({ task: 'regression', ignored: [] });
    expect(log.rows[0]).toEqual({ epoch: 1, loss: 625171000, mae: 22539.1, val_loss: 616666000, val_mae: 21985.7 });
  });

  it('ends the history before the loss first became NaN (as Python writes it), and says when', () => {
    const log = read('diverged-history.json');
    expect(log.divergedEpoch).toBe(6);
    expect(log.rows.map((r) => r.loss)).toEqual([2.302, 1.874, 3.951, 48.72, 2291.5]);
    // Infinity in a validation column is not finite: null, as nnlab's own histories have it.
    expect(log.rows[4]!.val_loss).toBeNull();
  });

  it("reads nnlab's own history.json: a list of rows", () => {
    const log = readTrainingLog(
      '[{"epoch": 1, "loss": 1.5, "val_loss": 1.6, "lr": 0.01}, {"epoch": 2, "loss": 1.2, "val_loss": null, "lr": 0.01}]',
      'history.json',
    );
    expect(log.rows).toEqual([
      { epoch: 1, loss: 1.5, val_loss: 1.6, lr: 0.01 },
      { epoch: 2, loss: 1.2, val_loss: null, lr: 0.01 },
    ]);
  });

  it('lists the columns it has no name for instead of guessing', () => {
    const log = readTrainingLog('{"loss": [1, 0.5], "auc": [0.6, 0.7], "val_loss": [1.1, 0.9]}', 'h.json');
    expect(log.ignored).toEqual(['auc']);
    expect(log.task).toBe('regression');
  });

  it.each([
    ['an empty file', '', /^Reading log failed: it is empty/],
    ['JSON that is no history', '[1, 2]', /^Reading log failed: expected a JSON object of lists/],
    ['rows with text in them', '[{"epoch": 1, "loss": "x"}]', /^Reading log failed: epoch 1's "loss" is not a number\./],
    ['a metric that is no list of numbers', '{"loss": "low"}', /"loss" is not a list of numbers/],
    ['broken JSON', '{"loss": [1, 2', /^Reading log failed: not JSON/],
    ['a CSV without a loss column', 'a,b\n1,2\n', /^Reading log:1 failed: its first line \(a,b\) names no "loss" column/],
    ['a ragged CSV row', 'epoch,loss\n0,1\n1,2,3\n', /^Reading log:3 failed: 3 cells where the header has 2\./],
    ['a cell that is no number', 'epoch,loss\n0,1\n1,low\n', /^Reading log:3 failed: loss is "low", not a number\./],
    ['console output without a loss', 'Epoch 1/3\nhello\n', /^Reading log failed: no epoch with a "loss: …" line/],
  ])('refuses %s in one located line', (_, text, message) => {
    expect(() => readTrainingLog(text, 'log')).toThrow(message);
  });

  it('ends damaged logs in a located one-line error or a history, never anything else (1,500 damages)', () => {
    const rng = createRng(5, 'log-fuzz');
    const sources = ['overfitting-csvlogger.csv', 'overfitting-history.json', 'overfitting-console.txt', 'diverged-history.json', 'flat-regression.csv'].map(
      (n) => readFileSync(join(LOGS, n), 'utf8'),
    );
    const pieces = [',', ';', '\n', '"', '{', '}', '[', ']', 'NaN', '-inf', 'nan', 'Epoch 1/2', 'loss: ', '1e999', ''];
    for (let i = 0; i < 1500; i++) {
      let text = sources[i % sources.length]!;
      for (let k = 0; k < 1 + rng.int(3); k++) {
        const at = rng.int(text.length + 1);
        const kind = rng.int(3);
        text =
          kind === 0
            ? text.slice(0, at) + text.slice(at + 1 + rng.int(20))
            : kind === 1
              ? text.slice(0, at) + pieces[rng.int(pieces.length)] + text.slice(at)
              : text.slice(0, at);
      }
      try {
        const log = readTrainingLog(text, 'log');
        for (const row of log.rows) for (const v of Object.values(row)) expect(v === null || Number.isFinite(v)).toBe(true);
      } catch (err) {
        expect(err, String(err)).toBeInstanceOf(NnlabError);
        expect((err as Error).message).toMatch(/^Reading log(:\d+)? failed: [^\n]+$/);
      }
    }
  });
});
