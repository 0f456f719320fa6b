import { describe, expect, it } from 'vitest';
import { diagnoseRuns, type RunForDiagnosis } from '../../src/analysis/diagnose.js';
import type { LayerKind, LayerSignal, LayerSignalRow } from '../../src/shared/layer-signals.js';
import type { LayerSpec, Spec } from '../../src/spec/schema.js';

const dense = (units: number, activation: string): LayerSpec =>
  ({
    type: 'dense',
    enabled: true,
    units,
    activation,
    use_bias: true,
    trainable: true,
    kernel_initializer: 'glorot_uniform',
    bias_initializer: 'zeros',
  }) as LayerSpec;
const batchNorm = (momentum = 0.99): LayerSpec => ({ type: 'batch_norm', enabled: true, momentum, epsilon: 0.001, trainable: true }) as LayerSpec;
const relu: LayerSpec = { type: 'activation', enabled: true, activation: 'relu' } as LayerSpec;

const config = (layers: LayerSpec[], over: { lr?: number; opt?: 'adam' | 'sgd' } = {}): Pick<Spec, 'data' | 'model' | 'train'> => ({
  data: { dataset: 'mnist', validation_split: 0.2, seed: 0, scale: 'none', target_scale: 'none' } as Spec['data'],
  model: { input_shape: [4], layers },
  train: {
    optimizer: { type: over.opt ?? 'adam', learning_rate: over.lr ?? 0.001 } as Spec['train']['optimizer'],
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
    batch_size: 32,
    epochs: 10,
  } as Spec['train'],
});

/** Rows of one layer: each signal's value per epoch, from epoch 1. */
const layer = (index: number, kind: LayerKind, signals: Partial<Record<LayerSignal, number[]>>): LayerSignalRow[] =>
  Object.entries(signals).flatMap(([signal, values]) =>
    values!.map((value, i) => ({ epoch: i + 1, layer: index, kind, signal: signal as LayerSignal, value })),
  );

// A history that sets off no history-based finding: whatever is found comes from the layers.
const history = [0.9, 0.5, 0.4, 0.35, 0.33, 0.32].map((loss, i) => ({
  epoch: i + 1,
  loss,
  val_loss: loss + 0.02,
  val_accuracy: 0.7 + i * 0.03,
  val_top_class_share: 0.12,
}));
const run = (c: ReturnType<typeof config>, layers: LayerSignalRow[], extra: Partial<RunForDiagnosis> = {}): RunForDiagnosis => ({
  id: 'r',
  variant: 0,
  factors: {},
  config: c,
  status: 'ok',
  history,
  task: 'classification',
  numClasses: 10,
  layers,
  ...extra,
});
const findings = (r: RunForDiagnosis) => diagnoseRuns([r])[0]!.findings;

// Figures of a healthy MLP with batch norm (bn-vs-nobn, 1024 units, epochs 1-6), as recorded.
const healthyBnMlp = config([dense(1024, 'linear'), batchNorm(), relu, dense(10, 'softmax')]);
const healthyLayers = [
  ...layer(0, 'dense', {
    grad_norm: [0.4, 0.2, 0.15, 0.12, 0.1, 0.1],
    weight_norm: [18, 19, 20, 21, 21, 22],
    update_ratio: [0.0066, 0.0035, 0.003, 0.0025, 0.002, 0.002],
    preact_mean: [0, 0, 0, 0, 0, 0],
    preact_std: [0.5, 0.5, 0.6, 0.6, 0.7, 0.7],
    act_mean: [0, 0, 0, 0, 0, 0],
    act_std: [0.5, 0.5, 0.6, 0.6, 0.7, 0.7],
  }),
  ...layer(1, 'batch_norm', {
    grad_norm: [0.1, 0.05, 0.04, 0.04, 0.03, 0.03],
    weight_norm: [32, 32, 32, 32, 32, 32],
    update_ratio: [0.0002, 0.00016, 0.0002, 0.0003, 0.0003, 0.0004],
    bn_mean_gap: [0.26, 0.14, 0.12, 0.1, 0.1, 0.08],
    bn_std_ratio: [1.77, 1.23, 1.06, 1, 1, 1],
  }),
  ...layer(2, 'activation', { act_mean: [0.3, 0.3, 0.3, 0.3, 0.3, 0.3], act_std: [0.41, 0.57, 0.6, 0.7, 0.75, 0.8], dead_share: [0, 0, 0, 0, 0, 0] }),
  ...layer(3, 'dense', {
    grad_norm: [0.5, 0.3, 0.2, 0.2, 0.15, 0.15],
    weight_norm: [2, 2.2, 2.4, 2.6, 2.8, 3],
    update_ratio: [0.0055, 0.0032, 0.003, 0.003, 0.0028, 0.0025],
    act_mean: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
    act_std: [0.27, 0.29, 0.3, 0.3, 0.3, 0.3],
  }),
];

describe('findings from the per-layer signals', () => {
  it("stay silent on Adam's large early steps in a small layer (1 % of the kernel per step at 0.003, 6 % at 0.01)", () => {
    const small = config([dense(16, 'relu'), dense(10, 'softmax')], { lr: 0.003 });
    expect(
      findings(
        run(small, [
          ...layer(0, 'dense', { update_ratio: [0.02, 0.012, 0.0102, 0.009, 0.008, 0.008] }),
          ...layer(1, 'dense', { update_ratio: [0.01, 0.006, 0.005, 0.005, 0.004, 0.004] }),
        ]),
      ),
    ).toEqual([]);
    const tiny = config([dense(8, 'relu'), dense(10, 'softmax')], { lr: 0.01 });
    expect(findings(run(tiny, layer(0, 'dense', { update_ratio: [0.09, 0.066, 0.06, 0.055, 0.05, 0.05] })))).toEqual([]);
  });

  it('stay silent on a healthy batch-norm MLP, and on runs without layer signals', () => {
    expect(findings(run(healthyBnMlp, healthyLayers))).toEqual([]);
    const { layers: _none, ...withoutLayers } = run(healthyBnMlp, []);
    expect(findings(withoutLayers)).toEqual([]);
  });

  it.each([
    {
      name: 'dead ReLUs after a learning rate too high',
      code: 'dead-relus',
      fix: 'train.optimizer.adam.learning_rate=0.01',
      quotes: /layer 0 \(dense, relu\): 72 % of its 100 units output 0 .* at epoch 6 \(10 % at epoch 1; half or more since epoch 3\), with learning rate 0\.1/,
      run: run(config([dense(100, 'relu'), dense(10, 'softmax')], { lr: 0.1 }), layer(0, 'dense', { dead_share: [0.1, 0.3, 0.55, 0.7, 0.71, 0.72] })),
    },
    {
      name: 'a saturated sigmoid output on a regression',
      code: 'saturated-units',
      fix: 'model.layers[1].dense.activation=linear',
      quotes: /layer 1 \(dense, sigmoid\): 100 % of its outputs .* saturated at epoch 6 \(pre-activations 20\.00 ± 3\.00/,
      run: run(
        config([dense(100, 'relu'), dense(1, 'sigmoid')]),
        layer(1, 'dense', { saturated_share: [0.2, 0.6, 0.9, 1, 1, 1], preact_mean: [3, 8, 12, 16, 18, 20], preact_std: [1, 2, 3, 3, 3, 3] }),
        { task: 'regression' },
      ),
    },
    {
      name: 'a saturated tanh hidden layer',
      code: 'saturated-units',
      fix: 'model.layers[0].dense.activation=relu',
      quotes: /layer 0 \(dense, tanh\): 60 % .* beyond ±3\)/,
      run: run(
        config([dense(100, 'tanh'), dense(10, 'softmax')]),
        layer(0, 'dense', { saturated_share: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], preact_mean: [0, 0, 0, 0, 0, 0], preact_std: [1, 2, 3, 4, 5, 6] }),
      ),
    },
    {
      name: 'steps too large for the weights',
      code: 'updates-too-large',
      fix: 'train.optimizer.adam.learning_rate=0.01',
      quotes: /layer 0 \(dense, relu\): one optimizer step moves its kernel by 35 % of its norm/,
      run: run(config([dense(100, 'relu'), dense(10, 'softmax')], { lr: 0.1 }), [
        ...layer(0, 'dense', { update_ratio: [0.6, 0.5, 0.4, 0.3, 0.3, 0.25] }),
        ...layer(1, 'dense', { update_ratio: [0.02, 0.02, 0.01, 0.01, 0.01, 0.01] }),
      ]),
    },
    {
      name: 'steps that leave the weights where they started (SGD at 1e-8)',
      code: 'updates-too-small',
      fix: 'train.optimizer.sgd.learning_rate=0.1',
      quotes: /no layer's kernel moves by more than 1\.00e-10 of its norm per step/,
      run: run(config([dense(100, 'relu'), dense(10, 'softmax')], { opt: 'sgd', lr: 1e-8 }), [
        ...layer(0, 'dense', { update_ratio: [2e-11, 2e-11, 2e-11, 2e-11, 2e-11, 2e-11] }),
        ...layer(1, 'dense', { update_ratio: [1e-10, 1e-10, 1e-10, 1e-10, 1e-10, 1e-10] }),
      ]),
    },
    {
      name: 'vanishing gradients through sigmoid layers',
      code: 'vanishing-gradients',
      fix: 'model.layers[1].dense.activation=relu',
      quotes: /1\.00e-7 in layer 0, 0\.100 in layer 3 .*: the first layer's is 1000000× smaller/,
      run: run(config([dense(64, 'sigmoid'), dense(64, 'sigmoid'), dense(64, 'sigmoid'), dense(10, 'softmax')]), [
        ...layer(0, 'dense', { grad_norm: Array(6).fill(1e-6), weight_norm: Array(6).fill(10) }),
        ...layer(1, 'dense', { grad_norm: Array(6).fill(1e-4), weight_norm: Array(6).fill(10) }),
        ...layer(2, 'dense', { grad_norm: Array(6).fill(1e-2), weight_norm: Array(6).fill(10) }),
        ...layer(3, 'dense', { grad_norm: Array(6).fill(0.2), weight_norm: Array(6).fill(2) }),
      ]),
    },
    {
      name: 'exploding gradients',
      code: 'exploding-gradients',
      fix: 'train.optimizer.adam.learning_rate=0.0001',
      quotes: /the first layer's is 1000× larger/,
      run: run(config([dense(64, 'relu'), dense(64, 'relu'), dense(10, 'softmax')]), [
        ...layer(0, 'dense', { grad_norm: Array(6).fill(1000), weight_norm: Array(6).fill(10) }),
        ...layer(1, 'dense', { grad_norm: Array(6).fill(10), weight_norm: Array(6).fill(10) }),
        ...layer(2, 'dense', { grad_norm: Array(6).fill(0.2), weight_norm: Array(6).fill(2) }),
      ]),
    },
    {
      name: "batch norm's moving statistics still off at the end",
      code: 'batch-norm-moving-gap',
      fix: 'model.layers[1].batch_norm.momentum=0.9',
      quotes:
        /layer 1 \(batch_norm\): .* at epoch 6, the moving means are off by 0\.800 batch standard deviations and the moving std is 1\.80× the batch's \(1\.20 and 2\.50× at epoch 1\), momentum 0\.999/,
      run: run(
        config([dense(16, 'linear'), batchNorm(0.999), relu, dense(10, 'softmax')]),
        layer(1, 'batch_norm', { bn_mean_gap: [1.2, 1.1, 1, 0.9, 0.85, 0.8], bn_std_ratio: [2.5, 2.3, 2.1, 2, 1.9, 1.8] }),
      ),
    },
  ])('find $name, quoting the layer, with a --set fix', ({ run: r, code, fix, quotes }) => {
    const finding = findings(r).find((f) => f.code === code);
    expect(
      finding,
      findings(r)
        .map((f) => f.code)
        .join(','),
    ).toBeDefined();
    expect(finding!.severity).toBe('problem');
    expect(finding!.seen).toMatch(quotes);
    expect(finding!.sets).toContain(fix);
  });

  it('note a sigmoid hidden layer whose saturation grows (the bag-of-words question), and not a steady small share', () => {
    const c = config([dense(512, 'relu'), dense(256, 'sigmoid'), dense(2, 'softmax')]);
    const growing = findings(run(c, layer(1, 'dense', { saturated_share: [0.0144, 0.03, 0.045, 0.06, 0.066, 0.073] })));
    expect(growing.map((f) => [f.code, f.severity])).toEqual([['saturating-hidden-units', 'note']]);
    expect(growing[0]!.seen).toBe('layer 1 (dense, sigmoid): saturated outputs on the probe batch grew from 1.44 % at epoch 1 to 7.3 % at epoch 6');
    expect(growing[0]!.sets).toEqual(['model.layers[1].dense.activation=relu']);
    expect(findings(run(c, layer(1, 'dense', { saturated_share: [0.05, 0.06, 0.06, 0.05, 0.06, 0.06] })))).toEqual([]);
  });

  it("stay silent on a classifier's confident sigmoid output under cross-entropy (its gradient does not vanish)", () => {
    const binary = config([dense(256, 'relu'), dense(1, 'sigmoid')]);
    binary.train.loss = 'binary_crossentropy';
    expect(findings(run(binary, layer(1, 'dense', { saturated_share: [0.3, 0.6, 0.8, 0.95, 1, 1] })))).toEqual([]);
    // Under mse the same output does stop passing gradient: that is still found.
    binary.train.loss = 'mse';
    expect(findings(run(binary, layer(1, 'dense', { saturated_share: [0.3, 0.6, 0.8, 0.95, 1, 1] }))).map((f) => f.code)).toContain('saturated-units');
  });

  it("add the moving means' gap to batch norm's lag finding", () => {
    const lagging = [2.4, 2.0, 1.8, 1.7, 1.6, 1.5, 1.4, 1.35, 1.3, 1.25, 1.2, 1.15];
    const val = [2.2, 2.2, 2.3, 2.5, 2.6, 2.7, 2.7, 2.6, 2.2, 1.8, 1.4, 1.2];
    const c = config([dense(16, 'linear'), batchNorm(0.99), relu, dense(10, 'softmax')]);
    const withSamples = { ...c, data: { ...c.data, samples: 500 } };
    const gap = [1.5, 1.4, 1.3, 1.2, 1.1, 1.0, 0.9, 0.7, 0.5, 0.3, 0.2, 0.1];
    const r = run(withSamples, layer(1, 'batch_norm', { bn_mean_gap: gap, bn_std_ratio: gap.map(() => 1) }), {
      history: lagging.map((loss, i) => ({ epoch: i + 1, loss, val_loss: val[i]! })),
    });
    const lag = findings(r).find((f) => f.code === 'batch-norm-statistics-lag');
    expect(lag?.seen).toMatch(/; layer 1's moving means were off by 0\.900 batch standard deviations at epoch 7 and 0\.300 at epoch 10$/);
  });
});
