import { prepareSplit } from '../data/prepare-split.js';
import { readDataset } from '../data/read-dataset.js';
import { validateSpecText } from '../spec/validate.js';
import { expandSweep } from '../sweep/expand.js';
import { selectBackend, type BackendChoice } from '../train/backend.js';
import { trainRun } from '../train/train-run.js';

export interface SpeedCase {
  backend: BackendChoice;
  stockKernels: boolean;
  /** Native kernels: true (system BLAS where built with it), 'own' (nnlab's GEMM), false (WebAssembly only). */
  native: boolean | 'own';
  /** nnlab's dense engine (default) or every model through tfjs-layers. */
  engine?: boolean;
  hidden: number;
  bn: boolean;
  /** The seed MLP (default) or overfitting-cnn.yaml's CNN; `steps` timed (default 150). */
  model?: 'mlp' | 'cnn';
  steps?: number;
  /** Record per-layer signals (default: on, as in a run). */
  layerSignals?: boolean;
  /** The seed MLP's batch size (default 64). */
  batch?: number;
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
function seedMlpSpec(hidden: number, bn: boolean, layerSignals: boolean, batch: number, steps: number): string {
  return `name: bench
data: {dataset: mnist, samples: ${Math.round((steps * batch) / 0.98) + 1}, validation_split: 0.02}
model:
  input_shape: [28, 28, 1]
  layers:
    - dense: {units: 1, use_bias: false, trainable: false, kernel_initializer: ones}
    - flatten: {}
    - dense: {units: ${hidden}}
    - batch_norm: {enabled: ${bn}}
    - activation: relu
    - dense: {units: 10, activation: softmax}
train: {optimizer: {adam: {learning_rate: 0.001}}, loss: categorical_crossentropy, batch_size: ${batch}, epochs: 1, layer_signals: ${layerSignals}}
`;
}

/** overfitting-cnn.yaml's model with batch norm and dropout on: two conv blocks, Dense(64). */
function cnnSpec(steps: number, layerSignals: boolean): string {
  return `name: bench-cnn
data: {dataset: mnist, samples: ${Math.round((steps * 32) / 0.98) + 1}, validation_split: 0.02}
model:
  input_shape: [28, 28, 1]
  layers:
    - conv2d: {filters: 8, kernel_size: 3, padding: same}
    - batch_norm: {momentum: 0.9}
    - activation: relu
    - max_pool2d: {pool_size: 2}
    - dropout: {rate: 0.25}
    - conv2d: {filters: 16, kernel_size: 3, padding: same}
    - batch_norm: {momentum: 0.9}
    - activation: relu
    - max_pool2d: {pool_size: 2}
    - dropout: {rate: 0.25}
    - flatten: {}
    - dense: {units: 64, activation: relu}
    - dense: {units: 10, activation: softmax}
train: {optimizer: {adam: {learning_rate: 0.002}}, loss: categorical_crossentropy, batch_size: 32, epochs: 1, layer_signals: ${layerSignals}}
`;
}

/** Timed runs per case: the best is kept, as this machine's speed drifts from second to second. */
const REPEATS = 3;

/** Time one configuration in this process (call once per process: kernels are global). */
export async function measureTrainingSpeed(c: SpeedCase): Promise<SpeedResult> {
  const backend = await selectBackend(c.backend, { stockKernels: c.stockKernels, native: c.native, engine: c.engine });
  const { value } = validateSpecText(c.model === 'cnn' ? cnnSpec(c.steps ?? STEPS, c.layerSignals ?? true) : seedMlpSpec(c.hidden, c.bn, c.layerSignals ?? true, c.batch ?? BATCH, c.steps ?? STEPS), 'bench.yaml');
  const config = expandSweep(value!).runs[0]!.config;
  const data = await readDataset(config.data);
  const split = prepareSplit(data, config.data, config.seed);
  await trainRun(config, split); // warm-up: JIT, wasm kernel setup
  let timings = (await trainRun(config, split)).timings;
  for (let i = 1; i < REPEATS; i++) {
    const next = (await trainRun(config, split)).timings;
    if (next.msPerStep < timings.msPerStep) timings = next;
  }
  return { ...c, kernels: backend.kernels, msPerStep: timings.msPerStep, samplesPerSecond: timings.samplesPerSecond, trainMs: timings.trainMs, ...(timings.layerSignalsMs !== undefined ? { layerSignalsMs: timings.layerSignalsMs } : {}) };
}
