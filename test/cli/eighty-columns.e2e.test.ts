import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir } from './run-cli.js';

const WIDTH = 80;
const experiments = readdirSync(join(ROOT, 'experiments'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
/** Small enough to train every shipped experiment in seconds: two seeds, two epochs, 500 samples. */
const quick = ['sweep.seeds=[1,2]', 'train.epochs=2'];
const smaller = (spec: string) => (/dataset: (mnist|spam)/.test(spec) ? ['data.samples=500'] : []);

/**
 * A command as a user sees it in an 80-column terminal: run under a pseudo-terminal (script(1)),
 * stdout and stderr both on it, colour off. Returns the lines as drawn: escape sequences removed,
 * progress redraws (\r) split into the lines they were.
 */
function onTerminal(args: string[], cwd: string): { code: number | null; lines: string[] } {
  const command = `stty cols ${WIDTH} rows 50; exec ${[process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')}`;
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 240_000 });
  // eslint-disable-next-line no-control-regex
  const text = r.stdout.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
  return { code: r.status, lines: text.split(/\r?\n|\r/) };
}

describe('every command on every shipped experiment fits an 80-column terminal', () => {
  it('run, report, doctor, diff, ls, datasets, validate, import and --help', () => {
    const cwd = tempDir();
    const wide: string[] = [];
    const cut: string[] = [];
    const check = (args: string[], codes: number[]) => {
      const { code, lines } = onTerminal(args, cwd);
      expect(codes, `${args.join(' ')} exited ${code}:\n${lines.join('\n')}`).toContain(code);
      for (const line of lines) if ([...line].length > WIDTH) wide.push(`${args.slice(0, 2).join(' ')}: ${[...line].length}: ${line}`);
      // A finished run's line, wrapped or not, still ends with its seed, epochs and time.
      lines.forEach((line, i) => {
        if (!/^\[\d+\/\d+\] ok /.test(line)) return;
        let whole = line;
        for (let j = i + 1; j < lines.length && /^ {4}\S/.test(lines[j]!); j++) whole += ` ${lines[j]!.trim()}`;
        if (!/ seed=\d+ · \d+ epochs · \d+\.\ds$/.test(whole)) cut.push(whole);
      });
    };
    check(['--help'], [0]);
    for (const command of ['run', 'report', 'ls', 'validate', 'diff', 'doctor', 'datasets', 'import']) check([command, '--help'], [0]);
    check(['datasets'], [0]);
    for (const file of experiments) {
      const spec = join(ROOT, 'experiments', file);
      const sets = [...quick, ...smaller(readFileSync(spec, 'utf8'))];
      const dir = join('results', file.replace(/\.yaml$/, ''));
      check(['validate', spec, ...sets], [0]);
      check(['run', spec, ...sets], [0]);
      check(['report', dir], [0]);
      check(['doctor', dir], [0, 1]);
      check(['diff', dir, dir], [0]);
    }
    // Seeds until decided as the spec has them: the header says more rounds may follow.
    check(['run', join(ROOT, 'experiments', 'accuracy-drops.yaml'), 'train.epochs=2', 'sweep.seeds.min=2', 'sweep.seeds.max=4', '--out', 'adaptive'], [0]);
    check(['ls'], [0]);
    // An import with long unmapped lines, and one whose spec does not validate against the data (exit 2).
    check(['import', join(ROOT, 'test', 'fixtures', 'keras', 'unsupported-layers.py'), '--data', 'mnist'], [2]);
    check(['import', join(ROOT, 'examples', 'keras', 'overfitting-cnn.py'), '--data', 'mnist'], [2]);
    expect(wide).toEqual([]);
    expect(cut).toEqual([]);
  });
});
