import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './in-process.js';
import { BIN, ROOT, tempDir } from './run-cli.js';

const WIDTH = 80;
const experiments = readdirSync(join(ROOT, 'experiments'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
/** Small enough to train every shipped experiment in seconds: two seeds, two epochs, 500 samples. */
const quick = ['sweep.seeds=[1,2]', 'train.epochs=2'];
const smaller = (spec: string) => (/dataset: (mnist|spam)/.test(spec) ? ['data.samples=500'] : []);

/** Lines as drawn: escape sequences removed, progress redraws (\r) split into the lines they were. */
const drawn = (text: string) =>
  // eslint-disable-next-line no-control-regex
  text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').split(/\r?\n|\r/);

/**
 * A command as a user sees it in an 80-column terminal, through bin/nnlab.js under a real
 * pseudo-terminal (script(1)), stdout and stderr both on it, colour off: what proves the terminal's
 * width reaches the commands. The rest of the file drives them in-process at that width.
 */
function onPty(args: string[], cwd: string): { code: number | null; lines: string[] } {
  const command = `stty cols ${WIDTH} rows 50; exec ${[process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')}`;
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, lines: drawn(r.stdout) };
}

async function inTerminal(args: string[], cwd: string): Promise<{ code: number | null; lines: string[] }> {
  const r = await runInProcess(args, cwd, { tty: WIDTH });
  return { code: r.code, lines: [...drawn(r.stdout), ...drawn(r.stderr)] };
}

/** Lines wider than the terminal, and finished-run lines that lost their seed, epochs or time. */
function misfits(args: string[], lines: string[]): string[] {
  const found: string[] = [];
  for (const line of lines) if ([...line].length > WIDTH) found.push(`${args.slice(0, 2).join(' ')}: ${[...line].length}: ${line}`);
  // A finished run's line, wrapped or not, still ends with its seed, epochs and time.
  lines.forEach((line, i) => {
    if (!/^\[\d+\/\d+\] ok /.test(line)) return;
    let whole = line;
    for (let j = i + 1; j < lines.length && /^ {4}\S/.test(lines[j]!); j++) whole += ` ${lines[j]!.trim()}`;
    if (!/ seed=\d+ · \d+ epochs · \d+\.\ds$/.test(whole)) found.push(`cut: ${whole}`);
  });
  return found;
}

describe('every command on every shipped experiment fits an 80-column terminal', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = tempDir();
  });
  const check = async (args: string[], codes: number[]) => {
    const { code, lines } = await inTerminal(args, cwd);
    expect(codes, `${args.join(' ')} exited ${code}:\n${lines.join('\n')}`).toContain(code);
    expect(misfits(args, lines)).toEqual([]);
  };

  it('through a real pseudo-terminal: --help and a run', () => {
    for (const args of [['--help'], ['run', join(ROOT, 'experiments', 'sigmoid-regression.yaml'), ...quick, '--out', 'pty']]) {
      const { code, lines } = onPty(args, cwd);
      expect(code, lines.join('\n')).toBe(0);
      expect(misfits(args, lines)).toEqual([]);
      expect(lines.some((l) => [...l].length > 60)).toBe(true); // it drew something that needed the width
    }
  });

  it('--help of every command, and datasets', async () => {
    for (const command of ['run', 'report', 'ls', 'validate', 'diff', 'doctor', 'datasets', 'import']) await check([command, '--help'], [0]);
    await check(['datasets'], [0]);
  });

  for (const file of experiments) {
    it(`validate, run, report, doctor and diff on ${file}`, async () => {
      const spec = join(ROOT, 'experiments', file);
      const sets = [...quick, ...smaller(readFileSync(spec, 'utf8'))];
      const dir = join('results', file.replace(/\.yaml$/, ''));
      await check(['validate', spec, ...sets], [0]);
      await check(['run', spec, ...sets], [0]);
      await check(['report', dir], [0]);
      await check(['doctor', dir], [0, 1]);
      await check(['diff', dir, dir], [0]);
    });
  }

  it('seeds until decided as the spec has them: the header says more rounds may follow', async () => {
    await check(
      ['run', join(ROOT, 'experiments', 'accuracy-drops.yaml'), 'train.epochs=2', 'sweep.seeds.min=2', 'sweep.seeds.max=4', '--out', 'adaptive'],
      [0],
    );
  });

  it('ls of them all, and imports with long unmapped lines or a spec the data refuses (exit 2)', async () => {
    await check(['ls'], [0]);
    await check(['import', join(ROOT, 'test', 'fixtures', 'keras', 'unsupported-layers.py'), '--data', 'mnist'], [2]);
    await check(['import', join(ROOT, 'examples', 'keras', 'overfitting-cnn.py'), '--data', 'mnist'], [2]);
  });
});
