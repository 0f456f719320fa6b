import { describe, expect, it } from 'vitest';
import { canonicalName, normalizeKerasNames } from '../../src/spec/keras-names.js';
import { validateSpecText } from '../../src/spec/validate.js';
import { expandSweep } from '../../src/sweep/expand.js';

describe('canonicalName', () => {
  it.each([
    { kind: 'layer', input: 'batch_normalization', expected: 'batch_norm' },
    { kind: 'layer', input: 'BatchNormalization', expected: 'batch_norm' },
    { kind: 'layer', input: 'max_pooling2d', expected: 'max_pool2d' },
    { kind: 'layer', input: 'MaxPooling2D', expected: 'max_pool2d' },
    { kind: 'layer', input: 'Conv2D', expected: 'conv2d' },
    { kind: 'layer', input: 'GlobalAveragePooling2D', expected: 'global_average_pool2d' },
    { kind: 'optimizer', input: 'Adam', expected: 'adam' },
    { kind: 'optimizer', input: 'RMSprop', expected: 'rmsprop' },
    { kind: 'metric', input: 'acc', expected: 'accuracy' },
    { kind: 'metric', input: 'binary_accuracy', expected: 'accuracy' },
    { kind: 'loss', input: 'mean_squared_error', expected: 'mse' },
    { kind: 'loss', input: 'CategoricalCrossentropy', expected: 'categorical_crossentropy' },
    { kind: 'initializer', input: 'GlorotUniform', expected: 'glorot_uniform' },
    { kind: 'callback', input: 'EarlyStopping', expected: 'early_stopping' },
    { kind: 'callback', input: 'ReduceLROnPlateau', expected: 'reduce_lr_on_plateau' },
    { kind: 'callback', input: 'ModelCheckpoint', expected: 'checkpoint' },
    { kind: 'layer', input: 'dense_layer', expected: 'dense_layer' },
  ] as const)('$kind $input → $expected', ({ kind, input, expected }) => {
    expect(canonicalName(kind, input)).toBe(expected);
  });

  it('renames Keras argument names', () => {
    expect(
      normalizeKerasNames({ train: { optimizer: { Adam: { lr: 0.01, beta_1: 0.8 } }, callbacks: { EarlyStopping: { restore_best_weights: true } } } }),
    ).toEqual({
      train: { optimizer: { adam: { learning_rate: 0.01, beta1: 0.8 } }, callbacks: { early_stopping: { restore_best: true } } },
    });
  });
});

describe('a spec written in Keras vocabulary', () => {
  const spec = (keras: boolean) => `name: k
data: {dataset: iris}
model:
  input_shape: [4]
  layers:
    - ${keras ? 'Dense' : 'dense'}: {units: 8, activation: ${keras ? 'ReLU' : 'relu'}, kernel_initializer: ${keras ? 'HeNormal' : 'he_normal'}}
    - ${keras ? 'batch_normalization' : 'batch_norm'}: {}
    - ${keras ? 'Dropout' : 'dropout'}: {rate: 0.1}
    - dense: {units: 3, activation: softmax}
train:
  optimizer: {${keras ? 'Adam: {lr: 0.01}' : 'adam: {learning_rate: 0.01}'}}
  loss: categorical_crossentropy
  metrics: [${keras ? 'acc' : 'accuracy'}]
  callbacks: {${keras ? 'EarlyStopping: {restore_best_weights: true}' : 'early_stopping: {restore_best: true}'}}
`;

  it('validates to the same runs, with the same ids, as nnlab names', () => {
    const runs = (keras: boolean) => {
      const { value, issues } = validateSpecText(spec(keras), 'k.yaml');
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
      return expandSweep(value!).runs;
    };
    expect(runs(true)).toEqual(runs(false));
  });
});
