import { parse } from 'csv-parse/sync';
import { DataFileError } from './data-file-error.js';
import type { Dataset } from './dataset.js';

interface CsvOptions {
  /** The column to predict. */
  target: string;
  /** Feature columns, in this order; default: every column but the target. */
  features?: string[];
  /** Columns of labels rather than numbers, one-hot encoded (categories in sorted order). */
  categorical?: string[];
  task: 'classification' | 'regression';
}

/** Class names of a CSV classification target, in the order of their indices. */
interface CsvDataset extends Dataset {
  classNames?: string[];
  /** The encoded feature columns, e.g. `city=Paris`, for messages. */
  featureNames: string[];
}

/** Cell problems reported at once; more are counted, not listed. */
const MAX_CELL_PROBLEMS = 10;
const CELL_SKIPPED = Symbol('cell skipped');

/** Float32 values appended one by one into a buffer that doubles: no per-row arrays, for files of millions of rows. */
class GrowingFloat32 {
  private data = new Float32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  at(i: number): number {
    return this.data[i]!;
  }
  /** The values as an array of their own length (the buffer is dropped). */
  take(): Float32Array {
    const out = this.data.length === this.length ? this.data : this.data.slice(0, this.length);
    this.data = new Float32Array(0);
    return out;
  }
}

/** Labels (categories, class names) by first appearance: each cell costs a number, not a string. */
class Codes {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  readonly values = new GrowingFloat32();
  push(name: string): void {
    let code = this.index.get(name);
    if (code === undefined) {
      code = this.names.length;
      this.index.set(name, code);
      this.names.push(name);
    }
    this.values.push(code);
  }
}

/**
 * A CSV file with a header row as a dataset. Every problem is one line naming the file and, where
 * there is one, the line and column: missing columns, ragged rows, empty or non-numeric cells.
 * Records are taken one at a time into float32 buffers (the parser keeps none), so memory is a
 * small multiple of the dataset's arrays and the file's bytes, whatever the number of rows.
 */
export function parseCsvDataset(input: string | Buffer, file: string, options: CsvOptions): CsvDataset {
  const fail = (message: string, field = 'path'): never => {
    // Cells and column names may hold line breaks (quoted); the message stays one line.
    throw new DataFileError(field, `Reading ${file} failed: ${message.replace(/[\r\n]+/g, ' ')}`);
  };
  // Cell problems are collected and reported together, in file order: one pass shows them all. A
  // column with many (a column of labels) is said once, with its first cell and how many more.
  const bad = new Map<string, { message: string; more: number }>();
  const readCell = (cell: string, line: number, name: string, isFeature: boolean): number => {
    const cellFail = (message: string): never => {
      const key = `${name}\u0000${cell === '' ? 'empty' : 'text'}`;
      const seen = bad.get(key);
      if (seen) seen.more++;
      else bad.set(key, { message, more: 0 });
      throw CELL_SKIPPED;
    };
    try {
      return numberCell(cell, line, name, cellFail, isFeature);
    } catch (err) {
      if (err !== CELL_SKIPPED) throw err;
      return 0;
    }
  };
  let layout: ReturnType<typeof columnLayout> | undefined;
  let rows = 0;
  const numeric = new GrowingFloat32();
  const categories: Codes[] = [];
  const classes = new Codes();
  const regressionTargets = new GrowingFloat32();
  // The first error thrown inside the parser's callback, rethrown once the parser has stopped.
  let stopped: unknown;
  const onRecord = (record: string[], line: number): void => {
    if (!layout) {
      layout = columnLayout(record, options, fail);
      layout.categorical.forEach(() => categories.push(new Codes()));
      return;
    }
    rows++;
    layout.numericIndices.forEach((ci, j) => numeric.push(readCell(record[ci]!, line, layout!.numericNames[j]!, true)));
    layout.categorical.forEach((c, j) => categories[j]!.push(record[c.index]!));
    const target = record[layout.targetIndex]!;
    if (options.task === 'regression') regressionTargets.push(readCell(target, line, options.target, false));
    else classes.push(target);
  };
  try {
    parse(input, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      on_record: (record: string[], context: { lines: number }) => {
        if (stopped === undefined) {
          try {
            onRecord(record, context.lines);
          } catch (err) {
            stopped = err;
          }
        }
        return null;
      },
    });
  } catch (err) {
    const e = err as Error & { lines?: number };
    const ragged = /expect (\d+), got (\d+)/.exec(e.message);
    const what = ragged
      ? `ragged row: ${ragged[2]} cells where the header has ${ragged[1]}`
      : e.message.replace(/ (on|at) line \d+$/, '').replace(/^([^:]+): /, (_, kind: string) => `${kind.toLowerCase()}: `);
    fail(`${what}${e.lines ? ` (line ${e.lines})` : ''}.`);
  }
  if (stopped !== undefined) throw stopped;
  if (!layout) return fail('the file is empty; expected a header row and data rows.');
  if (rows === 0) fail('the file has a header but no data rows.');
  if (bad.size > 0) {
    const problems = [...bad.values()];
    const shown = problems
      .slice(0, MAX_CELL_PROBLEMS)
      .map(
        ({ message, more }) =>
          `Reading ${file} failed: ${message.replace(/[\r\n]+/g, ' ')}${more ? ` And ${more} more cell${more === 1 ? '' : 's'} of this column like it.` : ''}`,
      );
    const rest = problems.slice(MAX_CELL_PROBLEMS).reduce((n, p) => n + 1 + p.more, 0);
    throw new DataFileError('path', shown[0]!, [
      ...shown.slice(1),
      ...(rest > 0 ? [`Reading ${file} failed: ${rest} more cell${rest === 1 ? '' : 's'} like these.`] : []),
    ]);
  }
  const { x, width, encodedNames } = assembleFeatures(layout, rows, numeric, categories);
  if (options.task === 'regression') {
    return {
      name: file,
      task: 'regression',
      featureShape: [width],
      x,
      labels: new Int32Array(rows),
      numClasses: 0,
      targets: regressionTargets.take(),
      targetWidth: 1,
      featureNames: encodedNames,
    };
  }
  const classNames = sortClasses([...classes.names]);
  if (classNames.length < 2) fail(`column "${options.target}" has a single value ("${classNames[0]}"); a classifier needs at least two classes.`, 'target');
  const rank = remap(classes.names, classNames);
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) labels[r] = rank[classes.values.at(r)]!;
  return { name: file, task: 'classification', featureShape: [width], x, labels, numClasses: classNames.length, classNames, featureNames: encodedNames };
}

/** Where the target and each feature are in a row, from the header; a bad header is a located error. */
function columnLayout(header: string[], options: CsvOptions, fail: (message: string, field?: string) => never) {
  if (header.length === 0) fail('the file is empty; expected a header row and data rows.');
  const duplicate = header.find((name, i) => header.indexOf(name) !== i);
  if (duplicate !== undefined) fail(`column "${duplicate}" appears twice in the header.`);
  const column = (name: string, field: string): number => {
    const i = header.indexOf(name);
    if (i < 0) fail(`no column "${name}"; the header has ${header.map((h) => `"${h}"`).join(', ')}.`, field);
    return i;
  };
  const targetIndex = column(options.target, 'target');
  const featureNames = options.features ?? header.filter((h) => h !== options.target);
  if (featureNames.length === 0) fail('there are no feature columns besides the target.');
  if (featureNames.includes(options.target)) fail(`the target "${options.target}" cannot also be a feature.`, 'features');
  for (const c of options.categorical ?? []) if (!featureNames.includes(c)) fail(`"${c}" is not a feature column.`, 'categorical');
  const isCategorical = new Set(options.categorical ?? []);
  const indices = featureNames.map((name) => column(name, 'features'));
  return {
    targetIndex,
    featureNames,
    numericIndices: indices.filter((_, j) => !isCategorical.has(featureNames[j]!)),
    numericNames: featureNames.filter((n) => !isCategorical.has(n)),
    categorical: featureNames.flatMap((name, j) => (isCategorical.has(name) ? [{ name, index: indices[j]! }] : [])),
  };
}

/** The feature matrix in the spec's column order, categorical columns one-hot (categories sorted). */
function assembleFeatures(
  layout: ReturnType<typeof columnLayout>,
  rows: number,
  numeric: GrowingFloat32,
  categories: Codes[],
): { x: Float32Array; width: number; encodedNames: string[] } {
  const sorted = categories.map((c) => [...c.names].sort());
  const byName = new Map(layout.categorical.map((c, j) => [c.name, j]));
  const encodedNames = layout.featureNames.flatMap((name) => (byName.has(name) ? sorted[byName.get(name)!]!.map((c) => `${name}=${c}`) : [name]));
  const width = encodedNames.length;
  if (layout.categorical.length === 0) return { x: numeric.take(), width, encodedNames };
  const ranks = categories.map((c, j) => remap(c.names, sorted[j]!));
  const numericWidth = layout.numericIndices.length;
  const x = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    let offset = r * width;
    let n = 0;
    for (const name of layout.featureNames) {
      const j = byName.get(name);
      if (j === undefined) {
        x[offset++] = numeric.at(r * numericWidth + n++);
        continue;
      }
      x[offset + ranks[j]![categories[j]!.values.at(r)]!] = 1;
      offset += sorted[j]!.length;
    }
  }
  return { x, width, encodedNames };
}

/** For each name in first-seen order, its index in `sorted`. */
function remap(firstSeen: string[], sorted: string[]): Int32Array {
  const at = new Map(sorted.map((name, i) => [name, i]));
  return Int32Array.from(firstSeen, (name) => at.get(name)!);
}

function numberCell(cell: string, line: number, column: string, fail: (m: string, field?: string) => never, isFeature: boolean): number {
  if (cell === '') fail(`line ${line}, column "${column}": empty cell; fill it or drop the row.`);
  const value = Number(cell);
  if (!Number.isFinite(value)) {
    const hint = isFeature ? ` (list the column in data.categorical to one-hot encode it)` : ' (use task: classification for a column of labels)';
    fail(`line ${line}, column "${column}": "${cell.length > 40 ? `${cell.slice(0, 40)}…` : cell}" is not a number${hint}.`);
  }
  return value;
}

/** Numeric class labels in numeric order (2 before 10), others in string order. */
function sortClasses(names: string[]): string[] {
  const numeric = names.every((n) => n !== '' && Number.isFinite(Number(n)));
  return numeric ? names.sort((a, b) => Number(a) - Number(b)) : names.sort();
}
