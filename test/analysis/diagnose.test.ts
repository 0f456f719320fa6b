import { describe, expect, it } from 'vitest';
import { diagnoseRuns, type RunForDiagnosis } from '../../src/analysis/diagnose.js';
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
const config = (
  over: { layers?: LayerSpec[]; lr?: number; opt?: 'adam' | 'sgd'; batch?: number; targetScale?: 'none' | 'minmax'; dataset?: string } = {},
): Pick<Spec, 'data' | 'model' | 'train'> => ({
  data: {
    dataset: (over.dataset ?? 'mnist') as Spec['data']['dataset'],
    validation_split: 0.2,
    seed: 0,
    scale: 'none',
    target_scale: over.targetScale ?? 'none',
  },
  model: { input_shape: [4], layers: over.layers ?? [dense(16, 'relu'), dense(10, 'softmax')] },
  train: {
    optimizer: { type: over.opt ?? 'adam', learning_rate: over.lr ?? 0.001 } as Spec['train']['optimizer'],
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
    batch_size: over.batch ?? 32,
    epochs: 10,
  },
});
/** A history from per-epoch columns. */
const history = (cols: Record<string, number[]>) =>
  cols[Object.keys(cols)[0]!]!.map((_, i) => ({ epoch: i + 1, ...Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v[i]!])) }));
const run = (h: ReturnType<typeof history>, c = config(), extra: Partial<RunForDiagnosis> = {}): RunForDiagnosis => ({
  id: 'r',
  variant: 0,
  factors: {},
  config: c,
  status: 'ok',
  history: h,
  task: 'classification',
  numClasses: 10,
  ...extra,
});
const codes = (r: RunForDiagnosis) => diagnoseRuns([r])[0]!.findings.map((f) => f.code);

const healthy = history({
  loss: [1.2, 0.6, 0.4, 0.3, 0.25, 0.22, 0.2, 0.19],
  val_loss: [0.9, 0.5, 0.4, 0.35, 0.33, 0.32, 0.31, 0.31],
  val_accuracy: [0.7, 0.85, 0.88, 0.9, 0.91, 0.915, 0.92, 0.92],
  val_top_class_share: [0.15, 0.12, 0.11, 0.11, 0.11, 0.11, 0.11, 0.11],
});

// 500 digits, batch 32: 13 steps per epoch, far fewer than momentum 0.99's ~100-step averaging.
const bnConfig = (momentum: number) => {
  const c = config({
    layers: [
      dense(16, 'linear'),
      { type: 'batch_norm', enabled: true, momentum, epsilon: 0.001, trainable: true },
      { type: 'activation', enabled: true, activation: 'relu' },
      dense(10, 'softmax'),
    ],
  });
  return { ...c, data: { ...c.data, samples: 500 } };
};
// Validation stalls while the training loss falls, then catches up once the averages settle.
const lagging = history({
  loss: [2.4, 2.0, 1.8, 1.7, 1.6, 1.5, 1.4, 1.35, 1.3, 1.25, 1.2, 1.15],
  val_loss: [2.2, 2.2, 2.3, 2.5, 2.6, 2.7, 2.7, 2.6, 2.2, 1.8, 1.4, 1.2],
});

describe('diagnoseRuns', () => {
  it('stays silent on a healthy run', () => {
    expect(codes(run(healthy))).toEqual([]);
  });

  it.each([
    {
      name: 'collapsed output (regression, sigmoid on metres)',
      code: 'collapsed-output',
      run: run(
        history({ loss: [4e8, 4e8, 4e8], val_loss: [4e8, 4e8, 4e8], val_pred_std_ratio: [0.001, 0.0001, 0.00001] }),
        config({ layers: [dense(100, 'relu'), dense(1, 'sigmoid')], dataset: 'road-distance' }),
        { task: 'regression' },
      ),
      fix: 'model.layers[1].dense.activation=linear',
    },
    {
      name: 'collapsed output (regression, SGD at 1e-8)',
      code: 'collapsed-output',
      run: run(
        history({ loss: [4e8, 3.9e8, 3.8e8], val_loss: [4e8, 4e8, 4e8], val_pred_std_ratio: [0.001, 0.001, 0.002] }),
        config({ layers: [dense(1, 'linear')], opt: 'sgd', lr: 1e-8, targetScale: 'minmax', dataset: 'road-distance' }),
        { task: 'regression' },
      ),
      fix: 'train.optimizer={adam: {learning_rate: 0.001}}',
    },
    {
      name: 'collapsed output (one class)',
      code: 'collapsed-output',
      run: run(history({ loss: [2.3, 2.2, 2.1], val_loss: [2.3, 2.3, 2.3], val_top_class_share: [0.99, 1, 1] })),
      fix: 'train.optimizer.adam.learning_rate=0.01',
    },
    {
      name: 'flat loss',
      code: 'flat-loss',
      run: run(history({ loss: [0.693, 0.6931, 0.6929, 0.693, 0.6932], val_loss: [0.69, 0.69, 0.69, 0.69, 0.69] })),
      fix: 'train.optimizer.adam.learning_rate=0.01',
    },
    {
      name: 'divergence',
      code: 'diverged',
      run: run(history({ loss: [5, 50] }), config({ opt: 'sgd', lr: 1e6 }), { status: 'diverged', diverged_epoch: 3 }),
      fix: 'train.optimizer.sgd.learning_rate=100000',
    },
    {
      name: 'overfitting onset',
      code: 'overfitting',
      run: run(history({ loss: [1, 0.5, 0.3, 0.2, 0.1, 0.05], val_loss: [0.9, 0.6, 0.55, 0.65, 0.8, 0.95] })),
      fix: 'train.callbacks.early_stopping={patience: 5, restore_best: true}',
    },
    {
      name: 'overfitting with early stopping switched off in this variant',
      code: 'overfitting',
      run: run(history({ loss: [1, 0.5, 0.3, 0.2, 0.1, 0.05], val_loss: [0.9, 0.6, 0.55, 0.65, 0.8, 0.95] }), {
        ...config(),
        train: {
          ...config().train,
          callbacks: { early_stopping: { enabled: false, monitor: 'val_loss', min_delta: 0, patience: 5, mode: 'auto', restore_best: true } },
        },
      }),
      fix: 'train.callbacks.early_stopping.enabled=true',
    },
    {
      name: 'accuracy peaking early',
      code: 'accuracy-peaks-early',
      run: run(
        history({
          loss: [0.7, 0.5, 0.45, 0.44, 0.43, 0.43, 0.42, 0.42, 0.42],
          val_loss: [0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
          val_accuracy: [0.9, 0.97, 0.85, 0.8, 0.7, 0.6, 0.5, 0.3, 0.12],
        }),
      ),
      fix: 'train.optimizer.adam.learning_rate=0.0001',
    },
    {
      name: 'batch norm before the output',
      code: 'batch-norm-before-output',
      run: run(
        healthy,
        config({ layers: [dense(16, 'relu'), { type: 'batch_norm', enabled: true, momentum: 0.99, epsilon: 0.001, trainable: true }, dense(10, 'softmax')] }),
      ),
      fix: 'model.layers[1].batch_norm.enabled=false',
    },
    {
      name: 'batch norm with tiny batches',
      code: 'batch-norm-small-batch',
      run: run(
        healthy,
        config({
          batch: 4,
          layers: [
            dense(16, 'linear'),
            { type: 'batch_norm', enabled: true, momentum: 0.99, epsilon: 0.001, trainable: true },
            { type: 'activation', enabled: true, activation: 'relu' },
            dense(10, 'softmax'),
          ],
        }),
      ),
      fix: 'train.batch_size=32',
    },
    {
      name: 'batch norm statistics lagging behind few steps per epoch',
      code: 'batch-norm-statistics-lag',
      run: run(lagging, bnConfig(0.99)),
      fix: 'model.layers[1].batch_norm.momentum=0.8',
    },
  ])('finds $name, with a --set fix', ({ run: r, code, fix }) => {
    const finding = diagnoseRuns([r])[0]!.findings.find((f) => f.code === code);
    expect(finding, codes(r).join(',')).toBeDefined();
    expect(finding!.severity).toBe('problem');
    expect(finding!.sets).toContain(fix);
  });

  it.each([
    {
      name: 'validation better than training with dropout',
      code: 'validation-better-than-training',
      run: run(
        history({ loss: [0.9, 0.7, 0.6, 0.55, 0.52], val_loss: [0.6, 0.5, 0.45, 0.42, 0.41] }),
        config({ layers: [dense(16, 'relu'), { type: 'dropout', enabled: true, rate: 0.5 }, dense(10, 'softmax')] }),
      ),
    },
    {
      name: 'high accuracy from the first epoch',
      code: 'high-first-epoch-accuracy',
      run: run(history({ loss: [0.3, 0.2, 0.15, 0.14, 0.13], val_loss: [0.2, 0.19, 0.18, 0.18, 0.18], val_accuracy: [0.95, 0.96, 0.965, 0.965, 0.966] })),
    },
    {
      name: 'too few epochs to judge a trend',
      code: 'too-few-epochs',
      run: run(history({ loss: [0.3, 0.2, 0.15], val_loss: [0.2, 0.19, 0.18], val_accuracy: [0.95, 0.96, 0.965] })),
    },
  ])('explains $name as a note', ({ run: r, code }) => {
    expect(diagnoseRuns([r])[0]!.findings.find((f) => f.code === code)?.severity).toBe('note');
  });

  it('concludes nothing about trends from 3 epochs (a "redundant training set" needs later epochs to compare)', () => {
    expect(codes(run(history({ loss: [0.3, 0.2, 0.15], val_loss: [0.2, 0.19, 0.18], val_accuracy: [0.95, 0.96, 0.965] })))).toEqual(['too-few-epochs']);
  });

  it('says nothing about the first epoch when the run never beat chance', () => {
    expect(
      codes(run(history({ loss: [0.69, 0.69, 0.69], val_loss: [0.69, 0.69, 0.69], val_accuracy: [0.5, 0.5, 0.5] }), config(), { numClasses: 2 })),
    ).not.toContain('high-first-epoch-accuracy');
  });

  it('reports a finding for a variant only when half its runs show it', () => {
    const overfit = run(history({ loss: [1, 0.5, 0.3, 0.2, 0.1, 0.05], val_loss: [0.9, 0.6, 0.55, 0.65, 0.8, 0.95] }));
    const variant = diagnoseRuns([overfit, { ...run(healthy), id: 'b' }, { ...run(healthy), id: 'c' }])[0]!;
    expect(variant.findings).toEqual([]);
    expect(diagnoseRuns([overfit, { ...run(healthy), id: 'b' }])[0]!.findings.map((f) => [f.code, f.count])).toEqual([['overfitting', 1]]);
  });
});

describe('loss / output mismatches', () => {
  it.each([
    {
      name: 'cross-entropy on a linear output',
      layers: [dense(16, 'relu'), dense(10, 'linear')],
      loss: 'categorical_crossentropy',
      fix: 'model.layers[1].dense.activation=softmax',
    },
    { name: 'mse on one-hot labels', layers: [dense(16, 'relu'), dense(10, 'softmax')], loss: 'mse', fix: 'train.loss=categorical_crossentropy' },
  ])('finds $name', ({ layers, loss, fix }) => {
    const c = config({ layers });
    c.train = { ...c.train, loss: loss as Spec['train']['loss'] };
    const finding = diagnoseRuns([run(healthy, c)])[0]!.findings.find((f) => f.code === 'loss-activation-mismatch');
    expect(finding?.sets).toContain(fix);
  });
});

describe('batch norm statistics lag', () => {
  it('stays silent when the averages settle within an epoch or two, or without batch norm', () => {
    expect(codes(run(lagging, bnConfig(0.9)))).not.toContain('batch-norm-statistics-lag');
    expect(codes(run(lagging, config({ layers: [dense(16, 'relu'), dense(10, 'softmax')] })))).not.toContain('batch-norm-statistics-lag');
  });

  it('stays silent when validation never catches up (that is overfitting, not lag)', () => {
    const rising = history({ loss: lagging.map((r) => r.loss), val_loss: [2.2, 2.2, 2.3, 2.5, 2.6, 2.7, 2.8, 2.9, 3.0, 3.1, 3.2, 3.3] });
    expect(codes(run(rising, bnConfig(0.99)))).not.toContain('batch-norm-statistics-lag');
  });
});

describe('the overfitting finding', () => {
  it('replays early stopping on the history to say where it would stop and which epoch it would keep', () => {
    const h = history({ loss: [1, 0.6, 0.4, 0.3, 0.2, 0.15, 0.1, 0.08, 0.06, 0.05], val_loss: [0.9, 0.5, 0.45, 0.5, 0.46, 0.55, 0.6, 0.65, 0.7, 0.75] });
    const finding = diagnoseRuns([run(h)])[0]!.findings.find((f) => f.code === 'overfitting')!;
    expect(finding.why).toContain(
      'early stopping with restore-best (patience 5) would have stopped at epoch 8 and kept epoch 3: val_loss 0.450 instead of 0.750',
    );
  });

  describe("a validation split whose classes are not the training set's", () => {
    const tail = { class_counts: { train: [200, 120], validation: [0, 80] }, numClasses: 2 };
    const falling = history({
      loss: [0.69, 0.68, 0.67, 0.66, 0.66, 0.65],
      val_loss: [0.7, 0.75, 0.8, 0.85, 0.88, 0.9],
      val_accuracy: [0.27, 0.1, 0.02, 0, 0, 0],
      val_top_class_share: [0.7, 0.9, 1, 1, 1, 1],
    });

    it('names the cause with the class shares and the curve, and the --set that fixes it', () => {
      const f = diagnoseRuns([run(falling, config(), tail)])[0]!.findings.find((x) => x.code === 'validation-classes-differ')!;
      expect(f.seen).toBe(
        'validation holds 0 % class 0, 100 % class 1; training 62.5 % class 0, 37.5 % class 1; val_accuracy peaked at 0.270 (epoch 1) and ended at 0.00, below chance (0.500)',
      );
      expect(f.sets).toEqual(['data.split=stratified']);
    });

    it('does not call one class for a one-class validation set a collapse', () => {
      expect(codes(run(falling, config(), tail))).not.toContain('collapsed-output');
      expect(codes(run(falling, config(), { numClasses: 2 }))).toContain('collapsed-output');
    });

    it('stays silent when the classes are in proportion, or when nothing was recorded (stratified)', () => {
      expect(codes(run(healthy, config(), { class_counts: { train: [160, 160], validation: [38, 42] }, numClasses: 2 }))).toEqual([]);
      expect(codes(run(falling, config(), { numClasses: 2 }))).not.toContain('validation-classes-differ');
    });
  });
});
