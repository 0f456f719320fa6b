import { builtinInfo, DATASET_CATALOG, datasetTask, trainingSamples, type DatasetInfo } from '../data/catalog.js';
import { BOUNDED_ACTIVATIONS, batchNormBeforeOutput, lossOutputMismatch, outputLayer } from '../model/output-checks.js';
import { inferShapes } from '../model/shapes.js';
import type { SpecPath } from '../spec/locate.js';
import type { Spec } from '../spec/schema.js';
import type { FactorValue } from '../shared/factor-value.js';
import { resultColumns } from '../shared/history-contract.js';
import { isBeyondTraining, parseQuantity, type Quantity } from '../shared/quantity.js';

interface RuleIssue {
  severity: 'error' | 'warning';
  path: SpecPath;
  message: string;
}

/** What the rules know of a variant's data: the catalog entry, or for a user file what reading it found. */
export type DataDescriber = (data: Spec['data']) => DatasetInfo | { errors: string[]; path: SpecPath };

interface RuleContext {
  /** Bytes a training may need before it is refused (--max-memory). */
  maxBytes: number;
  /** Undefined for a user file nobody read (pure validation): the checks that need it are skipped. */
  info: DatasetInfo | undefined;
  spec: Spec;
  factors: Record<string, FactorValue>;
  grid: Record<string, FactorValue[]>;
}

type Rule = (ctx: RuleContext) => RuleIssue[];

/**
 * Memory nnlab refuses to plan for: weights, gradients and optimizer slots (4 copies) plus one batch of
 * activations (forward and backward). 8 GiB leaves room for the dataset and the runtime on a 16 GiB machine.
 */
const MAX_TRAINING_BYTES = 8 * 1024 ** 3;

/** Generated data lives in memory as float32; a million samples of a few features is plenty for any question here. */
const MAX_SYNTHETIC_SAMPLES = 1_000_000;

const outputActivation = (spec: Spec): string | undefined => outputLayer(spec.model.layers).activation;
const historyColumns = (spec: Spec): string[] => resultColumns(datasetTask(spec.data), spec.train.metrics);
const lastLayerIndex = (spec: Spec): number => spec.model.layers.length - 1;

const rules: Rule[] = [
  function reportFactorsExist({ spec, grid }) {
    // A setting (train.batch_size) is a factor too when runs in the results folder differ in it (shell-loop sweeps).
    const known = (factor: string) => factor in grid || /^(data|model|train)(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*)+$/.test(factor);
    const compare = spec.report.compare ?? [];
    return compare.flatMap((factor, i) =>
      known(factor)
        ? []
        : [
            {
              severity: 'error' as const,
              path: ['report', 'compare', ...(compare.length > 1 ? [i] : [])],
              message: `"${factor}" is not a sweep.grid factor (factors: ${Object.keys(grid).join(', ') || 'none'}) nor a setting such as train.batch_size`,
            },
          ],
    );
  },
  function callbacksMonitorHistoryColumns({ spec }) {
    const columns = historyColumns(spec);
    return (['early_stopping', 'reduce_lr_on_plateau', 'checkpoint'] as const)
      .filter((name) => spec.train.callbacks[name] && !columns.includes(spec.train.callbacks[name]!.monitor))
      .map((name) => ({
        severity: 'error' as const,
        path: ['train', 'callbacks', name, 'monitor'],
        message: `"${spec.train.callbacks[name]!.monitor}" is not recorded; expected one of ${columns.join(', ')}`,
      }));
  },
  function thresholdsNameHistoryColumns({ spec }) {
    const columns = historyColumns(spec);
    return Object.keys(spec.report.threshold ?? {})
      .filter((key) => !columns.includes(key))
      .map((key) => ({
        severity: 'error' as const,
        path: ['report', 'threshold', key],
        message: `"${key}" is not a recorded metric; expected one of ${columns.join(', ')}`,
      }));
  },
  function quantitiesNameHistoryColumns({ spec }) {
    const columns = historyColumns(spec);
    return (spec.report.quantities ?? []).flatMap((text, i) => {
      const q = parseQuantity(text);
      if ('error' in q || columns.includes(q.column)) return [];
      return [
        {
          severity: 'error' as const,
          path: ['report', 'quantities', i],
          message: `"${q.column}" is not a recorded metric; expected one of ${columns.join(', ')}`,
        },
      ];
    });
  },
  function quantitiesWithinTraining({ spec }) {
    // A quick try (--set train.epochs=1) must run: what needs later epochs is left out, said once.
    const beyond = (spec.report.quantities ?? [])
      .map(parseQuantity)
      .filter((q): q is Quantity => !('error' in q) && isBeyondTraining(q, spec.train.epochs))
      .map((q) => `"${q.label}"`);
    const epochs = (spec.report.at_epochs ?? []).filter((e) => e > spec.train.epochs);
    const left = [...beyond, ...epochs.map((e) => `report.at_epochs ${e}`)];
    if (left.length === 0) return [];
    const needed = Math.max(...(spec.report.quantities ?? []).map(parseQuantity).flatMap((q) => ('error' in q || q.kind !== 'at' ? [] : [q.epoch])), ...epochs);
    return [
      {
        severity: 'warning' as const,
        path: ['train', 'epochs'],
        message: `${left.join(', ')} left out: train.epochs is ${spec.train.epochs}; to keep ${left.length === 1 ? 'it' : 'them'}, --set train.epochs=${needed}`,
      },
    ];
  },
  function marginsNameHistoryColumns({ spec }) {
    const columns = historyColumns(spec);
    return Object.keys(spec.report.margins ?? {})
      .filter((key) => key !== 'epochs' && !columns.includes(key))
      .map((key) => ({
        severity: 'error' as const,
        path: ['report', 'margins', key],
        message: `"${key}" is not a recorded metric; expected one of ${columns.join(', ')}, or epochs (for epochs to a threshold)`,
      }));
  },
  function adaptiveSeedsNeedAComparison({ spec, grid }) {
    const seeds = spec.sweep.seeds;
    if (!seeds.adaptive || (spec.report.compare !== undefined && Object.keys(grid).length > 0)) return [];
    return [
      {
        severity: 'error',
        path: ['sweep', 'seeds', 'until'],
        message: 'seeds until decided need something to decide: set report.compare to a sweep.grid factor',
      },
    ];
  },
  function augmentationNeedsImages({ spec, info }) {
    const shape = info?.featureShape;
    if (!shape || !spec.data.augmentation?.enabled || shape.length === 3) return [];
    return [
      {
        severity: 'error',
        path: ['data', 'augmentation'],
        message: `augmentation transforms images; ${info!.name} samples have shape [${shape.join(', ')}], not [height, width, channels]`,
      },
    ];
  },
  function inputShapeMatchesDataset({ spec, info }) {
    if (!info) return [];
    const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
    if (size(spec.model.input_shape) === size(info.featureShape)) return [];
    return [
      {
        severity: 'error',
        path: ['model', 'input_shape'],
        message: `${info.name} samples have shape [${info.featureShape.join(', ')}] (${size(info.featureShape)} values); expected a shape with that many values, got [${spec.model.input_shape.join(', ')}]`,
      },
    ];
  },
  function outputMatchesTargets({ spec, info }) {
    const shapes = inferShapes(spec.model.input_shape, spec.model.layers);
    if (shapes.error) return [{ severity: 'error', path: ['model', 'layers', shapes.error.layerIndex], message: shapes.error.message }];
    if (!info) return [];
    const out = shapes.outputShape;
    const at: SpecPath = ['model', 'layers', lastLayerIndex(spec)];
    if (out.length !== 1) {
      return [
        {
          severity: 'error',
          path: at,
          message: `the model's output has shape [${out.join(', ')}] per sample; expected one axis (add a flatten layer before the last dense layers)`,
        },
      ];
    }
    const loss = spec.train.loss;
    if (info.task === 'regression') {
      if (loss !== 'mse' && loss !== 'mae')
        return [{ severity: 'error', path: ['train', 'loss'], message: `${info.name} is a regression dataset; expected loss mse or mae, got ${loss}` }];
      if (out[0] !== 1)
        return [{ severity: 'error', path: at, message: `the output layer has ${out[0]} units but ${info.name} has one target per sample; expected 1 unit` }];
      return [];
    }
    const classes = info.numClasses ?? 1;
    if (loss === 'binary_crossentropy' && classes > 2) {
      return [
        {
          severity: 'error',
          path: ['train', 'loss'],
          message: `binary_crossentropy needs 0/1 targets, but ${info.name} has ${classes} classes; use categorical_crossentropy with a softmax output of ${classes} units`,
        },
      ];
    }
    const want = loss === 'binary_crossentropy' ? 1 : classes;
    if (loss === 'binary_crossentropy' && out[0] !== 1)
      return [{ severity: 'error', path: at, message: `binary_crossentropy needs one sigmoid output unit; the output layer has ${out[0]}` }];
    if (info.task === 'classification' && loss !== 'binary_crossentropy' && out[0] !== want) {
      return [
        { severity: 'error', path: at, message: `the output layer has ${out[0]} units but ${info.name} has ${classes} classes; expected ${classes} units` },
      ];
    }
    return [];
  },
  function softmaxNeedsSeveralUnits({ spec }) {
    // Softmax normalizes over the units: over one unit it is 1 whatever the input, so nothing trains.
    const shapes = inferShapes(spec.model.input_shape, spec.model.layers);
    if (shapes.error) return [];
    const oneUnit = spec.model.layers.flatMap((layer, i) =>
      layer.enabled && layer.type === 'dense' && layer.units === 1 && layer.activation === 'softmax' ? [i] : [],
    );
    if (outputActivation(spec) === 'softmax' && shapes.outputShape[shapes.outputShape.length - 1] === 1 && oneUnit.length === 0)
      oneUnit.push(lastLayerIndex(spec));
    return oneUnit.map((i) => ({
      severity: 'error' as const,
      path: ['model', 'layers', i],
      message:
        'softmax over one unit is always 1, whatever the input, so the output cannot learn; use sigmoid for one probability (binary_crossentropy), linear for regression, or one unit per class with softmax',
    }));
  },
  function accuracyNeedsClasses({ spec }) {
    if (datasetTask(spec.data) !== 'regression' || !spec.train.metrics.includes('accuracy')) return [];
    return [
      {
        severity: 'error',
        path: ['train', 'metrics'],
        message: `accuracy needs classes, but ${spec.data.dataset === 'csv' ? spec.data.path : spec.data.dataset} is a regression dataset; use mse or mae`,
      },
    ];
  },
  function boundedOutputForUnboundedTarget({ spec, info }) {
    const act = outputActivation(spec);
    // A softmax output in regression is refused (one unit: constant) by softmaxNeedsSeveralUnits.
    if (!info || info.task !== 'regression' || !act || act === 'softmax' || !BOUNDED_ACTIVATIONS.includes(act) || spec.data.target_scale === 'minmax')
      return [];
    const [lo, hi] = info.targetRange ?? [0, 1];
    return [
      {
        severity: 'warning',
        path: ['model', 'layers', lastLayerIndex(spec)],
        message: `a ${act} output is bounded, but ${info.name} targets range over ${lo}–${hi}${spec.data.target_scale === 'standardize' ? ' (standardized: about −3 to 3)' : ''}; the net can at best predict one constant near the bound. Use a linear output for regression`,
      },
    ];
  },
  function inputsAreScaled({ spec, info }) {
    if (!info) return [];
    const [lo, hi] = info.valueRange;
    const largest = Math.max(Math.abs(lo), Math.abs(hi));
    if (spec.data.scale !== 'none' || largest <= 10) return [];
    return [{ severity: 'warning', path: ['data', 'dataset'], message: `inputs are not scaled (values up to ${largest}); set data.scale: standardize` }];
  },
  function lossMatchesOutputActivation({ spec, info }) {
    const act = outputActivation(spec);
    const loss = spec.train.loss;
    const at: SpecPath = ['train', 'loss'];
    const mismatch = lossOutputMismatch(loss, act, info?.task ?? datasetTask(spec.data), info?.numClasses);
    if (mismatch === 'cross-entropy-without-softmax')
      return [
        {
          severity: 'warning',
          path: at,
          message: `${loss} expects probabilities, but the output activation is ${act ?? 'linear'}; end the model with a softmax`,
        },
      ];
    if (mismatch === 'binary-without-sigmoid')
      return [{ severity: 'warning', path: at, message: `binary_crossentropy expects a sigmoid output, but the output activation is ${act ?? 'linear'}` }];
    // Without the dataset's facts (a user file nobody read) the class count is unknown: say nothing.
    if (mismatch === 'squared-error-on-classes' && info)
      return [
        {
          severity: 'warning',
          path: at,
          message: `${loss} on one-hot class labels trains slowly and calibrates badly; categorical_crossentropy with softmax is the usual choice`,
        },
      ];
    return [];
  },
  function batchNormBeforeOutputLayer({ spec }) {
    const index = batchNormBeforeOutput(spec.model.layers);
    if (index === undefined) return [];
    return [
      {
        severity: 'warning',
        path: ['model', 'layers', index],
        message: 'batch norm directly before the output layer often hurts validation results; move it before the hidden activation',
      },
    ];
  },
  function batchFitsTrainingSet({ spec, info }) {
    if (!info) return [];
    const train = trainingSamples(spec.data, info);
    if (spec.train.batch_size <= train) return [];
    return [
      {
        severity: 'warning',
        path: ['train', 'batch_size'],
        message: `batch size ${spec.train.batch_size} is larger than the ${train} training samples; every epoch is one step`,
      },
    ];
  },
  function syntheticSizeIsBounded({ spec }) {
    if (!DATASET_CATALOG[spec.data.dataset]?.synthetic || (spec.data.samples ?? 0) <= MAX_SYNTHETIC_SAMPLES) return [];
    return [
      {
        severity: 'error',
        path: ['data', 'samples'],
        message: `${spec.data.samples} samples would not fit in memory comfortably; synthetic sets are limited to ${MAX_SYNTHETIC_SAMPLES.toLocaleString('en-US')}`,
      },
    ];
  },
  function modelFitsInMemory({ spec, maxBytes, info }) {
    if (!info) return [];
    const shapes = inferShapes(spec.model.input_shape, spec.model.layers);
    // Weights, gradients and two optimizer slots; forward and backward activations of one batch;
    // the dataset as float32 (features and one-hot targets), held once per worker.
    const samples = spec.data.samples ?? info.samples;
    const dataBytes = 4 * samples * (info.featureShape.reduce((p, d) => p * d, 1) + (info.numClasses ?? 1));
    const bytes = 4 * (4 * shapes.parameters + 2 * spec.train.batch_size * shapes.maxActivationsPerSample * spec.model.layers.length) + dataBytes;
    if (bytes <= maxBytes) return [];
    const gib = (b: number) => (b / 1024 ** 3).toFixed(1);
    return [
      {
        severity: 'error',
        path: ['model', 'layers'],
        message: `this model has ${shapes.parameters.toLocaleString('en-US')} parameters and needs about ${gib(bytes)} GiB to train (data ${gib(dataBytes)} GiB); the limit is ${gib(maxBytes)} GiB per worker (raise it with --max-memory GIB)`,
      },
    ];
  },
];

/** Cross-field checks on every variant; an issue found in several variants is reported once. */
export function checkRules(
  variants: Array<{ factors: Record<string, FactorValue>; spec: Spec }>,
  grid: Record<string, FactorValue[]>,
  maxBytes = MAX_TRAINING_BYTES,
  describeData?: DataDescriber,
): RuleIssue[] {
  const seen = new Set<string>();
  const out: RuleIssue[] = [];
  const add = (issue: RuleIssue) => {
    const key = `${issue.path.join('.')}|${issue.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(issue);
  };
  for (const { spec, factors } of variants) {
    const described = builtinInfo(spec.data) ?? describeData?.(spec.data);
    if (described && 'errors' in described) {
      for (const message of described.errors) add({ severity: 'error', path: described.path, message });
      continue;
    }
    for (const rule of rules) for (const issue of rule({ spec, factors, grid, maxBytes, info: described })) add(issue);
  }
  return out;
}
