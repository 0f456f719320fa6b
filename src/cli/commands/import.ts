import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { DATASET_CATALOG } from '../../data/catalog.js';
import { peekDataFile } from '../../data/peek-data-file.js';
import type { Imported } from '../../keras/imported.js';
import { modelJsonToSpec } from '../../keras/model-json.js';
import { readKerasScript } from '../../keras/read-script.js';
import { csvColumnsNamed, scriptToSpec, type DataChoice } from '../../keras/script-to-spec.js';
import { renderImportedSpec } from '../../keras/spec-yaml.js';
import { writeFileAtomic } from '../../results/atomic-write.js';
import { NnlabError } from '../../shared/errors.js';
import { wrapText } from '../../shared/wrap-text.js';
import { planOrExit } from '../plan-or-exit.js';
import type { Terminal } from '../terminal.js';

interface ImportOptions {
  output?: string;
  data?: string[];
  force?: boolean;
}

/**
 * Turn a Keras training script (read with a Python parser, never run) or model.to_json() output
 * into a spec; write it with each entry's source line, list what was not mapped, and validate it.
 * Exit 0 when the spec validates and is the script's model; 2 when it cannot be written, does not
 * validate yet, or is another model (a layer nnlab has not, branches merged).
 */
export async function importCommand(file: string, options: ImportOptions, term: Terminal): Promise<number> {
  const full = resolve(term.cwd, file);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NnlabError(
      'NNLAB_USAGE',
      `Reading ${file} failed: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message}; expected a Keras training script (.py) or the JSON of model.to_json().`,
    );
  }
  if (/\.(h5|hdf5|keras|pb|pt|pth|ckpt)$/i.test(file) || text.includes('\u0000')) {
    throw new NnlabError(
      'NNLAB_USAGE',
      `Reading ${file} failed: it is a binary file (a saved model?); nnlab import reads a training script (.py) or model.to_json() output: in Python, open('model.json', 'w').write(model.to_json()).`,
    );
  }
  // The experiment is named as its spec file is (results/<name>), as the shipped experiments are.
  const stem = (path: string) =>
    basename(path, extname(path))
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '') || 'imported';
  const out = resolve(term.cwd, options.output ?? `${stem(file)}.yaml`);
  const name = stem(out);
  const shown = relative(term.cwd, out) || out;
  const inputs = [full, ...(options.data ?? []).map((d) => resolve(term.cwd, d))];
  if (inputs.includes(out))
    throw new NnlabError('NNLAB_USAGE', `Writing ${shown} failed: it is one of this command's own inputs (the script or --data); name the spec with -o.`);
  if (existsSync(out) && !options.force)
    throw new NnlabError('NNLAB_USAGE', `Writing ${shown} failed: it exists; nothing was changed. Name another file with -o, or pass --force to replace it.`);
  const json = extname(file).toLowerCase() === '.json';
  let imported: Imported & { needsData?: { line: number; text: string } };
  if (json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new NnlabError(
        'NNLAB_USAGE',
        `Reading ${file} failed: not JSON (${(err as Error).message.split('\n')[0]}); expected the output of model.to_json().`,
      );
    }
    const { choice, featureShape } = dataChoice(options.data ?? [], term.cwd, dirname(out), 'classification');
    if (!choice)
      throw new NnlabError(
        'NNLAB_USAGE',
        `Importing ${file} failed: model.to_json() says nothing about the data; pass --data FILE (CSV, .npy or .npz) or a built-in dataset (--data mnist; see nnlab datasets).`,
      );
    imported = modelJsonToSpec(parsed, { name, data: choice, ...(featureShape ? { featureShape } : {}) });
  } else {
    const script = readKerasScript(text);
    if (script.syntaxError !== undefined) {
      throw new NnlabError(
        'NNLAB_USAGE',
        `Reading ${file}:${script.syntaxError} failed: not valid Python there (a syntax error: if Python runs it, nnlab's parser cannot read this line; write it another way); nothing was written.`,
      );
    }
    if (script.layers.length === 0) {
      throw new NnlabError(
        'NNLAB_USAGE',
        `Importing ${file} failed: no Keras model found in it (a Sequential model, or keras.Model from an Input, made in the script or returned by a function of it); nothing was written.`,
      );
    }
    const task = /loss\s*=\s*['"](mse|mae|mean_squared_error|mean_absolute_error)/.test(text) ? 'regression' : 'classification';
    const { choice, featureShape } = dataChoice(options.data ?? [], term.cwd, dirname(out), task, (columns) => csvColumnsNamed(script, columns));
    imported = scriptToSpec(script, { name, ...(choice ? { data: choice } : {}), ...(featureShape ? { featureShape } : {}) });
    if (imported.needsData && !choice) {
      throw new NnlabError(
        'NNLAB_USAGE',
        `Importing ${file} failed: ${file}:${imported.needsData.line} loads the data (${imported.needsData.text}), which nnlab cannot follow without running the script; pass it with --data FILE (CSV, .npy or .npz) or a built-in dataset (--data mnist; see nnlab datasets).`,
      );
    }
  }
  await writeFileAtomic(out, renderImportedSpec(imported, basename(file)));
  const layers = ((imported.spec.model as { layers: unknown[] }).layers ?? []).length;
  const say = (line: string, hanging = '  ') => term.stderr(wrapText(line, term.columns, hanging) + '\n');
  say(
    `wrote ${shown}: ${layers} layer${layers === 1 ? '' : 's'}, ${imported.unmapped.length ? `${imported.unmapped.length} thing${imported.unmapped.length === 1 ? '' : 's'} not mapped (listed at its top, with their lines)` : 'everything mapped'}`,
  );
  for (const u of [...imported.unmapped].sort((a, b) => a.line - b.line).slice(0, 8))
    say(`  ${u.line ? `${basename(file)}:${u.line} ` : ''}${u.what}: ${u.why}`, '    ');
  if (imported.unmapped.length > 8) say(`  … ${imported.unmapped.length - 8} more in ${shown}`);
  try {
    await planOrExit(shown, [], term);
  } catch (err) {
    if (!(err instanceof NnlabError)) throw err;
    say(`${shown} does not validate yet: fix what is named above, then nnlab run ${shown}`);
    return 2;
  }
  const changed = imported.unmapped.filter((u) => u.changesModel).length;
  if (changed) {
    say(
      `${shown} is not the script's model: ${changed === 1 ? 'one part of it' : `${changed} parts of it`} could not be mapped (above); edit the spec, or run it knowing it is another model`,
    );
    return 2;
  }
  say(`next: write your question in it, then nnlab run ${shown}`);
  return 0;
}

/**
 * --data: a built-in dataset's name, a CSV (its target and features as the script names them, else
 * a column called target/label/… or the last), a .npz, or two .npy files (features, then labels).
 */
function dataChoice(
  values: string[],
  cwd: string,
  specDir: string,
  task: 'classification' | 'regression',
  csvColumns?: (columns: string[]) => { target?: string; features?: string[] },
): { choice?: DataChoice; featureShape?: number[] } {
  if (values.length === 0) return {};
  const [first, second] = values;
  if (values.length === 1 && DATASET_CATALOG[first!]) return { choice: { dataset: first! } };
  if (!extname(first!) && !existsSync(resolve(cwd, first!))) {
    throw new NnlabError(
      'NNLAB_USAGE',
      `Reading --data ${first} failed: not a built-in dataset (nnlab datasets lists them: ${Object.keys(DATASET_CATALOG).join(', ')}) nor a file.`,
    );
  }
  const rel = (p: string) => relative(specDir, resolve(cwd, p)) || p;
  const peeked = values.map((v) => peekDataFile(resolve(cwd, v), v));
  const a = peeked[0]!;
  const extra = (kind: string) =>
    new NnlabError('NNLAB_USAGE', `Reading --data failed: ${kind} data is one file; got ${values.length} (${values.join(', ')}).`);
  if (a.kind === 'csv') {
    if (values.length > 1) throw extra('CSV');
    const named = csvColumns?.(a.columns) ?? {};
    const target = named.target ?? ['target', 'label', 'labels', 'y', 'class'].find((c) => a.columns.includes(c)) ?? a.columns[a.columns.length - 1]!;
    const features = named.features ?? a.columns.filter((c) => c !== target);
    return { choice: { dataset: 'csv', path: rel(first!), target, ...(named.features ? { features } : {}), task }, featureShape: [features.length] };
  }
  if (a.kind === 'npz') {
    if (values.length > 1) throw extra('.npz');
    const names = Object.keys(a.arrays);
    const x = ['x', 'x_train', 'X', 'X_train', 'features'].find((n) => names.includes(n)) ?? names[0];
    const y = ['y', 'y_train', 'Y', 'Y_train', 'labels', 'targets'].find((n) => names.includes(n)) ?? names.find((n) => n !== x);
    if (!x || !y)
      throw new NnlabError('NNLAB_DATA_INVALID', `Reading ${first} failed: it needs two arrays, features and labels (it has ${names.join(', ') || 'none'}).`);
    return { choice: { dataset: 'npz', path: rel(first!), x, y, task }, featureShape: sampleShape(a.arrays[x]!) };
  }
  const b = second === undefined ? undefined : peeked[1];
  if (a.kind !== 'npy' || b?.kind !== 'npy' || values.length > 2)
    throw new NnlabError('NNLAB_USAGE', `Reading --data failed: .npy data is two files, features then labels (--data x.npy --data y.npy), or one .npz.`);
  return { choice: { dataset: 'npy', x: rel(first!), y: rel(second!), task }, featureShape: sampleShape(a.shape) };
}

/** One sample's shape from an array of samples: (n, 28, 28) → [28, 28]; (n,) → [1]. */
function sampleShape(shape: number[]): number[] {
  return shape.length > 1 ? shape.slice(1) : [1];
}
