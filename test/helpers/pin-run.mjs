// Train the semantics-pin configs and print their histories as JSON: on nnlab's pure wasm path
// (portable: the same bits on every machine), or with `native` on the native addon with nnlab's own
// GEMM (the same bits on every x86-64-v3 machine; the system BLAS's differ by library and machine).
// tfjs registers kernels process-wide, hence a process.
// usage: node pin-run.mjs [wasm|native]
import { selectBackend } from '../../dist/train/backend.js';
import { validateSpecText } from '../../dist/spec/validate.js';
import { expandSweep } from '../../dist/sweep/expand.js';
import { readDataset } from '../../dist/data/read-dataset.js';
import { prepareSplit } from '../../dist/data/prepare-split.js';
import { trainRun } from '../../dist/train/train-run.js';

// Every random stream and most layer kinds in one tiny run (an activity penalty: trained through tfjs-layers)...
const layersSpec = `name: pin
data: {dataset: mnist, samples: 300, validation_split: 0.2, augmentation: {rotation: 10, width_shift: 0.1}}
model:
  input_shape: [28, 28, 1]
  layers:
    - conv2d: {filters: 4, kernel_size: 3, strides: 2, activation: relu, kernel_regularizer: {l2: 0.001}}
    - batch_norm: {}
    - max_pool2d: {pool_size: 2}
    - flatten: {}
    - dense: {units: 16, activation: relu, activity_regularizer: {l1: 0.0001}}
    - dropout: {rate: 0.3}
    - dense: {units: 10, activation: softmax}
train: {optimizer: {adam: {learning_rate: 0.01}}, loss: categorical_crossentropy, batch_size: 30, epochs: 2}
`;
// ...and an MLP with a frozen layer, batch norm and dropout (trained on the dense engine).
const engineSpec = `name: pin-engine
data: {dataset: mnist, samples: 300, validation_split: 0.2}
model:
  input_shape: [28, 28, 1]
  layers:
    - dense: {units: 1, use_bias: false, trainable: false, kernel_initializer: ones}
    - flatten: {}
    - dense: {units: 16}
    - batch_norm: {}
    - activation: relu
    - dropout: {rate: 0.3}
    - dense: {units: 10, activation: softmax}
train: {optimizer: {adam: {learning_rate: 0.01}}, loss: categorical_crossentropy, batch_size: 30, epochs: 2}
`;
// ...and a CNN with weight penalties, batch norm over channels, pooling and dropout on maps (on the engine).
const convSpec = `name: pin-conv
data: {dataset: mnist, samples: 300, validation_split: 0.2}
model:
  input_shape: [28, 28, 1]
  layers:
    - conv2d: {filters: 4, kernel_size: 3, padding: same, kernel_regularizer: {l2: 0.001}}
    - batch_norm: {momentum: 0.9}
    - activation: relu
    - max_pool2d: {pool_size: 2}
    - dropout: {rate: 0.25}
    - conv2d: {filters: 6, kernel_size: 3, strides: 2, activation: relu}
    - average_pool2d: {pool_size: 2, padding: same}
    - flatten: {}
    - dense: {units: 10, activation: softmax, kernel_regularizer: {l1: 0.0001}}
train: {optimizer: {adam: {learning_rate: 0.01}}, loss: categorical_crossentropy, batch_size: 30, epochs: 2}
`;
const { kernelSet } = await selectBackend('wasm', { native: process.argv[2] === 'native' ? 'own' : false });
const result = {};
for (const [name, spec] of [['layers', layersSpec], ['engine', engineSpec], ['conv', convSpec]]) {
  const config = expandSweep(validateSpecText(spec, 'pin.yaml').value).runs[0].config;
  const split = prepareSplit(await readDataset(config.data), config.data, config.seed);
  const { history, engine } = await trainRun(config, split, kernelSet);
  result[name] = { engine, loss: history.map((r) => r.loss), val_loss: history.map((r) => r.val_loss) };
}
process.stdout.write(JSON.stringify(result));
