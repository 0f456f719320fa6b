import { describe, expect, it } from 'vitest';
import { groupRuns, overridesOf, settingsThatDiffer } from '../../src/analysis/group-variants.js';
import { validateSpecText } from '../../src/spec/validate.js';
import type { RunConfig } from '../../src/run/run-chain.js';
import { expandSweep } from '../../src/sweep/expand.js';

const spec = `name: g
data: {dataset: circles, samples: 200}
model:
  input_shape: [2]
  layers:
    - dense: {units: 8, activation: relu}
    - dropout: {rate: 0.2, enabled: "\${dropout}"}
    - dense: {units: 1, activation: sigmoid}
train: {optimizer: {adam: {learning_rate: 0.01}}, loss: binary_crossentropy, batch_size: 20, epochs: 5}
sweep: {seeds: [1, 2], grid: {dropout: [true, false]}}
`;
const configs = (...sets: string[]): RunConfig[] => expandSweep(validateSpecText(spec, 'g.yaml', sets).value!).runs.map((r) => r.config);
const order = { factors: ['dropout'], levels: { dropout: [true, false] } };
const labels = (cs: RunConfig[]) => {
  const g = groupRuns(cs, order);
  return { factorNames: g.factorNames, variants: g.variants.map((v) => v.factors) };
};

describe('groupRuns', () => {
  it('one invocation: the grid factors, in the spec order, seeds pooled', () => {
    const g = groupRuns(configs(), order);
    expect(g.factorNames).toEqual(['dropout']);
    expect(g.variants.map((v) => v.factors)).toEqual([{ dropout: true }, { dropout: false }]);
    expect(g.variantOf).toEqual([0, 0, 1, 1]);
  });

  it('a setting changed by a shell loop becomes a factor named by its spec path', () => {
    expect(labels([...configs('train.batch_size=20'), ...configs('train.batch_size=80')])).toEqual({
      factorNames: ['dropout', 'train.batch_size'],
      variants: [
        { dropout: true, 'train.batch_size': 20 },
        { dropout: true, 'train.batch_size': 80 },
        { dropout: false, 'train.batch_size': 20 },
        { dropout: false, 'train.batch_size': 80 },
      ],
    });
  });

  it('never pools runs of different lengths: epochs becomes a factor', () => {
    expect(labels([...configs(), ...configs('train.epochs=2')]).factorNames).toEqual(['dropout', 'train.epochs']);
  });

  it('names layer and optimizer fields as the spec writes them', () => {
    expect(labels([...configs(), ...configs('model.layers[0].dense.units=16', 'train.optimizer.adam.learning_rate=0.001')]).factorNames).toEqual([
      'dropout',
      'model.layers[0].dense.units',
      'train.optimizer.adam.learning_rate',
    ]);
  });

  it('an optimizer swapped for another is one factor with the spec form as its value', () => {
    const g = labels([...configs(), ...configs('train.optimizer={sgd: {learning_rate: 0.1}}')]);
    expect(g.factorNames).toEqual(['dropout', 'train.optimizer']);
    expect(g.variants[0]!['train.optimizer']).toMatchObject({ adam: { learning_rate: 0.01 } });
  });

  it('does not make a factor of what the grid explains (dropout enabled follows the dropout factor)', () => {
    expect(labels(configs()).factorNames).toEqual(['dropout']);
  });

  it('gives runs from before a grid factor existed the level their settings have, or their own value as a level', () => {
    // A plain run (no grid: dropout on, as the spec's default would be), then the grid over dropout.
    const plain = configs('model.layers[1].dropout.enabled=true', 'sweep.grid={}');
    expect(plain[0]!.factors).toEqual({});
    const g = groupRuns([...plain, ...configs()], order);
    expect(g.variants.map((v) => v.factors)).toEqual([{ dropout: true }, { dropout: false }]);
    expect(g.variantOf).toEqual([0, 0, 0, 0, 1, 1]);
    // A grid over the learning rate, after a plain run at another rate: that run is the level lr=0.001.
    const before = configs('model.layers[1].dropout.enabled=true', 'sweep.grid={}', 'train.optimizer.adam.learning_rate=0.001');
    const grid = configs('model.layers[1].dropout.enabled=true', 'train.optimizer.adam.learning_rate=${lr}', 'sweep.grid={lr: [0.01, 0.1]}');
    const mixed = groupRuns([...before, ...grid], { factors: ['lr'], levels: { lr: [0.01, 0.1] } });
    expect(mixed.factorNames).toEqual(['lr']);
    expect(mixed.variants.map((v) => v.factors)).toEqual([{ lr: 0.01 }, { lr: 0.1 }, { lr: 0.001 }]);
  });

  it('gives the same grouping whatever order the runs come in', () => {
    const a = [...configs('train.batch_size=20'), ...configs('train.batch_size=80')];
    expect(labels([...a].reverse())).toEqual(labels(a));
  });
});

describe('settingsThatDiffer', () => {
  it('names what changed between two result sets by spec path, not what differs between variants', () => {
    expect(settingsThatDiffer(configs(), configs())).toEqual([]);
    expect(settingsThatDiffer(configs(), configs('train.optimizer.adam.learning_rate=0.03', 'train.epochs=4'))).toEqual([
      { setting: 'train.epochs', a: [5], b: [4] },
      { setting: 'train.optimizer.adam.learning_rate', a: [0.01], b: [0.03] },
    ]);
    // Each side's levels by value, whatever order the runs came in.
    const epochs = (...values: number[]) => values.flatMap((e) => configs(`train.epochs=${e}`));
    expect(settingsThatDiffer(epochs(100, 1024, 50, 5), epochs(50, 5))).toEqual([{ setting: 'train.epochs', a: [5, 50, 100, 1024], b: [5, 50] }]);
  });

  it('gives the --set lines a rerun of the spec needs to train what the runs trained, grid factors left alone', () => {
    expect(overridesOf(configs(), configs())).toEqual([]);
    expect(overridesOf(configs(), configs('data.samples=120', 'train.optimizer.adam.learning_rate=0.03', 'sweep.grid.dropout=[true]'))).toEqual([
      'data.samples=120',
      'train.optimizer.adam.learning_rate=0.03',
    ]);
    // Runs that do not agree on a setting give no line for it.
    expect(overridesOf(configs(), [...configs('train.epochs=3'), ...configs('train.epochs=4')])).toEqual([]);
  });
});
