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

/**
 * A CSV file with a header row as a dataset. Every problem is one line naming the file and, where
 * there is one, the line and column: missing columns, ragged rows, empty or non-numeric cells.
 */
export function parseCsvDataset(text: string, file: string, options: CsvOptions): CsvDataset {
  const fail = (message: string, field = 'path'): never => {
    // Cells and column names may hold line breaks (quoted); the message stays one line.
    throw new DataFileError(field, `Reading ${file} failed: ${message.replace(/[\r\n]+/g, ' ')}`);
  };
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, info: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    const ragged = /expect (\d+), got (\d+)/.exec(e.message);
    const what = ragged ? `ragged row: ${ragged[2]} cells where the header has ${ragged[1]}` : e.message.replace(/ (on|at) line \d+$/, '').replace(/^([^:]+): /, (_, kind: string) => `${kind.toLowerCase()}: `);
    records = fail(`${what}${e.lines ? ` (line ${e.lines})` : ''}.`);
  }
  const rows = records.map((r) => r.record);
  const header = rows[0];
  if (!header || header.length === 0) return fail('the file is empty; expected a header row and data rows.');
  if (rows.length < 2) fail('the file has a header but no data rows.');
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
  const categorical = new Set(options.categorical ?? []);
  const featureIndices = featureNames.map((name) => column(name, 'features'));
  const body = rows.slice(1);
  // The line in the file where a data row ends (blank lines are skipped, quoted cells may span lines).
  const lineOf = (row: number) => records[row + 1]!.info.lines;

  // Cell problems are collected and reported together, in file order: one pass shows them all.
  const bad: string[] = [];
  const cellFail = (message: string): never => {
    bad.push(message);
    throw CELL_SKIPPED;
  };
  const readCell = (cell: string, line: number, name: string, isFeature: boolean): number => {
    try {
      return numberCell(cell, line, name, cellFail, isFeature);
    } catch (err) {
      if (err !== CELL_SKIPPED) throw err;
      return 0;
    }
  };
  const categories = featureNames.map((name, j) => (categorical.has(name) ? [...new Set(body.map((r) => r[featureIndices[j]!]!))].sort() : undefined));
  const width = categories.reduce((w, c) => w + (c ? c.length : 1), 0);
  const x = new Float32Array(body.length * width);
  body.forEach((row, r) => {
    let offset = r * width;
    featureIndices.forEach((ci, j) => {
      const cell = row[ci]!;
      const cats = categories[j];
      if (cats) {
        x[offset + cats.indexOf(cell)] = 1;
        offset += cats.length;
        return;
      }
      x[offset++] = readCell(cell, lineOf(r), featureNames[j]!, true);
    });
    if (options.task === 'regression') readCell(row[targetIndex]!, lineOf(r), options.target, false);
  });
  if (bad.length > 0) {
    const shown = bad.slice(0, MAX_CELL_PROBLEMS).map((m) => `Reading ${file} failed: ${m.replace(/[\r\n]+/g, ' ')}`);
    const rest = bad.length - MAX_CELL_PROBLEMS;
    throw new DataFileError('path', shown[0]!, [...shown.slice(1), ...(rest > 0 ? [`Reading ${file} failed: ${rest} more cell${rest === 1 ? '' : 's'} like these.`] : [])]);
  }

  const targets = body.map((row) => row[targetIndex]!);
  const encodedNames = featureNames.flatMap((name, j) => categories[j]?.map((c) => `${name}=${c}`) ?? [name]);
  if (options.task === 'regression') {
    const values = Float32Array.from(targets, Number);
    return { name: file, task: 'regression', featureShape: [width], x, labels: new Int32Array(body.length), numClasses: 0, targets: values, targetWidth: 1, featureNames: encodedNames };
  }
  const classNames = sortClasses([...new Set(targets)]);
  if (classNames.length < 2) fail(`column "${options.target}" has a single value ("${classNames[0]}"); a classifier needs at least two classes.`, 'target');
  const index = new Map(classNames.map((c, i) => [c, i]));
  const labels = Int32Array.from(targets, (t) => index.get(t)!);
  return { name: file, task: 'classification', featureShape: [width], x, labels, numClasses: classNames.length, classNames, featureNames: encodedNames };
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
