// Train one small seed-MLP run (or, with `cnn`, a small CNN) in this process with the kernels named on
// the command line and print its history as JSON. Kernels are process-global, so each variant needs
// its own process.
// usage: node train-history.mjs <kernels> [bn] [dropout] [optimizer] [cnn]
//   kernels: stock (tfjs-layers on stock wasm), layers-pure / layers-native (tfjs-layers on nnlab's
//   kernels), pure / native / own (nnlab's dense engine on its WebAssembly SIMD kernels, the system BLAS,
//   nnlab's native GEMM)
import { selectBackend } from '../../dist/train/backend.js';
import { validateSpecText } from '../../dist/spec/validate.js';
import { expandSweep } from '../../dist/sweep/expand.js';
import { readDataset } from '../../dist/data/read-dataset.js';
import { prepareSplit } from '../../dist/data/prepare-split.js';
import { trainRun } from '../../dist/train/train-run.js';

const [kernels, ...flags] = process.argv.slice(2);
const native = { native: true, own: 'own', 'layers-native': true }[kernels] ?? false;
const backend = await selectBackend('wasm', { stockKernels: kernels === 'stock', native, engine: !kernels.startsWith('layers') });
const optimizer = flags.find((f) => ['sgd', 'momentum', 'rmsprop', 'adagrad'].includes(f));
const optimizers = { sgd: '{sgd: {learning_rate: 0.05}}', momentum: '{sgd: {learning_rate: 0.02, momentum: 0.9, nesterov: true}}', rmsprop: '{rmsprop: {learning_rate: 0.001, momentum: 0.5}}', adagrad: '{adagrad: {learning_rate: 0.05}}' };
const spec = `name: k
data: {dataset: mnist, samples: 640}
model:
  input_shape: [28, 28, 1]
  layers:
    - dense: {units: 1, use_bias: false, trainable: false, kernel_initializer: ones}
    - flatten: {}
    - dense: {units: 48}
    - batch_norm: {enabled: ${flags.includes('bn')}}
    - activation: relu
    - dropout: {rate: 0.3, enabled: ${flags.includes('dropout')}}
    - dense: {units: 10, activation: softmax}
train: {optimizer: ${optimizers[optimizer] ?? '{adam: {learning_rate: 0.001}}'}, loss: categorical_crossentropy, batch_size: 32, epochs: 3}
`;
// overfitting-cnn.yaml's model, smaller: conv, batch norm over channels, pooling, dropout on maps, L2.
const cnnSpec = `name: k
data: {dataset: mnist, samples: 320}
model:
  input_shape: [28, 28, 1]
  layers:
    - conv2d: {filters: 4, kernel_size: 3, padding: same, kernel_regularizer: {l2: 0.001}}
    - batch_norm: {enabled: ${flags.includes('bn')}, momentum: 0.9}
    - activation: relu
    - max_pool2d: {pool_size: 2}
    - dropout: {rate: 0.25, enabled: ${flags.includes('dropout')}}
    - conv2d: {filters: 6, kernel_size: 3, strides: 2, activation: relu}
    - average_pool2d: {pool_size: 2}
    - flatten: {}
    - dense: {units: 16, activation: relu, kernel_regularizer: {l2: 0.001}}
    - dense: {units: 10, activation: softmax}
train: {optimizer: {adam: {learning_rate: 0.002}}, loss: categorical_crossentropy, batch_size: 32, epochs: 2}
`;
const { value } = validateSpecText(flags.includes('cnn') ? cnnSpec : spec, 'k.yaml');
const config = expandSweep(value).runs[0].config;
const split = prepareSplit(await readDataset(config.data), config.data, config.seed);
const out = await trainRun(config, split, backend.kernelSet);
process.stdout.write(JSON.stringify({ kernels: backend.kernels, engine: out.engine, history: out.history }));
