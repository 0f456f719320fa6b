import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadResults } from '../../src/pipeline/load-results.js';
import { NnlabError } from '../../src/shared/errors.js';
import { fixture, runCli, tempDir } from '../cli/run-cli.js';

const RUNS = Number(process.env.NNLAB_FUZZ_RUNS ?? 150);
const SEED = Number(process.env.NNLAB_FUZZ_SEED ?? 20261124);

const base = tempDir();
const made = runCli(['run', fixture('specs', 'tiny.yaml'), '--quiet'], base);
const results = join(base, 'results', 'tiny');
const files = (dir: string) => [
  'summary.json',
  ...readdirSync(join(dir, 'runs')).flatMap((id) => ['run.json', 'history.json', 'config.json'].map((f) => join('runs', id, f))),
];

const corruption = fc.tuple(
  fc.nat(),
  fc.constantFrom('truncate', 'garbage', 'future-version', 'drop-field', 'wrong-type'),
  fc.nat(),
  fc.constantFrom<unknown>(null, 'x', -1, [], {}, 1e308, true),
);

function corrupt(dir: string, [pick, how, at, value]: [number, string, number, unknown]): string {
  const list = files(dir);
  const file = list[pick % list.length]!;
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (how === 'truncate') writeFileSync(path, text.slice(0, at % text.length));
  else if (how === 'garbage') writeFileSync(path, '\u0000\u00ff not json');
  else {
    const doc = JSON.parse(text) as Record<string, unknown>;
    const keys = Object.keys(doc);
    const key = keys[at % keys.length]!;
    if (how === 'future-version') doc.format_version = 99;
    else if (how === 'drop-field') delete doc[key];
    else doc[key] = value;
    writeFileSync(path, JSON.stringify(doc));
  }
  return file;
}

describe('result files fuzzing', () => {
  it('reading a corrupted results directory either works or fails with one message naming the file', async () => {
    expect(made.code).toBe(0);
    let cases = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(corruption, async (c) => {
        const dir = join(tempDir(), 'tiny');
        cpSync(results, dir, { recursive: true });
        const file = corrupt(dir, c);
        cases++;
        try {
          await loadResults(dir);
        } catch (err) {
          refused++;
          expect(err).toBeInstanceOf(NnlabError);
          expect((err as Error).message).toContain(file.startsWith('runs') ? dir : 'summary.json');
          expect((err as Error).message).not.toMatch(/\n/);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(
      `results fuzz: ${cases} corrupted result sets (${refused} refused with a message, ${cases - refused} still readable: the damage was to a field reading does not need), seed ${SEED}`,
    );
  });

  it.each(['truncate', 'future-version', 'wrong-type'] as const)('report and diff exit 2 on a summary.json damaged by %s', (how) => {
    const dir = join(tempDir(), 'tiny');
    cpSync(results, dir, { recursive: true });
    corrupt(dir, [0, how, how === 'wrong-type' ? 999 : 7, 'x']);
    const damaged = readFileSync(join(dir, 'summary.json'), 'utf8');
    for (const args of [
      ['report', dir],
      ['diff', results, dir],
    ]) {
      const r = runCli(args, base);
      if (r.code === 0) continue; // a damage that leaves a readable summary (e.g. a changed question)
      expect(r.code, `${args[0]} on ${damaged.slice(0, 80)}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: Reading results .*summary\.json failed: /);
    }
  });
});
