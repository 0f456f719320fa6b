import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin', 'nnlab.js');
export const fixture = (...parts: string[]) => join(ROOT, 'test', 'fixtures', ...parts);
/** A Keras script: the seed questions' in examples/keras, the other styles in test/fixtures/keras. */
export const kerasScript = (name: string) =>
  existsSync(join(ROOT, 'examples', 'keras', name)) ? join(ROOT, 'examples', 'keras', name) : fixture('keras', name);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the built CLI as a user would, in `cwd`, without colours. A `run` trains with one worker unless
 * the test says otherwise (`--workers`, or `defaultWorkers` for one worker per core): the tests'
 * trainings take milliseconds, and each worker more is another TensorFlow.js start, about a second of
 * a core the other test files need.
 */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}, options: { defaultWorkers?: boolean } = {}): CliResult {
  const pinWorkers = args[0] === 'run' && !options.defaultWorkers && !args.some((a) => a === '--workers' || a.startsWith('--workers=') || a === '--');
  const r = spawnSync(process.execPath, [BIN, ...args, ...(pinWorkers ? ['--workers', '1'] : [])], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'nnlab-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every file under `dir` (relative path → bytes), optionally filtered. */
export function readTree(dir: string, keep: (path: string) => boolean = () => true): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (keep(relative(dir, full))) out.set(relative(dir, full), readFileSync(full, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

/**
 * A sweep small enough to train in seconds: iris, a hidden layer of `units` (a number or "${units}")
 * and dropout at "${rate}", compared along rate. `seeds` and `grid` are the sweep's, as YAML flow text.
 */
export function irisSweep(name: string, options: { seeds: string; grid: string; units?: string; epochs?: number; margins?: string }): string {
  return `name: ${name}
data: {dataset: iris}
model:
  input_shape: [4]
  layers: [{dense: {units: ${options.units ?? 8}, activation: relu}}, {dropout: {rate: "\${rate}"}}, {dense: {units: 3, activation: softmax}}]
train: {optimizer: {adam: {learning_rate: 0.01}}, loss: categorical_crossentropy, epochs: ${options.epochs ?? 3}, batch_size: 16}
sweep:
  seeds: ${options.seeds}
  grid: ${options.grid}
report:
  compare: rate
${options.margins ? `  margins: ${options.margins}\n` : ''}`;
}
