import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';

const BIN = fileURLToPath(new URL('../../bin/nnlab.js', import.meta.url));
const EXPERIMENTS = fileURLToPath(new URL('../../experiments/', import.meta.url));
const PEAK_PRELOAD = fileURLToPath(new URL('./peak-memory.js', import.meta.url));

/** One whole nnlab process: wall milliseconds, and its peak memory (MB, the largest of its processes). */
export function timeProcess(args: string[], cwd: string, env: Record<string, string> = {}): { ms: number; peakMb: number; code: number | null } {
  const peakFile = join(cwd, `.peak-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(peakFile, '');
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    stdio: 'ignore',
    env: { ...process.env, NO_COLOR: '1', ...env, NODE_OPTIONS: `--import=${PEAK_PRELOAD}`, NNLAB_BENCH_PEAK_FILE: peakFile },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const peaks = readFileSync(peakFile, 'utf8').split('\n').filter(Boolean).map(Number);
  rmSync(peakFile, { force: true });
  return { ms, peakMb: Math.max(0, ...peaks) / 1024, code: r.status };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * How long the CLI takes to answer commands that train nothing: whole-process wall time, median of
 * 5 runs each (the machine's speed drifts, so the spread is printed too). Goals: --version ≤ 150 ms,
 * ls / validate / diff ≤ 400 ms.
 */
export function benchCliLatency(): void {
  const cwd = mkdtempSync(join(tmpdir(), 'nnlab-bench-cli-'));
  try {
    const spec = join(EXPERIMENTS, 'accuracy-drops.yaml');
    const small = ['sweep.seeds=[1]', 'train.epochs=3', '--quiet'];
    timeProcess(['run', spec, ...small, '--out', 'a'], cwd);
    timeProcess(['run', spec, ...small, '--out', 'b'], cwd);
    const commands: Array<[string, string[]]> = [
      ['nnlab --version', ['--version']],
      ['nnlab ls', ['ls', '.']],
      ['nnlab validate', ['validate', join(EXPERIMENTS, 'bn-vs-nobn.yaml')]],
      ['nnlab diff A B', ['diff', 'a', 'b']],
      ['nnlab diff A B --cross-machine', ['diff', 'a', 'b', '--cross-machine']],
    ];
    console.log('\nCLI latency: whole-process wall time, 5 runs each, interleaved (ms):');
    const samples = commands.map(() => [] as number[]);
    for (let round = 0; round < 5; round++) commands.forEach(([, args], i) => samples[i]!.push(timeProcess(args, cwd).ms));
    const table = new Table({ head: ['command', 'median', 'min–max'], style: { head: [], border: [] }, colAligns: ['left', 'right', 'right'] });
    commands.forEach(([name], i) =>
      table.push([name, median(samples[i]!).toFixed(0), `${Math.min(...samples[i]!).toFixed(0)}–${Math.max(...samples[i]!).toFixed(0)}`]),
    );
    console.log(table.toString());
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/**
 * The output stage at 20 and at 2,000 epochs (accuracy-drops, one seed, 8 runs): the run's peak
 * memory (largest process), then nnlab report's time (median of 3) and peak memory, and the size
 * of report.html. It must grow with runs × epochs, no faster.
 */
export function benchOutputStage(): void {
  console.log('\nOutput stage: accuracy-drops, one seed (8 runs), at 20 and 2,000 epochs:');
  const table = new Table({
    head: ['epochs', 'run: s', 'run: peak MB', 'report: s (median of 3)', 'report: peak MB', 'report.html MB'],
    style: { head: [], border: [] },
    colAligns: ['right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const epochs of [20, 2000]) {
    const cwd = mkdtempSync(join(tmpdir(), 'nnlab-bench-output-'));
    try {
      const run = timeProcess(['run', join(EXPERIMENTS, 'accuracy-drops.yaml'), 'sweep.seeds=[1]', `train.epochs=${epochs}`, '--quiet', '--out', 'out'], cwd);
      const reports = [0, 1, 2].map(() => timeProcess(['report', 'out'], cwd));
      const html = readFileSync(join(cwd, 'out', 'report.html')).length / 1024 ** 2;
      table.push([
        epochs,
        (run.ms / 1000).toFixed(1),
        run.peakMb.toFixed(0),
        (median(reports.map((r) => r.ms)) / 1000).toFixed(2),
        Math.max(...reports.map((r) => r.peakMb)).toFixed(0),
        html.toFixed(2),
      ]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }
  console.log(table.toString());
}
