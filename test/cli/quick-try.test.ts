import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './in-process.js';
import { fixture, tempDir } from './run-cli.js';

/** tiny.yaml with a quantity at epoch 3 and an at_epochs of 2: what a one-epoch try cannot have. */
function specWithLaterEpochs(cwd: string): string {
  const text = readFileSync(fixture('specs', 'tiny.yaml'), 'utf8').replace(
    '  compare: dropout',
    '  compare: dropout\n  quantities: [loss at epoch 3, final val_accuracy]\n  at_epochs: [2]',
  );
  const file = join(cwd, 'later.yaml');
  writeFileSync(file, text);
  return file;
}

describe('a quick try with fewer epochs', () => {
  it('runs, leaving out what needs later epochs with one warning that says how to keep it', async () => {
    const cwd = tempDir();
    const spec = specWithLaterEpochs(cwd);
    const r = await runInProcess(['run', spec, 'train.epochs=1', '--quiet'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('warning'));
    expect(warnings).toEqual([
      '--set train.epochs=1 warning: train.epochs: "loss at epoch 3", report.at_epochs 2 left out: train.epochs is 1; to keep them, --set train.epochs=3',
    ]);
    const summary = JSON.parse(readFileSync(join(cwd, 'results', 'tiny', 'summary.json'), 'utf8'));
    expect(summary.comparisons.map((c: { quantity: string }) => c.quantity)).toEqual(['final val_accuracy']);
    expect(summary.variants[0].at_epochs).toEqual([]);
  });

  it('refuses nothing at the epochs the spec has: no warning', async () => {
    const cwd = tempDir();
    const r = await runInProcess(['validate', specWithLaterEpochs(cwd), 'train.epochs=3'], cwd);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('warning');
  });
});
