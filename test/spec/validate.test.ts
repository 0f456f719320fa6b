import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/shared/errors.js';
import { validateSpecText } from '../../src/spec/validate.js';
import { validateSpec } from '../../src/preflight/check-spec.js';

const base = `name: t
data:
  dataset: mnist
model:
  input_shape: [28, 28, 1]
  layers:
    - flatten: {}
    - dense: {units: "\${hidden}"}
    - batch_norm: {enabled: "\${bn}"}
    - activation: relu
    - dense: {units: 10, activation: softmax}
train:
  optimizer: {adam: {learning_rate: 0.001}}
  loss: categorical_crossentropy
  batch_size: 64
  epochs: 3
sweep:
  seeds: [1, 2]
  grid: {hidden: [5, 50], bn: [false, true]}
report:
  compare: bn
`;

const errors = (text: string, sets: string[] = []) =>
  validateSpec(text, 'x.yaml', sets)
    .issues.filter((i) => i.severity === 'error')
    .map(formatIssue);

describe('validateSpecText', () => {
  it('expands the grid into variants with ${var} substituted as typed values', () => {
    const { value, issues } = validateSpecText(base, 'x.yaml');
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(value!.variants.map((v) => v.factors)).toEqual([
      { hidden: 5, bn: false },
      { hidden: 5, bn: true },
      { hidden: 50, bn: false },
      { hidden: 50, bn: true },
    ]);
    const layers = value!.variants[1]!.spec.model.layers;
    expect(layers[1]).toMatchObject({ type: 'dense', units: 5, activation: 'linear' });
    expect(layers[2]).toMatchObject({ type: 'batch_norm', enabled: true, momentum: 0.99, epsilon: 0.001 });
  });

  it('fills defaults so the resolved config is complete', () => {
    const spec = validateSpecText(base, 'x.yaml').value!.variants[0]!.spec;
    expect(spec.train.metrics).toEqual(['accuracy']);
    expect(spec.train.optimizer).toEqual({ type: 'adam', learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(spec.data.validation_split).toBe(0.2);
  });

  it('reports a typo, a negative batch size and an unknown layer at once, each located', () => {
    const text = base.replace('epochs: 3', 'epoch: 3').replace('batch_size: 64', 'batch_size: -3').replace('- flatten: {}', '- flaten: {}');
    expect(errors(text)).toEqual([
      'x.yaml:7:7 model.layers[0].flaten: unknown layer type "flaten" (did you mean "flatten"?); expected one of dense, batch_norm, dropout, activation, flatten, conv2d, max_pool2d, average_pool2d, global_average_pool2d',
      'x.yaml:15:15 train.batch_size: expected a positive integer, got -3',
      'x.yaml:16:3 train.epoch: unknown key "epoch" (did you mean "epochs"?)',
    ]);
  });

  it('names the grid point when a substituted value is invalid', () => {
    expect(errors(base.replace('hidden: [5, 50]', 'hidden: [5, -1]'))).toEqual([
      'x.yaml:8:22 model.layers[1].dense.units: expected a positive integer, got -1 (with hidden=-1, bn=false)',
    ]);
  });

  it.each([
    {
      name: 'an unknown ${var}',
      text: base.replace('${hidden}', '${hiden}'),
      expected: 'x.yaml:8:22 model.layers[1].dense.units: ${hiden} is not a sweep.grid factor (factors: hidden, bn)',
    },
    {
      name: 'a compare factor that is not in the grid',
      text: base.replace('compare: bn', 'compare: lr'),
      expected: 'x.yaml:21:12 report.compare: "lr" is not a sweep.grid factor (factors: hidden, bn) nor a setting such as train.batch_size',
    },
    { name: 'broken YAML', text: base.replace('seeds: [1, 2]', 'seeds: [1, 2'), expected: expect.stringMatching(/^x\.yaml:\d+:\d+ invalid YAML: /) },
    {
      name: 'a wrong output size',
      text: base.replace('units: 10', 'units: 2'),
      expected: 'x.yaml:11:7 model.layers[4]: the output layer has 2 units but mnist has 10 classes; expected 10 units',
    },
    {
      name: 'a string where a number belongs',
      text: base.replace('learning_rate: 0.001', 'learning_rate: fast'),
      expected: 'x.yaml:13:37 train.optimizer.adam.learning_rate: expected a positive learning rate, got "fast"',
    },
    {
      name: 'augmentation of samples that are not images',
      text: base.replace('dataset: mnist', 'dataset: iris\n  augmentation: {rotation: 10}').replace('[28, 28, 1]', '[4]').replace('units: 10', 'units: 3'),
      expected: 'x.yaml:4:17 data.augmentation: augmentation transforms images; iris samples have shape [4], not [height, width, channels]',
    },
    {
      name: 'a conv kernel larger than its input',
      text: base.replace('- flatten: {}', '- conv2d: {filters: 2, kernel_size: 29}\n    - flatten: {}'),
      expected: 'x.yaml:7:7 model.layers[0]: a 29×29 kernel does not fit its 28×28 input; use a smaller kernel_size or padding: same',
    },
    {
      name: 'a text-only field on an image dataset',
      text: base.replace('dataset: mnist', 'dataset: mnist\n  vocabulary: 500'),
      expected: 'x.yaml:4:15 data.vocabulary: only for dataset spam, not mnist',
    },
    {
      name: 'a CSV without its target',
      text: base.replace('dataset: mnist', 'dataset: csv\n  path: d.csv\n  task: regression'),
      expected: 'x.yaml:3:3 data.target: missing; dataset csv needs path, target, task',
    },
    {
      name: 'an at_epochs epoch that is not a whole number',
      text: base.replace('compare: bn', 'compare: bn\n  at_epochs: [0.5]'),
      expected: 'x.yaml:22:15 report.at_epochs[0]: expected a whole epoch number, got 0.5',
    },
    { name: 'a missing section', text: base.replace(/train:[\s\S]*?sweep:/, 'sweep:'), expected: 'x.yaml:1:1 train: missing; expected an object' },
  ])('reports $name', ({ text, expected }) => {
    expect(errors(text)).toEqual([expected]);
  });

  it('leaves out an at_epochs epoch after the last one, with a warning that says how to keep it (a quick try must run)', () => {
    const { value, issues } = validateSpec(base.replace('compare: bn', 'compare: bn\n  at_epochs: [1, 4]'), 'x.yaml');
    expect(value).toBeDefined();
    expect(issues.map(formatIssue)).toContain(
      'x.yaml:16:11 warning: train.epochs: report.at_epochs 4 left out: train.epochs is 3; to keep it, --set train.epochs=4',
    );
  });

  it('applies --set overrides, parsed as YAML, before validation', () => {
    const { value } = validateSpecText(base, 'x.yaml', ['train.epochs=30', 'sweep.grid.hidden=[10,20,30]', 'model.layers[4].dense.units=10']);
    expect(value!.variants).toHaveLength(6);
    expect(value!.variants[0]!.spec.train.epochs).toBe(30);
  });

  it('locates a bad override by its --set text', () => {
    expect(errors(base, ['train.epochs=abc'])).toEqual(['--set train.epochs=abc train.epochs: expected a positive integer, got "abc"']);
    expect(errors(base, ['train..epochs=3'])).toEqual([expect.stringMatching(/^--set train\.\.epochs=3 "train\.\.epochs" is not a field path/)]);
    expect(errors(base, ['noequals'])).toEqual(['--set noequals expected path=value, e.g. --set train.epochs=30']);
  });

  it('warns about grid factors no field uses', () => {
    const { issues } = validateSpec(base.replace('bn: [false, true]}', 'bn: [false, true], lr: [1, 2]}'), 'x.yaml');
    expect(issues.filter((i) => i.severity === 'warning').map(formatIssue)).toEqual([
      'x.yaml:19:46 warning: sweep.grid.lr: no field uses ${lr}, so its values only repeat the same training',
    ]);
  });

  it('refuses alias bombs instead of expanding them', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n');
    const { issues, value } = validateSpecText(bomb, 'bomb.yaml');
    expect(value).toBeUndefined();
    expect(issues[0]!.message).toMatch(/alias|Excessive/i);
  });

  it('accepts every shipped experiment', () => {
    for (const file of ['experiments/bn-vs-nobn.yaml']) {
      const { issues, value } = validateSpecText(readFileSync(file, 'utf8'), file);
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(value).toBeDefined();
    }
  });
});

describe('did you mean', () => {
  it.each([
    { typo: 'data.nosie=0.1', expected: 'unknown key "nosie" (did you mean "noise"?)' },
    { typo: 'model.layers[1].dense.kernel_regulariser={l2: 0.1}', expected: 'unknown key "kernel_regulariser" (did you mean "kernel_regularizer"?)' },
    { typo: 'train.optimizer.adam.learning_rat=0.1', expected: 'unknown key "learning_rat" (did you mean "learning_rate"?)' },
    { typo: 'train.callback={}', expected: 'unknown key "callback" (did you mean "callbacks"?)' },
    { typo: 'data.dataset=mnst', expected: '(did you mean "mnist"?)' },
  ])('suggests the known name for $typo', ({ typo, expected }) => {
    expect(errors(base, [typo]).join('\n')).toContain(expected);
  });
});

describe('--set mistakes', () => {
  it('refuses a factor a --set adds that no field uses, with the factor it was likely meant for', () => {
    expect(errors(base, ['sweep.grid.hiden=[1]'])).toEqual([
      '--set sweep.grid.hiden=[1] sweep.grid.hiden: no field uses ${hiden}, so its values only repeat the same training (did you mean "hidden"?)',
    ]);
  });

  it('gives one clear error for an index past the end of a list', () => {
    expect(errors(base, ['model.layers[9].dense.units=3'])).toEqual([
      '--set model.layers[9].dense.units=3 model.layers[9].dense.units: model.layers has 5 items ([0] to [4]); there is no [9] to set (a new item goes at [5])',
    ]);
  });

  it('adds an item at the end of a list', () => {
    expect(errors(base, ['model.layers[4].dense.activation=relu', 'model.layers[5]={dense: {units: 10, activation: softmax}}'])).toEqual([]);
  });
});

describe('pre-flight refusals', () => {
  it('refuses a softmax over one unit (constant 1: nothing can train), before training', () => {
    const oneUnit = base
      .replace('dataset: mnist', 'dataset: road-distance')
      .replace('input_shape: [28, 28, 1]', 'input_shape: [4]')
      .replace('{units: 10, activation: softmax}', '{units: 1, activation: softmax}')
      .replace('categorical_crossentropy', 'mse');
    expect(errors(oneUnit)).toEqual([
      'x.yaml:11:7 model.layers[4]: softmax over one unit is always 1, whatever the input, so the output cannot learn; use sigmoid for one probability (binary_crossentropy), linear for regression, or one unit per class with softmax',
    ]);
  });
});
