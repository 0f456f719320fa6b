/**
 * `npm run bench`: measured figures, side by side in one run, reported as ratios.
 *  1. Training speed of the seed MLP per path (stock tfjs wasm, nnlab's paths).
 *  2. The small CNN of overfitting-cnn.yaml: wasm (with nnlab's conv filter gradient) vs the cpu backend.
 *  3. Wall-clock speed-up of 2 workers over 1 on a sweep of 8 small runs.
 * Each measurement runs in a fresh process so kernels and caches do not leak between them.
 *  4. The default sweep end to end, nnlab against the same grid in PyTorch, 2 processes each.
 *  5. What recording the per-layer signals costs: the seed MLP with them and without.
 *  6. What packing a variant's seeds into one training step could save: its kernel calls' fixed cost.
 *  7. How soon the CLI answers commands that train nothing (--version, ls, validate, diff).
 *  8. The output stage (summary, report.html) at 20 and 2,000 epochs: time, peak memory, page size.
 *  9. Users' CSV files of 10,000 to 1,000,000 rows: validate and a small sweep, time and peak memory.
 * 10. nnlab against PyTorch, interleaved pairs: the seed MLP (MNIST and standardized) and the CNN, as ratios.
 * Options: --only speed|pytorch|cnn|workers|sweep|layers|packing|cli|output|data. Each part's output also
 * goes into docs/benchmarks.md under its own heading (bench-doc.ts).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import type { DispatchResult, SpeedCase, SpeedResult } from './training-speed.js';
import type { GemmRow } from './gemm-speed.js';
import { NATIVE_ADDON_PATH } from '../train/kernels/addon-path.js';
import { loadNativeBlas } from '../train/kernels/native-matmul.js';
import { benchCliLatency, benchOutputStage } from './cli-latency.js';
import { benchDataLoading } from './data-loading.js';
import { recordSection } from './bench-doc.js';

const SELF = fileURLToPath(import.meta.url);
const BIN = fileURLToPath(new URL('../../bin/nnlab.js', import.meta.url));

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--case' || args[0] === '--dispatch') {
    const { measureTrainingSpeed, measureDispatch } = await import('./training-speed.js');
    const measure = args[0] === '--case' ? measureTrainingSpeed : measureDispatch;
    process.stdout.write(JSON.stringify(await measure(JSON.parse(args[1]!) as SpeedCase)));
    return;
  }
  if (args[0] === '--augment') {
    const { measureAugmentation } = await import('./training-speed.js');
    process.stdout.write(JSON.stringify(await measureAugmentation(JSON.parse(args[1]!) as SpeedCase)));
    return;
  }
  if (args[0] === '--gemm') {
    const { measureGemm } = await import('./gemm-speed.js');
    process.stdout.write(JSON.stringify(await measureGemm()));
    return;
  }
  if (args[0] === '--export') {
    const { exportCaseData } = await import('./training-speed.js');
    return exportCaseData(JSON.parse(args[1]!) as SpeedCase, args[2]!);
  }
  const only = args[0] === '--only' ? args[1] : undefined;
  const parts: Array<[name: string, title: string, part: () => void | Promise<void>]> = [
    ['speed', "The seed MLP on each of nnlab's paths", benchTrainingSpeed],
    ['pytorch', 'nnlab against PyTorch, interleaved', benchAgainstPyTorch],
    ['cnn', 'The small CNN on each path, and what augmentation costs', benchCnn],
    ['gemm', 'Matrix products: GFLOPS against OpenBLAS', benchGemm],
    ['workers', 'Workers', benchWorkers],
    ['sweep', 'The default sweep, start to finish', benchSweep],
    ['layers', 'What the per-layer signals cost', benchLayerSignals],
    ['packing', "Packing a variant's seeds into one step", benchPacking],
    ['cli', 'How soon the CLI answers', benchCliLatency],
    ['output', 'The output stage at 20 and 2,000 epochs', benchOutputStage],
    ['data', "Users' CSV files, 10,000 to 1,000,000 rows", benchDataLoading],
  ];
  if (only && !parts.some(([name]) => name === only)) throw new Error(`--only takes one of ${parts.map(([name]) => name).join(', ')}`);
  for (const [name, title, part] of parts) if (!only || only === name) await recordSection(name, title, part);
}

/**
 * Packing S seeds of a variant into one step would make one kernel call where S runs make S: the
 * arithmetic stays S runs' worth (each run has its own weights, batch order, dropout masks and
 * batch-norm statistics), so what it could save is (S−1)/S of each call's fixed cost. Here: the
 * dense engine's calls per step of the seed MLP, priced as calls on one-value operands, against the
 * step's time. Signals off: they are per run either way.
 */
function benchPacking(): void {
  const seeds = 5;
  const paths: Array<{ label: string; c: Pick<SpeedCase, 'backend' | 'stockKernels' | 'native'> }> = [
    ...(nativeAvailable() ? [{ label: 'native', c: { backend: 'wasm' as const, stockKernels: false, native: true } }] : []),
    { label: 'WebAssembly', c: { backend: 'wasm', stockKernels: false, native: false } },
  ];
  console.log(`\nSeed packing: what ${seeds} packed runs could share, the fixed cost of their kernel calls (ms/step best of 3):`);
  const head = ['path', 'H', 'BN', 'ms/step', 'kernel calls\nper step', 'their fixed\ncost, µs', `packing ${seeds} seeds\nsaves at most`];
  const table = new Table({ head, style: { head: [], border: [] }, colAligns: head.map((_, i) => (i < 3 ? 'left' : 'right')) });
  for (const { label, c } of paths) {
    for (const hidden of [5, 100, 1024]) {
      for (const bn of [false, true]) {
        const step = runCase({ ...c, hidden, bn, layerSignals: false });
        const { callsPerStep, dispatchUsPerStep } = runChild<DispatchResult>('--dispatch', { ...c, hidden, bn });
        const saved = (((seeds - 1) / seeds) * dispatchUsPerStep) / (step.msPerStep * 1000);
        table.push([
          label,
          hidden,
          bn ? 'on' : 'off',
          step.msPerStep.toFixed(3),
          callsPerStep.toFixed(0),
          dispatchUsPerStep.toFixed(1),
          `${(saved * 100).toFixed(1)} %`,
        ]);
      }
    }
  }
  console.log(table.toString());
}

/**
 * What the per-layer signals cost the seed MLP on the fastest path here: the recorder's own time as
 * a share of the training time (timed inside the same runs), and beside it runs without signals.
 * Step times on this kind of machine drift by ±20 % between processes, so the share is the figure.
 */
function benchLayerSignals(): void {
  const path: Pick<SpeedCase, 'backend' | 'stockKernels' | 'native'> = { backend: 'wasm', stockKernels: false, native: nativeAvailable() };
  console.log('\nPer-layer signals (layers.csv): their cost in the seed MLP, one epoch of 150 steps (best of 3):');
  const table = new Table({
    head: ['H', 'BN', 'recording\nms / run', 'share of\ntraining time', 'ms/step\nwith', 'ms/step\nwithout'],
    style: { head: [], border: [] },
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right'],
  });
  for (const hidden of [5, 100, 1024]) {
    for (const bn of [false, true]) {
      const on = runCase({ ...path, hidden, bn, layerSignals: true });
      const off = runCase({ ...path, hidden, bn, layerSignals: false });
      const spent = on.layerSignalsMs ?? 0;
      table.push([
        hidden,
        bn ? 'on' : 'off',
        spent.toFixed(1),
        `${((spent / on.trainMs) * 100).toFixed(1)} %`,
        on.msPerStep.toFixed(3),
        off.msPerStep.toFixed(3),
      ]);
    }
  }
  // The small CNN of overfitting-cnn.yaml, through tfjs-layers: its recorder reads gradients and a probe model.
  const cnnOn = runCase({ ...path, hidden: 0, bn: true, model: 'cnn', steps: 40, layerSignals: true });
  const cnnOff = runCase({ ...path, hidden: 0, bn: true, model: 'cnn', steps: 40, layerSignals: false });
  const cnnSpent = cnnOn.layerSignalsMs ?? 0;
  table.push(['CNN', 'on', cnnSpent.toFixed(1), `${((cnnSpent / cnnOn.trainMs) * 100).toFixed(1)} %`, cnnOn.msPerStep.toFixed(3), cnnOff.msPerStep.toFixed(3)]);
  console.log(table.toString());
}

/** Repetitions of each interleaved pair (nnlab, then PyTorch). */
const PAIRS = 5;

/**
 * nnlab against PyTorch (Debian's python3-torch, one thread), interleaved: each repetition runs
 * nnlab's case, then PyTorch's, back to back in fresh processes, so both meet the machine as it is
 * at that moment (its speed drifts 2–3× with load). Reported: each side's median ms per step and
 * the ratio PyTorch ÷ nnlab of each pair — its median and its range over the pairs. nnlab on its
 * fastest path here, per-layer signals off (their cost is below), validation included in its steps.
 */
function benchAgainstPyTorch(): void {
  const torch = pythonWith('torch');
  if (!torch) return void console.log('\n(PyTorch not found: `apt install python3-torch` adds the comparison.)');
  const path: Pick<SpeedCase, 'backend' | 'stockKernels' | 'native'> = { backend: 'wasm', stockKernels: false, native: nativeAvailable() };
  const workloads: Array<{ label: string; nnlab: SpeedCase; torch: string[] }> = [
    ...[5, 100, 1024].flatMap((hidden) =>
      [false, true].map((bn) => ({
        label: `seed MLP, H=${hidden}${bn ? ', BN' : ''}, MNIST`,
        nnlab: { ...path, hidden, bn, layerSignals: false },
        torch: [String(hidden), ...(bn ? ['bn'] : [])],
      })),
    ),
    ...[5, 100, 1024].map((hidden) => ({
      label: `seed MLP, H=${hidden}, standardized`,
      nnlab: { ...path, hidden, bn: false, standardize: true, layerSignals: false },
      torch: [String(hidden)],
    })),
    { label: 'CNN, regularize off', nnlab: { ...path, hidden: 0, bn: false, model: 'cnn', steps: 60, layerSignals: false }, torch: ['cnn'] },
    { label: 'CNN, batch norm + dropout', nnlab: { ...path, hidden: 0, bn: true, model: 'cnn', steps: 60, layerSignals: false }, torch: ['cnn', 'reg'] },
  ];
  const head = ['workload', 'nnlab\nms/step', 'PyTorch\nms/step', 'PyTorch ÷ nnlab\nmedian', 'range over\npairs'];
  const table = new Table({ head, style: { head: [], border: [] }, colAligns: ['left', 'right', 'right', 'right', 'right'] });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const dataDir = mkdtempSync(join(tmpdir(), 'nnlab-bench-data-'));
  for (const w of workloads) {
    // PyTorch trains on the very samples nnlab's case trains on (MNIST's zeros included).
    execFileSync(process.execPath, [SELF, '--export', JSON.stringify(w.nnlab), dataDir], { stdio: ['ignore', 'ignore', 'inherit'] });
    const pairs = Array.from({ length: PAIRS }, () => {
      const ours = runCase(w.nnlab).msPerStep;
      const theirs = runPython(torch, 'torch_reference.py', [...w.torch, '--data', dataDir]).msPerStep;
      process.stderr.write('.');
      return { ours, theirs, ratio: theirs / ours };
    });
    const ratios = pairs.map((p) => p.ratio);
    table.push([
      w.label,
      median(pairs.map((p) => p.ours)).toFixed(2),
      median(pairs.map((p) => p.theirs)).toFixed(2),
      `${median(ratios).toFixed(2)}×`,
      `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`,
    ]);
  }
  // What PyTorch's allocator costs as installed: the same workloads, default and tuned glibc malloc interleaved.
  const allocatorRows = workloads.filter((w) => /H=1024, MNIST|CNN/.test(w.label));
  const allocator = new Table({
    head: ['workload', 'PyTorch as installed\nms/step', 'malloc tuned\nms/step', 'as installed ÷\ntuned, median', 'range'],
    style: { head: [], border: [] },
    colAligns: ['left', 'right', 'right', 'right', 'right'],
  });
  for (const w of allocatorRows) {
    execFileSync(process.execPath, [SELF, '--export', JSON.stringify(w.nnlab), dataDir], { stdio: ['ignore', 'ignore', 'inherit'] });
    const pairs = Array.from({ length: 3 }, () => {
      const installed = runPython(torch, 'torch_reference.py', [...w.torch, '--data', dataDir], 'default').msPerStep;
      const tuned = runPython(torch, 'torch_reference.py', [...w.torch, '--data', dataDir]).msPerStep;
      process.stderr.write('.');
      return { installed, tuned, ratio: installed / tuned };
    });
    const ratios = pairs.map((p) => p.ratio);
    allocator.push([
      w.label,
      median(pairs.map((p) => p.installed)).toFixed(2),
      median(pairs.map((p) => p.tuned)).toFixed(2),
      `${median(ratios).toFixed(2)}×`,
      `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`,
    ]);
  }
  rmSync(dataDir, { recursive: true, force: true });
  process.stderr.write('\n');
  console.log(`\nnnlab against PyTorch, one thread each, both training the same MNIST samples, interleaved (nnlab then PyTorch,`);
  console.log(`${PAIRS} pairs per row, best of 3 timed blocks in each process); above 1× nnlab is faster. nnlab:`);
  console.log(`${runCase({ ...path, hidden: 5, bn: false, steps: 10, layerSignals: false }).kernels}. PyTorch at its fastest here:`);
  console.log('multi-tensor Adam, denormals flushed, glibc malloc tuned (table after). The seed MLP at batch 64, the CNN');
  console.log("(overfitting-cnn.yaml's) at batch 32:");
  console.log(table.toString());
  console.log('\nPyTorch as installed (glibc malloc defaults: each tensor of a few MB mmapped and unmapped, so page faults');
  console.log('on every step) against the tuned allocator the table above uses, interleaved, 3 pairs:');
  console.log(allocator.toString());
}

/** Each matrix product kernel's GFLOPS on the products a step of the seed MLP and the CNN makes, one thread. */
function benchGemm(): void {
  const rows = JSON.parse(
    execFileSync(process.execPath, [SELF, '--gemm'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: singleThreaded() }),
  ) as GemmRow[];
  const head = ['product (one thread)', 'OpenBLAS\nsgemm', "nnlab's\nnative GEMM", "nnlab's\nWebAssembly", 'native ÷\nOpenBLAS', 'WebAssembly\n÷ native'];
  const table = new Table({ head, style: { head: [], border: [] }, colAligns: ['left', 'right', 'right', 'right', 'right', 'right'] });
  const f = (x: number | null) => (x === null ? '–' : x.toFixed(1));
  const ratio = (x: number | null, y: number | null) => (x === null || y === null ? '–' : `${(x / y).toFixed(2)}×`);
  for (const r of rows) table.push([r.label, f(r.blas), f(r.own), f(r.wasm), ratio(r.own, r.blas), ratio(r.wasm, r.own)]);
  console.log('\nGFLOPS (2·m·n·k per product; best of 5 timings of 20 calls) of the products a training step makes. With MNIST');
  console.log("as the left operand nnlab's GEMMs skip its zeros and count the skipped work as done, as a user's step time does:");
  console.log(table.toString());
}

/** The small CNN of overfitting-cnn.yaml: nnlab's wasm path against the cpu backend, the only stock one that trains conv layers. */
function benchCnn(): void {
  const cases: Array<{ label: string; c: SpeedCase }> = [
    { label: 'cpu backend (pure JS)', c: { backend: 'cpu', stockKernels: false, native: false, hidden: 0, bn: true, model: 'cnn', steps: 4 } },
    { label: 'wasm, stock kernels¹', c: { backend: 'wasm', stockKernels: true, native: false, hidden: 0, bn: true, model: 'cnn', steps: 40 } },
    {
      label: 'tfjs-layers, nnlab kernels',
      c: { backend: 'wasm', stockKernels: false, native: nativeAvailable(), engine: false, hidden: 0, bn: true, model: 'cnn', steps: 40 },
    },
    { label: 'nnlab engine, WebAssembly', c: { backend: 'wasm', stockKernels: false, native: false, hidden: 0, bn: true, model: 'cnn', steps: 40 } },
    ...(nativeAvailable()
      ? [
          {
            label: 'nnlab engine, native',
            c: { backend: 'wasm' as const, stockKernels: false, native: true, hidden: 0, bn: true, model: 'cnn' as const, steps: 40 },
          },
        ]
      : []),
  ];
  const results = cases.map(({ label, c }) => ({ label, r: runCase(c) }));
  const cpu = results[0]!.r;
  console.log('\nSmall CNN (overfitting-cnn.yaml, BN + dropout on), batch 32, ms/step after a warm-up epoch:');
  for (const { label, r } of results)
    console.log(`  ${label.padEnd(26)} ${r.msPerStep.toFixed(1).padStart(8)} ms/step  ${(cpu.msPerStep / r.msPerStep).toFixed(1)}× the cpu backend`);
  console.log("  ¹ tfjs-layers, plus nnlab's Conv2DBackpropFilter: stock tfjs wasm has none and cannot train conv layers at all");
  // Augmentation timed apart from the training it feeds, in the same process (training-speed.ts).
  const base: SpeedCase = {
    backend: 'wasm',
    stockKernels: false,
    native: nativeAvailable(),
    hidden: 0,
    bn: true,
    model: 'cnn',
    steps: 60,
    layerSignals: false,
  };
  const shares = Array.from({ length: 3 }, () => {
    const out = execFileSync(process.execPath, [SELF, '--augment', JSON.stringify(base)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: singleThreaded(),
    });
    const { msPerStep, augmentMsPerStep } = JSON.parse(out) as { msPerStep: number; augmentMsPerStep: number };
    return augmentMsPerStep / (msPerStep + augmentMsPerStep);
  });
  const sorted = [...shares].sort((a, b) => a - b);
  console.log(
    `  augmentation (rotation, shifts, zoom; each epoch's images): ${(sorted[1]! * 100).toFixed(1)} % of an augmented step, median of 3 processes (${sorted.map((x) => `${(x * 100).toFixed(1)} %`).join(', ')})`,
  );
}

/** The seed MLP on each of nnlab's paths (stock tfjs wasm as the baseline); PyTorch is in benchAgainstPyTorch, interleaved. */
function benchTrainingSpeed(): void {
  type Variant = Pick<SpeedCase, 'backend' | 'stockKernels' | 'native' | 'engine'> & { label: string };
  const variants: Variant[] = [
    { label: 'tfjs wasm\nstock', backend: 'wasm', stockKernels: true, native: false },
    { label: 'nnlab\nwasm only', backend: 'wasm', stockKernels: false, native: false },
  ];
  if (nativeAvailable()) {
    variants.push({ label: 'nnlab own\nGEMM', backend: 'wasm', stockKernels: false, native: 'own' });
    if (nativeHasBlas()) variants.push({ label: 'nnlab BLAS\n(default)', backend: 'wasm', stockKernels: false, native: true });
  }
  const head = ['H', 'BN', ...variants.map((v) => v.label), 'best nnlab ÷\nstock tfjs'];
  const table = new Table({ head, style: { head: [], border: [] }, colAligns: head.map((_, i) => (i < 2 ? 'left' : 'right')) });
  const ms = (r: { msPerStep: number }) => r.msPerStep.toFixed(2);
  for (const hidden of [5, 100, 1024]) {
    for (const bn of [false, true]) {
      const results = variants.map((v) => runCase({ ...v, hidden, bn }));
      const best = results.slice(1).reduce((a, b) => (b.msPerStep < a.msPerStep ? b : a));
      table.push([hidden, bn ? 'on' : 'off', ...results.map(ms), `${(results[0]!.msPerStep / best.msPerStep).toFixed(2)}×`]);
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  console.log('Seed MLP training, ms per step (lower is better): frozen Dense(1) per pixel, 784→H→[BN]→relu→10');
  console.log('softmax, Adam, batch 64, real MNIST; one process per cell, best of 3 after a warm-up; times include');
  console.log('the per-epoch validation. Against PyTorch: the interleaved table below.');
  console.log(table.toString());
}

/**
 * The default bn-vs-nobn sweep (40 runs × 20 epochs) with 2 workers, against the same grid in
 * PyTorch split over 2 processes: what a user waits for, start to finish.
 */
async function benchSweep(): Promise<void> {
  const torch = pythonWith('torch');
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-bench-'));
  const spec = fileURLToPath(new URL('../../experiments/bn-vs-nobn.yaml', import.meta.url));
  const started = performance.now();
  // The same 5 seeds as the PyTorch grid: the spec's adaptive seeds would add a second round of runs.
  const r = spawnSync(
    process.execPath,
    [BIN, 'run', spec, '--quiet', '--force', '--workers', '2', '--set', 'sweep.seeds=[1,2,3,4,5]', '--out', join(dir, 'out')],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`nnlab run exited ${r.status}`);
  const nnlab = (performance.now() - started) / 1000;
  rmSync(dir, { recursive: true, force: true });
  console.log('\nThe default sweep (bn-vs-nobn.yaml: 40 runs × 20 epochs), 2 processes, wall clock:');
  console.log(`  nnlab   ${nnlab.toFixed(0).padStart(5)} s`);
  if (!torch) return console.log('  PyTorch not found (`apt install python3-torch`)');
  const script = fileURLToPath(new URL('../../src/bench/torch_reference.py', import.meta.url));
  const torchStarted = performance.now();
  const parts = [0, 1].map((part) => spawn(torch, [script, 'sweep', '5', String(part), '2'], { stdio: 'ignore', env: singleThreaded() }));
  const codes = await Promise.all(parts.map((p) => new Promise<number | null>((resolve) => p.on('exit', resolve))));
  if (codes.some((c) => c !== 0)) throw new Error('the PyTorch sweep failed');
  const seconds = (performance.now() - torchStarted) / 1000;
  console.log(`  PyTorch ${seconds.toFixed(0).padStart(5)} s  (same grid and epochs)`);
  console.log(`  PyTorch's time ÷ nnlab's: ${(seconds / nnlab).toFixed(2)}×`);
}

function nativeAvailable(): boolean {
  return existsSync(NATIVE_ADDON_PATH);
}

function nativeHasBlas(): boolean {
  return (loadNativeBlas() as { blas?: boolean }).blas === true;
}

/** A python3 that imports `module`: the one on PATH, else the system's (Debian's python3-torch). */
function pythonWith(module: string): string | undefined {
  return ['python3', '/usr/bin/python3'].find((python) => spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0);
}

function runPython(python: string, script: string, args: string[], allocator: 'tuned' | 'default' = 'tuned'): { msPerStep: number; samplesPerSecond: number } {
  const path = fileURLToPath(new URL(`../../src/bench/${script}`, import.meta.url));
  const out = execFileSync(python, [path, ...args], { encoding: 'utf8', env: allocator === 'tuned' ? tunedAllocator() : singleThreaded() });
  return JSON.parse(out) as { msPerStep: number; samplesPerSecond: number };
}

/** One BLAS thread, as in nnlab's workers, so the comparison is like for like. */
function singleThreaded(): NodeJS.ProcessEnv {
  return { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
}

/**
 * glibc's malloc as PyTorch's CPU users are advised to set it: with its defaults a tensor of a few MB
 * is mmapped and unmapped on every allocation, and its page faults can take most of a step (below).
 */
function tunedAllocator(): NodeJS.ProcessEnv {
  return { ...singleThreaded(), MALLOC_MMAP_THRESHOLD_: String(256 << 20), MALLOC_TRIM_THRESHOLD_: String(1 << 30) };
}

function runCase(c: SpeedCase): SpeedResult {
  return runChild<SpeedResult>('--case', c);
}

/** One measurement in a fresh process, so kernels and caches do not leak between them. */
function runChild<T>(mode: '--case' | '--dispatch', c: SpeedCase): T {
  const out = execFileSync(process.execPath, [SELF, mode, JSON.stringify(c)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: singleThreaded(),
  });
  return JSON.parse(out) as T;
}

function benchWorkers(): void {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-bench-'));
  const spec = join(dir, 'workers.yaml');
  // 8 runs of similar cost: each long enough (a few seconds) that process start-up is a small share.
  writeFileSync(
    spec,
    `name: bench-workers
data: {dataset: mnist}
model:
  input_shape: [28, 28, 1]
  layers: [{flatten: {}}, {dense: {units: \${hidden}, activation: relu}}, {dense: {units: 10, activation: softmax}}]
train: {optimizer: adam, loss: categorical_crossentropy, batch_size: 32, epochs: 3}
sweep: {seeds: [1, 2, 3, 4], grid: {hidden: [256, 512]}}
`,
  );
  const time = (workers: number): number => {
    const started = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'run', spec, '--quiet', '--force', '--workers', String(workers), '--out', join(dir, 'out')], {
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error(`nnlab run --workers ${workers} exited ${r.status}`);
    return performance.now() - started;
  };
  time(1); // warm the dataset cache and the OS file cache
  // Alternate and keep each one's best of three: this machine's speed drifts between minutes.
  const ones: number[] = [];
  const twos: number[] = [];
  for (let i = 0; i < 3; i++) {
    ones.push(time(1));
    twos.push(time(2));
  }
  const one = Math.min(...ones);
  const two = Math.min(...twos);
  console.log(`\nSweep of 8 runs (all 10,000 MNIST digits, MLP 256/512, 3 epochs), wall clock, best of 3:`);
  console.log(`  1 worker : ${(one / 1000).toFixed(1)} s`);
  console.log(`  2 workers: ${(two / 1000).toFixed(1)} s`);
  console.log(`  speed-up : ${(one / two).toFixed(2)}×`);
  rmSync(dir, { recursive: true, force: true });
}

await main();
