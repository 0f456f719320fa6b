import { canonicalName } from '../spec/keras-names.js';
import { LOSSES, METRICS, OPTIMIZERS } from '../spec/schema.js';
import { mark, unmapped, type Imported } from './imported.js';
import { className, show } from './map-layers.js';
import { isCall, isUnknown, type PyCall, type PyValue } from './python-values.js';

/** Keras' optimizer arguments in positional order, and nnlab's name for each ('' where nnlab has none). */
const OPTIMIZER_ARGUMENTS: Record<string, Array<[string, string]>> = {
  sgd: [
    ['learning_rate', 'learning_rate'],
    ['momentum', 'momentum'],
    ['nesterov', 'nesterov'],
  ],
  adam: [
    ['learning_rate', 'learning_rate'],
    ['beta_1', 'beta1'],
    ['beta_2', 'beta2'],
    ['epsilon', 'epsilon'],
    ['amsgrad', ''],
  ],
  rmsprop: [
    ['learning_rate', 'learning_rate'],
    ['rho', 'rho'],
    ['momentum', 'momentum'],
    ['epsilon', 'epsilon'],
    ['centered', ''],
  ],
  adagrad: [
    ['learning_rate', 'learning_rate'],
    ['initial_accumulator_value', 'initial_accumulator_value'],
    ['epsilon', ''],
  ],
};

/** Keras' callbacks and the nnlab callback each becomes, with the arguments it takes. */
const CALLBACKS: Record<string, { name: string; args: Record<string, string> }> = {
  EarlyStopping: {
    name: 'early_stopping',
    args: { monitor: 'monitor', min_delta: 'min_delta', patience: 'patience', mode: 'mode', restore_best_weights: 'restore_best' },
  },
  ReduceLROnPlateau: {
    name: 'reduce_lr_on_plateau',
    args: { monitor: 'monitor', factor: 'factor', patience: 'patience', min_delta: 'min_delta', min_lr: 'min_lr', mode: 'mode' },
  },
  ModelCheckpoint: { name: 'checkpoint', args: { monitor: 'monitor', mode: 'mode' } },
};

/** ImageDataGenerator's arguments nnlab's augmentation has. */
const AUGMENTATION: Record<string, string> = {
  rotation_range: 'rotation',
  width_shift_range: 'width_shift',
  height_shift_range: 'height_shift',
  zoom_range: 'zoom',
  horizontal_flip: 'horizontal_flip',
  fill_mode: 'fill',
};

/** Arguments of compile and fit that change nothing nnlab trains (or that nnlab always does its own way). */
const QUIET = new Set(['verbose', 'x', 'y', 'validation_steps', 'initial_epoch', 'workers', 'use_multiprocessing', 'max_queue_size']);

/**
 * compile(): the optimizer (a string, an object such as Adam(lr=1e-3) or Adam(1e-3), or a name bound
 * to one), the loss and the metrics, in nnlab's names; what nnlab lacks is recorded as unmapped.
 */
export function mapCompile(compile: PyCall | undefined, names: Map<string, PyValue>, imported: Imported): Record<string, unknown> {
  const train: Record<string, unknown> = {};
  if (!compile) {
    unmapped(imported, 0, 'model.compile(…)', 'not found: the spec uses Adam (learning rate 0.001); set train.optimizer and train.loss');
    return { optimizer: { adam: { learning_rate: 0.001 } } };
  }
  const at = (v: PyValue | undefined) => (isUnknown(v) && names.has(v.text) ? names.get(v.text)! : v);
  const optimizer = at(compile.kwargs.optimizer ?? compile.args[0]);
  train.optimizer = mapOptimizer(optimizer, compile, imported) ?? { adam: { learning_rate: 0.001 } };
  mark(imported, 'train.optimizer', isCall(optimizer) ? optimizer.line : compile.line);
  const loss = at(compile.kwargs.loss ?? compile.args[1]);
  const lossName =
    typeof loss === 'string'
      ? canonicalName('loss', loss)
      : isCall(loss)
        ? canonicalName('loss', snake(className(loss)))
        : isUnknown(loss)
          ? canonicalName('loss', lastName(loss.text))
          : undefined;
  if (lossName && (LOSSES as readonly string[]).includes(lossName)) {
    train.loss = lossName;
    mark(imported, 'train.loss', compile.line);
    if (isCall(loss) && loss.kwargs.from_logits === true)
      unmapped(
        imported,
        loss.line,
        `${className(loss)}(from_logits=True)`,
        "nnlab's losses take probabilities: end the model with a softmax or sigmoid instead",
      );
  } else unmapped(imported, compile.line, `loss=${show(loss)}`, `nnlab's losses are ${LOSSES.join(', ')}`);
  const metrics = at(compile.kwargs.metrics ?? compile.args[2]);
  if (Array.isArray(metrics)) {
    const mapped = metrics.map((m) =>
      typeof m === 'string'
        ? canonicalName('metric', m)
        : isCall(m)
          ? canonicalName('metric', snake(className(m)))
          : isUnknown(m)
            ? canonicalName('metric', lastName(m.text))
            : undefined,
    );
    const kept = [...new Set(mapped.filter((m): m is string => m !== undefined && (METRICS as readonly string[]).includes(m)))];
    metrics.forEach((m, i) => {
      if (!kept.includes(mapped[i] ?? '')) unmapped(imported, compile.line, `metrics: ${show(m)}`, `nnlab's metrics are ${METRICS.join(', ')}`);
    });
    if (kept.length) {
      train.metrics = kept;
      mark(imported, 'train.metrics', compile.line);
    }
  }
  for (const key of Object.keys(compile.kwargs))
    if (!['optimizer', 'loss', 'metrics'].includes(key) && !QUIET.has(key)) unmapped(imported, compile.line, `compile(${key}=…)`, 'not mapped');
  return train;
}

function mapOptimizer(value: PyValue | undefined, compile: PyCall, imported: Imported): unknown {
  if (typeof value === 'string') {
    const name = canonicalName('optimizer', value);
    if ((OPTIMIZERS as readonly string[]).includes(name)) return { [name]: { learning_rate: defaultRate(name) } };
  }
  if (isCall(value)) {
    const name = canonicalName('optimizer', className(value));
    const order = OPTIMIZER_ARGUMENTS[name];
    if (order) {
      const body: Record<string, unknown> = {};
      const given: Array<[string, PyValue]> = [
        ...value.args.map((v, i): [string, PyValue] => [order[i]?.[0] ?? `argument ${i + 1}`, v]),
        ...Object.entries(value.kwargs),
      ];
      for (const [key, v] of given) {
        const field = key === 'lr' ? 'learning_rate' : order.find(([k]) => k === key)?.[1];
        if (field && (typeof v === 'number' || typeof v === 'boolean')) body[field] = v;
        else if (key !== 'name')
          unmapped(
            imported,
            value.line,
            `${className(value)}(${key}=${show(v)})`,
            field === '' || field === undefined ? `nnlab's ${name} has no ${key}` : 'computed at run time',
          );
      }
      return { [name]: { learning_rate: defaultRate(name), ...body } };
    }
  }
  unmapped(imported, compile.line, `optimizer=${show(value)}`, `nnlab's optimizers are ${OPTIMIZERS.join(', ')}; the spec uses Adam (learning rate 0.001)`);
  return undefined;
}

/** `keras.losses.categorical_crossentropy` (a function passed by reference): its own name. */
function lastName(text: string): string {
  return text.split('.').pop()!;
}

/** A callback's monitored column in nnlab's names: 'val_acc' → 'val_accuracy', 'mean_absolute_error' → 'mae'. */
function monitorName(text: string): string {
  const validation = text.startsWith('val_');
  const base = validation ? text.slice(4) : text;
  const name = base === 'loss' ? base : canonicalName('metric', base);
  return validation ? `val_${name}` : name;
}

/** Keras' default learning rates. */
function defaultRate(name: string): number {
  return name === 'sgd' || name === 'adagrad' ? 0.01 : 0.001;
}

/**
 * fit() or fit_generator(): epochs (Keras' default: 1), the batch size (its default 32, or a
 * generator's flow(batch_size=…)), validation_split (Keras': the last share, as given), callbacks
 * (EarlyStopping, ReduceLROnPlateau, ModelCheckpoint), and the augmentation of an
 * ImageDataGenerator it flows from.
 */
export function mapFit(
  fit: PyCall | undefined,
  names: Map<string, PyValue>,
  imported: Imported,
): { train: Record<string, unknown>; data: Record<string, unknown>; flow?: PyCall } {
  const train: Record<string, unknown> = {};
  const data: Record<string, unknown> = {};
  if (!fit) {
    unmapped(imported, 0, 'model.fit(…)', "not found: the spec trains Keras' defaults (1 epoch, batch 32)");
    return { train: { epochs: 1, batch_size: 32 }, data };
  }
  const at = (v: PyValue | undefined) => (isUnknown(v) && names.has(v.text) ? names.get(v.text)! : v);
  const flow = [fit.args[0], fit.kwargs.x, fit.kwargs.generator]
    .map(at)
    .find((v): v is PyCall => isCall(v) && /\.flow(_from_directory|_from_dataframe)?$/.test(v.callee));
  const epochs = fit.kwargs.epochs ?? (flow ? undefined : fit.args[2]);
  if (typeof epochs === 'number') train.epochs = epochs;
  else {
    train.epochs = 1;
    if (epochs !== undefined) unmapped(imported, fit.line, `epochs=${show(epochs)}`, 'computed at run time; the spec trains 1 epoch');
  }
  mark(imported, 'train.epochs', fit.line, epochs === undefined ? "Keras' default" : undefined);
  const batch = fit.kwargs.batch_size ?? (flow ? flow.kwargs.batch_size : fit.args[3]);
  train.batch_size = typeof batch === 'number' ? batch : 32;
  if (batch !== undefined && typeof batch !== 'number')
    unmapped(imported, flow?.line ?? fit.line, `batch_size=${show(batch)}`, "computed at run time; the spec uses Keras' default, 32");
  mark(
    imported,
    'train.batch_size',
    flow && typeof flow.kwargs.batch_size === 'number' ? flow.line : fit.line,
    batch === undefined ? "Keras' default" : undefined,
  );
  const split = fit.kwargs.validation_split;
  if (typeof split === 'number' && split > 0) {
    data.validation_split = split;
    data.split = 'tail';
    mark(imported, 'data.validation_split', fit.line);
    mark(imported, 'data.split', fit.line, "Keras' validation_split takes the last share of the data as given; `stratified` keeps every class in proportion");
  } else if (fit.kwargs.validation_data !== undefined) {
    data.validation_split = 0.2;
    mark(imported, 'data.validation_split', fit.line, 'validation_data: nnlab validates on a stratified, seeded share of the training data');
  }
  if (fit.kwargs.shuffle === false) unmapped(imported, fit.line, 'fit(shuffle=False)', 'nnlab shuffles every epoch, from the run seed');
  if (fit.kwargs.steps_per_epoch !== undefined)
    mark(imported, 'train.epochs', undefined, 'steps_per_epoch: an nnlab epoch is one pass over the training split');
  const callbacks = at(fit.kwargs.callbacks);
  if (callbacks !== undefined) {
    const list = (Array.isArray(callbacks) ? callbacks.map(at) : [callbacks]).filter((cb): cb is PyValue => cb !== undefined);
    const mapped: Record<string, unknown> = {};
    for (const cb of list) mapCallback(cb, mapped, imported, fit.line);
    if (Object.keys(mapped).length) train.callbacks = mapped;
  }
  for (const key of Object.keys(fit.kwargs)) {
    if (
      !['epochs', 'batch_size', 'validation_split', 'validation_data', 'shuffle', 'steps_per_epoch', 'callbacks', 'generator'].includes(key) &&
      !QUIET.has(key)
    )
      unmapped(imported, fit.line, `fit(${key}=${show(fit.kwargs[key])})`, 'not mapped');
  }
  return { train, data, ...(flow ? { flow } : {}) };
}

function mapCallback(value: PyValue, into: Record<string, unknown>, imported: Imported, line: number): void {
  if (!isCall(value)) return unmapped(imported, line, `callback ${show(value)}`, 'not a callback nnlab can read');
  const known = CALLBACKS[className(value)];
  if (!known) return unmapped(imported, value.line, `${className(value)}(…)`, `nnlab's callbacks are ${Object.keys(CALLBACKS).join(', ')}`);
  const body: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value.kwargs)) {
    const field = known.args[key];
    if (field === 'monitor' && typeof v === 'string') body[field] = monitorName(v);
    else if (field && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')) body[field] = v;
    else if (!['verbose', 'filepath', 'save_best_only', 'save_weights_only', 'baseline', 'cooldown'].includes(key))
      unmapped(imported, value.line, `${className(value)}(${key}=${show(v)})`, 'not mapped');
    else if (key === 'baseline' || key === 'cooldown')
      unmapped(imported, value.line, `${className(value)}(${key}=${show(v)})`, `nnlab's ${known.name} has no ${key}`);
  }
  into[known.name] = body;
  mark(imported, `train.callbacks.${known.name}`, value.line);
}

/** An ImageDataGenerator's arguments as data.augmentation; rescale is a note (nnlab's images are already in [0, 1]). */
export function mapAugmentation(generator: PyCall, imported: Imported): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(generator.kwargs)) {
    const field = AUGMENTATION[key];
    if (key === 'rescale') {
      mark(imported, 'data.augmentation', generator.line, `rescale=${show(v)}: nnlab scales with data.scale (its MNIST is already in [0, 1])`);
      continue;
    }
    if (field && (typeof v === 'number' || typeof v === 'boolean' || (field === 'fill' && (v === 'nearest' || v === 'constant')))) out[field] = v;
    else
      unmapped(
        imported,
        generator.line,
        `ImageDataGenerator(${key}=${show(v)})`,
        field ? 'expected a number' : `nnlab's augmentation has ${Object.keys(AUGMENTATION).join(', ')}`,
      );
  }
  if (Object.keys(out).length === 0) return undefined;
  mark(imported, 'data.augmentation', generator.line);
  return out;
}

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
