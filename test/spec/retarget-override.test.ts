import { describe, expect, it } from 'vitest';
import { retargetOverride } from '../../src/spec/retarget-override.js';
import { validateSpecText } from '../../src/spec/validate.js';

const spec = `name: r
data: {dataset: road-distance, target_scale: "\${target}"}
model:
  input_shape: [4]
  layers:
    - dense: {units: 8, activation: relu}
    - dense: {units: 1, activation: "\${output}"}
train:
  optimizer: \${optimizer}
  loss: mse
  epochs: \${epochs}
sweep:
  grid:
    output: [sigmoid, linear]
    optimizer: [{sgd: {learning_rate: 1.0e-8}}, {adam: {learning_rate: 0.001}}]
    target: [none, minmax]
    epochs: [3]
`;

describe('retargetOverride', () => {
  const { value } = validateSpecText(spec, 'r.yaml');
  const factors = { output: 'sigmoid', optimizer: { sgd: { learning_rate: 1e-8 } }, target: 'none', epochs: 3 };

  it('finds the fields whose whole value is a variable', () => {
    expect(value!.variables.map((v) => [v.path.join('.'), v.name])).toEqual([
      ['data.target_scale', 'target'],
      ['model.layers.1.dense.activation', 'output'],
      ['train.optimizer', 'optimizer'],
      ['train.epochs', 'epochs'],
    ]);
  });

  it.each([
    { name: 'a variable field narrows its factor', input: 'model.layers[1].dense.activation=linear', expected: 'sweep.grid.output=[linear]' },
    {
      name: 'a path inside a templated mapping changes that level of the factor',
      input: 'train.optimizer.sgd.learning_rate=1e-7',
      expected: 'sweep.grid.optimizer=[{sgd: {learning_rate: 1e-7}}]',
    },
    { name: 'a whole mapping', input: 'train.optimizer={adam: {learning_rate: 0.001}}', expected: 'sweep.grid.optimizer=[{adam: {learning_rate: 0.001}}]' },
    { name: 'a number', input: 'train.epochs=30', expected: 'sweep.grid.epochs=[30]' },
    { name: 'a field that is not a variable stays', input: 'data.scale=standardize', expected: 'data.scale=standardize' },
    { name: 'a path the level does not have stays', input: 'train.optimizer.adam.learning_rate=0.01', expected: 'train.optimizer.adam.learning_rate=0.01' },
    { name: 'text that is not an override stays', input: 'nonsense', expected: 'nonsense' },
  ])('$name', ({ input, expected }) => {
    expect(retargetOverride(input, value!.variables, factors)).toBe(expected);
  });

  it('gives overrides that validate against the spec they were made for', () => {
    for (const set of ['model.layers[1].dense.activation=linear', 'train.optimizer.sgd.learning_rate=1e-7', 'data.target_scale=standardize']) {
      const retargeted = retargetOverride(set, value!.variables, factors);
      expect(
        validateSpecText(spec, 'r.yaml', [retargeted]).issues.filter((i) => i.severity === 'error'),
        retargeted,
      ).toEqual([]);
      // Set as suggested before, the first and last would replace a variable; the second cannot be set at all.
      expect(validateSpecText(spec, 'r.yaml', [set]).issues.length, set).toBeGreaterThan(0);
    }
  });
});
