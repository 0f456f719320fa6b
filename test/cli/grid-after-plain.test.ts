import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './in-process.js';
import { fixture, tempDir } from './run-cli.js';

describe('a grid run after a plain run of the same spec, into one results folder', () => {
  it('takes the earlier runs as the level their settings have, each training counted once', async () => {
    const cwd = tempDir();
    // tiny.yaml without its grid: one variant (hidden 8, dropout off), as an imported spec starts.
    const plain = readFileSync(fixture('specs', 'tiny.yaml'), 'utf8')
      .replace('"${hidden}"', '8')
      .replace('enabled: "${dropout}"', 'enabled: false')
      .replace(/  grid:\n(    .*\n)+/, '')
      .replace('report:\n  compare: dropout\n', '');
    writeFileSync(join(cwd, 'tiny.yaml'), plain);
    expect((await runInProcess(['run', join(cwd, 'tiny.yaml'), '--quiet'], cwd)).code).toBe(0);
    const grid = await runInProcess(
      [
        'run',
        join(cwd, 'tiny.yaml'),
        'model.layers[2].dropout.enabled=${dropout}',
        'sweep.grid.dropout=[false, true]',
        'report.compare=dropout',
        '--quiet',
        '--json',
      ],
      cwd,
    );
    expect(grid.code, grid.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(cwd, 'results', 'tiny', 'summary.json'), 'utf8'));
    expect(summary.factors).toEqual(['dropout']);
    // The plain runs are dropout=false's, the same trainings as the grid's: 2 seeds each, not 4.
    expect(summary.variants.map((v: { factors: unknown; runs: number }) => [v.factors, v.runs])).toEqual([
      [{ dropout: false }, 2],
      [{ dropout: true }, 2],
    ]);
    expect(summary.answer.join('\n')).not.toMatch(/=—/);
  });

  it('says when runs of other settings in the folder are pooled with the new ones, their settings made factors', async () => {
    const cwd = tempDir();
    const spec = fixture('specs', 'tiny.yaml');
    const first = await runInProcess(['run', spec, '--workers', '1'], cwd);
    expect(first.stderr).not.toContain('also holds runs');
    const shorter = await runInProcess(['run', spec, 'train.epochs=1', '--workers', '1'], cwd);
    expect(shorter.code, shorter.stderr).toBe(0);
    expect(shorter.stderr.replace(/\n +/g, ' ')).toContain(
      "note: results/tiny also holds runs with other settings than this spec's; they are summarized with train.epochs as a factor (--out DIR keeps sweeps apart)",
    );
  });
});
