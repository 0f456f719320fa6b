// The short trainings the kernel-equivalence tests compare across engines and kernel paths: the seed
// MLP (flags: bn, dropout, an optimizer) or, with `cnn`, overfitting-cnn.yaml's model, smaller.
// Used by train-history.mjs (a process per path) and in-process by test/train/fast-kernels.test.ts.

/** The spec text of the training the flags ask for. */
export function historySpec(flags) {
  const optimizer = flags.find((f) => ['sgd', 'momentum', 'rmsprop', 'adagrad'].includes(f));
  const optimizers = {
    sgd: '{sgd: {learning_rate: 0.05}}',
    momentum: '{sgd: {learning_rate: 0.02, momentum: 0.9, nesterov: true}}',
    rmsprop: '{rmsprop: {learning_rate: 0.001, momentum: 0.5}}',
    adagrad: '{adagrad: {learning_rate: 0.05}}',
  };
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
  return flags.includes('cnn') ? cnnSpec : spec;
}
