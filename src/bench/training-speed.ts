import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { augmentImages } from '../data/augment.js';
import { prepareSplit } from '../data/prepare-split.js';
import { createRng } from '../shared/rng.js';
import { readDataset } from '../data/read-dataset.js';
import { validateSpecText } from '../spec/validate.js';
import { expandSweep } from '../sweep/expand.js';
import { selectBackend, type BackendChoice } from '../train/backend.js';
import type { DenseKernels } from '../train/dense/dense-kernels.js';
import { denseTrainer } from '../train/dense/dense-trainer.js';
import { planDense } from '../train/dense/dense-plan.js';
import { toHostArrays } from '../train/tensors.js';
import { trainRun } from '../train/train-run.js';
import { buildModel } from '../model/build-model.js';

export interface SpeedCase {
  backend: BackendChoice;
  stockKernels: boolean;
  /** Native kernels: true (system BLAS where built with it), 'own' (nnlab's GEMM), false (WebAssembly only). */
  native: boolean | 'own';
  /** nnlab's dense engine (default) or every model through tfjs-layers. */
  engine?: boolean;
  hidden: number;
  bn: boolean;
  /** The seed MLP (default) or overfitting-cnn.yaml's CNN (`bn`: with its batch norm and dropout); `steps` timed (default 150). */
  model?: 'mlp' | 'cnn';
  /** The MLP's inputs standardized (data.scale: standardize): no zero pixels for the engine to skip. */
  standardize?: boolean;
  /** The CNN's training images augmented each epoch as overfitting-cnn.yaml's are (rotation, shifts, zoom). */
  augment?: boolean;
  steps?: number;
  /** Record per-layer signals (default: on, as in a run). */
  layerSignals?: boolean;
}

export interface SpeedResult extends SpeedCase {
  kernels: string;
  msPerStep: number;
  samplesPerSecond: number;
  /** Of the training time, what recording the per-layer signals took (the dense engine, when on). */
  trainMs: number;
  layerSignalsMs?: number;
}

/** Steps timed per case, after one warm-up epoch of the same length. */
const STEPS = 150;
const BATCH = 64;

/** The seed MLP (frozen Dense(1), flatten, Dense(H), [BN], relu, Dense(10) softmax; Adam; batch 64). */
function seedMlpSpec(hidden: number, bn: boolean, layerSignals: boolean, steps: number, standardize = false): string {
  return `name: bench
data: {dataset: mnist, samples: ${Math.round((steps * BATCH) / 0.98) + 1}, validation_split: 0.02${standardize ? ', scale: standardize' : ''}}
model:
  input_shape: [28, 28, 1]
  layers:
    - dense: {units: 1, use_bias: false, trainable: false, kernel_initializer: ones}
    - flatten: {}
    - dense: {units: ${hidden}}
    - batch_norm: {enabled: ${bn}}
    - activation: relu
    - dense: {units: 10, activation: softmax}
train: {optimizer: {adam: {learning_rate: 0.001}}, loss: categorical_crossentropy, batch_size: ${BATCH}, epochs: 1, layer_signals: ${layerSignals}}
`;
}

/** overfitting-cnn.yaml's model, with its batch norm and dropout (regularize: true) or without: two conv blocks, Dense(64). */
function cnnSpec(steps: number, layerSignals: boolean, regularize: boolean, augment = false): string {
  return `name: bench-cnn
data: {dataset: mnist, samples: ${Math.round((steps * 32) / 0.98) + 1}, validation_split: 0.02${augment ? ', augmentation: {rotation: 10, width_shift: 0.05, height_shift: 0.05, zoom: 0.05}' : ''}}
model:
  input_shape: [28, 28, 1]
  layers:
    - conv2d: {filters: 8, kernel_size: 3, padding: same}
    - batch_norm: {momentum: 0.9, enabled: ${regularize}}
    - activation: relu
    - max_pool2d: {pool_size: 2}
    - dropout: {rate: 0.25, enabled: ${regularize}}
    - conv2d: {filters: 16, kernel_size: 3, padding: same}
    - batch_norm: {momentum: 0.9, enabled: ${regularize}}
    - activation: relu
    - max_pool2d: {pool_size: 2}
    - dropout: {rate: 0.25, enabled: ${regularize}}
    - flatten: {}
    - dense: {units: 64, activation: relu}
    - dense: {units: 10, activation: softmax}
train: {optimizer: {adam: {learning_rate: 0.002}}, loss: categorical_crossentropy, batch_size: 32, epochs: 1, layer_signals: ${layerSignals}}
`;
}

/** The backend the case asks for, and the one run its spec describes, with its data split. */
async function prepareCase(c: SpeedCase, specText: string) {
  const backend = await selectBackend(c.backend, { stockKernels: c.stockKernels, native: c.native, engine: c.engine });
  const { value } = validateSpecText(specText, 'bench.yaml');
  const config = expandSweep(value!).runs[0]!.config;
  const split = prepareSplit(await readDataset(config.data), config.data, config.seed);
  return { backend, config, split };
}

/**
 * Writes the samples a case trains on, for the PyTorch reference to train on the very same ones:
 * `x.f32` (float32, sample-major, each sample's values in nnlab's order: height, width, channels),
 * `y.i32` (class indices, int32) and `shape.json` ({samples, inputShape}).
 */
export async function exportCaseData(c: SpeedCase, dir: string): Promise<void> {
  const { split } = await prepareCase(c, caseSpec(c));
  const { x, labels, featureShape } = split.train;
  writeFileSync(join(dir, 'x.f32'), new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  const y = Int32Array.from(labels);
  writeFileSync(join(dir, 'y.i32'), new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
  writeFileSync(join(dir, 'shape.json'), JSON.stringify({ samples: labels.length, inputShape: featureShape }));
}

/** The first `rows` MNIST images of the seed MLP's training set, as the engine's first layer sees them (values 0–1). */
export async function mnistRows(rows: number): Promise<Float32Array> {
  const { value } = validateSpecText(seedMlpSpec(5, false, false, Math.ceil(rows / BATCH) + 1), 'bench.yaml');
  const config = expandSweep(value!).runs[0]!.config;
  return prepareSplit(await readDataset(config.data), config.data, config.seed).train.x.slice(0, rows * 784);
}

function caseSpec(c: SpeedCase): string {
  return c.model === 'cnn'
    ? cnnSpec(c.steps ?? STEPS, c.layerSignals ?? true, c.bn, c.augment)
    : seedMlpSpec(c.hidden, c.bn, c.layerSignals ?? true, c.steps ?? STEPS, c.standardize);
}

/** Timed runs per case: the best is kept, as this machine's speed drifts from second to second. */
const REPEATS = 3;

/** Time one configuration in this process (call once per process: kernels are global). */
export async function measureTrainingSpeed(c: SpeedCase): Promise<SpeedResult> {
  const { backend, config, split } = await prepareCase(c, caseSpec(c));
  await trainRun(config, split, backend.kernelSet); // warm-up: JIT, wasm kernel setup
  let timings = (await trainRun(config, split, backend.kernelSet)).timings;
  for (let i = 1; i < REPEATS; i++) {
    const next = (await trainRun(config, split, backend.kernelSet)).timings;
    if (next.msPerStep < timings.msPerStep) timings = next;
  }
  return {
    ...c,
    kernels: backend.kernels,
    msPerStep: timings.msPerStep,
    samplesPerSecond: timings.samplesPerSecond,
    trainMs: timings.trainMs,
    ...(timings.layerSignalsMs !== undefined ? { layerSignalsMs: timings.layerSignalsMs } : {}),
  };
}

/**
 * What augmentation adds to a step of the CNN, timed apart from the training it feeds: the epoch's
 * images augmented as train-run augments them (best of 3), per training step, against the step's
 * own time (measureTrainingSpeed's, same process). Timing the two trainings against each other
 * would compare different images, which the kernels do not take equally long on.
 */
export async function measureAugmentation(c: SpeedCase): Promise<{ msPerStep: number; augmentMsPerStep: number }> {
  const plain = await measureTrainingSpeed({ ...c, augment: false });
  const { config, split } = await prepareCase({ ...c, augment: true }, caseSpec({ ...c, augment: true }));
  const augmentation = config.data.augmentation!;
  const rng = createRng(config.seed, 'augment');
  const steps = Math.ceil(split.train.labels.length / config.train.batch_size);
  let best = Infinity;
  for (let i = 0; i < REPEATS + 1; i++) {
    const started = performance.now();
    augmentImages(split.train.x, split.train.featureShape, augmentation, rng);
    if (i > 0) best = Math.min(best, performance.now() - started);
  }
  return { msPerStep: plain.msPerStep, augmentMsPerStep: best / steps };
}

export interface DispatchResult {
  kernels: string;
  /** The dense engine's kernel calls in one training step of the seed MLP. */
  callsPerStep: number;
  /** Their cost beyond the arithmetic: each call's time on one-value operands, summed over a step's calls. */
  dispatchUsPerStep: number;
}

/** Calls on one-value operands timed per kernel, to average out the timer's resolution. */
const TINY_CALLS = 20_000;

/**
 * What packing seeds could share in the seed MLP: S packed runs would make one call where S runs make
 * S, and every run keeps its own arithmetic (its weights, batch and statistics differ), so what
 * goes is the calls' fixed cost. Counts the calls of one epoch on the dense engine, and prices each
 * kind as a call of that kernel on one-value operands (the JavaScript wrapper, the crossing into
 * native or WebAssembly code, the kernel's set-up). Call once per process: kernels are global.
 */
export async function measureDispatch(c: SpeedCase): Promise<DispatchResult> {
  const { backend, config, split } = await prepareCase(c, seedMlpSpec(c.hidden, c.bn, false, c.steps ?? STEPS));
  const plan = planDense(config.model, config.train);
  const engineKernels = backend.kernelSet.dense?.();
  if (!engineKernels || 'unsupported' in plan) throw new Error('the dense engine does not run the seed MLP on this path');
  const calls = new Map<string, number>();
  const trainer = denseTrainer(buildModel(config.model, config.seed), plan, config, countingKernels(engineKernels, calls), split.train.task, {
    trainSamples: split.train.labels.length,
    recordLayers: false,
  });
  const trainSet = toHostArrays(split.train, config.model.input_shape, config.train.loss);
  const order = Int32Array.from({ length: split.train.labels.length }, (_, i) => i);
  trainer.runEpoch(trainSet, order, config.train.batch_size);
  trainer.dispose();
  const steps = Math.ceil(order.length / config.train.batch_size);
  const unit = tinyCallCosts(backend.kernelSet.dense!()); // a fresh set: the trainer freed its own
  let callsPerStep = 0;
  let dispatchUsPerStep = 0;
  for (const [kind, count] of calls) {
    callsPerStep += count / steps;
    dispatchUsPerStep += (count / steps) * unit[kind]!;
  }
  return { kernels: backend.kernels, callsPerStep, dispatchUsPerStep };
}

/** The kernels, counting each call by kind ('gemm', 'adam' or a row pass's name) into `calls`. */
function countingKernels(kernels: DenseKernels, calls: Map<string, number>): DenseKernels {
  const counted = <F extends (...args: never[]) => void>(kind: string, f: F): F =>
    ((...args: Parameters<F>) => {
      calls.set(kind, (calls.get(kind) ?? 0) + 1);
      f(...args);
    }) as F;
  const rows = Object.fromEntries(
    Object.entries(kernels.rows).map(([name, f]) => [name, counted(name, f as (...args: never[]) => void)]),
  ) as unknown as DenseKernels['rows'];
  return { ...kernels, gemm: counted('gemm', kernels.gemm), adam: counted('adam', kernels.adam), rows };
}

/** Microseconds per call of each kernel on one-value operands (one row of width one, one weight), best of 3. */
function tinyCallCosts(k: DenseKernels): Record<string, number> {
  const f = () => k.alloc(1).fill(0.5);
  const [a, b, c, g, m, v, out, xhat, y, gamma, beta, mm, mv] = Array.from({ length: 13 }, f);
  const doubles = () => {
    const floats = k.alloc(2);
    return new Float64Array(floats.buffer, floats.byteOffset, 1);
  };
  const [mean, inv, dGamma, dBeta] = [doubles(), doubles(), doubles(), doubles()];
  const order = Int32Array.of(0);
  const kinds: Record<string, () => void> = {
    gatherRows: () => k.rows.gatherRows(a!, 1, order, 0, 1, out!),
    gemm: () => k.gemm(a!, b!, c!, 1, 1, 1, false, false, false),
    adam: () => k.adam(a!, g!, m!, v!, 0.001, 0.9, 0.999, 1e-7, 0.5, 0.5),
    addBias: () => k.rows.addBias(c!, b!, 1, 1),
    sumRows: () => k.rows.sumRows(g!, 1, 1, out!),
    relu: () => k.rows.relu(a!, out!, 1),
    reluBackward: () => k.rows.reluBackward(g!, a!, out!, 1),
    batchNormTrain: () => k.rows.batchNormTrain(a!, 1, 1, gamma!, beta!, mm!, mv!, 0.01, 0.001, xhat!, y!, mean, inv),
    batchNormInfer: () => k.rows.batchNormInfer(a!, 1, 1, gamma!, beta!, mm!, mv!, 0.001, y!, inv),
    batchNormBackward: () => k.rows.batchNormBackward(g!, xhat!, gamma!, inv, 1, 1, dGamma, dBeta, out!),
  };
  const costs: Record<string, number> = {};
  for (const [kind, call] of Object.entries(kinds)) {
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const started = performance.now();
      for (let i = 0; i < TINY_CALLS; i++) call();
      best = Math.min(best, ((performance.now() - started) * 1000) / TINY_CALLS);
    }
    costs[kind] = best;
  }
  k.dispose();
  return costs;
}
