import { NnlabError } from '../shared/errors.js';
import type { HistoryRow } from '../shared/history-contract.js';

/** A Keras training log as nnlab's history: one row per epoch (from 1), in nnlab's column names. */
export interface TrainingLog {
  format: 'CSVLogger' | 'history JSON' | 'console';
  rows: HistoryRow[];
  /** classification when an accuracy was logged, else regression. */
  task: 'classification' | 'regression';
  /** The first epoch whose loss was NaN or infinite; the rows end before it. */
  divergedEpoch?: number;
  /** Logged columns nnlab has no name for (auc, precision, …): kept out of the rows, listed. */
  ignored: string[];
  /** Console output: the epoch where Keras printed "early stopping". */
  earlyStopped?: number;
  /** Console output holding several fit() runs (epoch 1 again after later ones): how many; the last is read. */
  trainings?: number;
}

/** Keras' names for what nnlab calls accuracy, mse, mae and lr (with and without val_). */
const KERAS_COLUMNS: Record<string, string> = {
  acc: 'accuracy',
  accuracy: 'accuracy',
  binary_accuracy: 'accuracy',
  categorical_accuracy: 'accuracy',
  sparse_categorical_accuracy: 'accuracy',
  loss: 'loss',
  mse: 'mse',
  mean_squared_error: 'mse',
  mae: 'mae',
  mean_absolute_error: 'mae',
  lr: 'lr',
  learning_rate: 'lr',
};

/**
 * Read what Keras leaves after training: a CSVLogger file (epoch counted from 0, any separator),
 * `json.dump(history.history)` (NaN and Infinity as Python writes them) or the console output of
 * fit (the last "loss: … - val_loss: …" line of each epoch). Columns are renamed to nnlab's
 * (acc → accuracy, mean_absolute_error → mae); a log nnlab cannot read is one line naming the file
 * and, where there is one, the line.
 * @example readTrainingLog('epoch,loss,val_loss\n0,0.9,1.0\n', 'log.csv').rows → [{epoch: 1, loss: 0.9, val_loss: 1}]
 */
export function readTrainingLog(text: string, file: string): TrainingLog {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw logError(file, 'it is empty; expected a CSVLogger file, json.dump(history.history) or the output of fit().');
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return fromColumns(historyJson(trimmed, file), 'history JSON', file);
  if (/^Epoch \d+\/\d+/m.test(trimmed)) {
    // fit() run again in the same output: each "Epoch 1/…" after a later epoch starts another training; the last one is read.
    const starts = [...trimmed.matchAll(/^Epoch 1\/\d+/gm)].map((m) => m.index!);
    const last = trimmed.slice(starts.length ? starts[starts.length - 1]! : 0);
    const stopped = /Epoch 0*(\d+): early stopping/.exec(last)?.[1];
    return {
      ...fromColumns(consoleLog(last, file), 'console', file),
      ...(stopped ? { earlyStopped: Number(stopped) } : {}),
      ...(starts.length > 1 ? { trainings: starts.length } : {}),
    };
  }
  return fromColumns(csvLog(trimmed, file), 'CSVLogger', file);
}

function logError(file: string, message: string, line?: number): NnlabError {
  return new NnlabError('NNLAB_USAGE', `Reading ${file}${line ? `:${line}` : ''} failed: ${message}`);
}

type Columns = Map<string, Array<number | null>>;

/** {"loss": [...], "val_loss": [...]}: Python's json writes NaN and Infinity bare, which JSON.parse refuses. */
function historyJson(text: string, file: string): Columns {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/(?<=[[,:]\s*)-?(NaN|Infinity)(?=\s*[\],}])/g, 'null'));
  } catch (err) {
    throw logError(file, `not JSON (${(err as Error).message.split('\n')[0]}); expected json.dump(history.history).`);
  }
  if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row)))
    return rowsToColumns(parsed as Array<Record<string, unknown>>, file);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw logError(file, 'expected a JSON object of lists, one per metric, as json.dump(history.history) writes.');
  const columns: Columns = new Map();
  for (const [name, values] of Object.entries(parsed)) {
    if (!Array.isArray(values) || values.some((v) => v !== null && typeof v !== 'number'))
      throw logError(file, `"${name}" is not a list of numbers; expected json.dump(history.history).`);
    columns.set(name, values as Array<number | null>);
  }
  const lengths = [...columns].map(([name, v]) => `${name} ${v.length}`);
  if (new Set([...columns.values()].map((v) => v.length)).size > 1)
    throw logError(file, `its lists have different lengths (${lengths.join(', ')}); Keras writes one value per epoch in each.`);
  return columns;
}

/** A list of per-epoch objects ({"epoch": 1, "loss": …}), as nnlab's own history.json and pandas' to_json(orient='records') write. */
function rowsToColumns(rows: Array<Record<string, unknown>>, file: string): Columns {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((n) => n !== 'epoch');
  const columns: Columns = new Map(names.map((n) => [n, []]));
  rows.forEach((row, i) => {
    for (const name of names) {
      const v = row[name];
      if (v !== undefined && v !== null && typeof v !== 'number') throw logError(file, `epoch ${i + 1}'s "${name}" is not a number.`);
      columns.get(name)!.push(typeof v === 'number' ? v : null);
    }
  });
  return columns;
}

/** CSVLogger: a header with `epoch` (counted from 0) and one row per epoch, separated by , ; or tabs. */
function csvLog(text: string, file: string): Columns {
  const lines = text.split(/\r?\n/);
  const separator = [',', ';', '\t'].find((s) => lines[0]!.includes(s)) ?? ',';
  const header = lines[0]!.split(separator).map((h) => h.trim());
  if (!header.includes('loss'))
    throw logError(
      file,
      `its first line (${lines[0]!.slice(0, 60)}) names no "loss" column; expected a CSVLogger file, json.dump(history.history) or the output of fit().`,
      1,
    );
  const columns: Columns = new Map(header.filter((h) => h !== 'epoch').map((h) => [h, []]));
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = line.split(separator);
    if (cells.length !== header.length) throw logError(file, `${cells.length} cells where the header has ${header.length}.`, i + 2);
    header.forEach((name, k) => {
      if (name === 'epoch') return;
      const value = parseNumber(cells[k]!);
      if (value === undefined) throw logError(file, `${name} is "${cells[k]!.trim().slice(0, 20)}", not a number.`, i + 2);
      columns.get(name)!.push(value);
    });
  });
  return columns;
}

/** fit()'s console output: per epoch, its last line with "loss: …" (progress bars repeat it). */
function consoleLog(text: string, file: string): Columns {
  const columns: Columns = new Map();
  let epochs = 0;
  let pending: Map<string, number | null> | undefined;
  const flush = () => {
    if (!pending) return;
    for (const [name, value] of pending) {
      if (!columns.has(name)) columns.set(name, new Array<number | null>(epochs).fill(null));
      columns.get(name)!.push(value);
    }
    for (const [name, values] of columns) if (!pending.has(name)) values.push(null);
    epochs++;
    pending = undefined;
  };
  for (const line of text.split(/\r?\n|\r/)) {
    if (/^Epoch \d+\/\d+/.test(line.trim())) {
      flush();
      pending = new Map();
      continue;
    }
    if (!pending || !/\bloss: /.test(line)) continue;
    pending = new Map();
    for (const m of line.matchAll(/([A-Za-z_]+): (\S+)/g)) {
      const value = parseNumber(m[2]!.replace(/[,;]$/, ''));
      if (value !== undefined) pending.set(m[1]!, value);
    }
  }
  flush();
  if (epochs === 0 || !columns.has('loss')) throw logError(file, 'no epoch with a "loss: …" line; expected the output of fit() with verbose=1 or 2.');
  return columns;
}

/** A logged number; NaN and infinities (as Python prints them) are null. */
function parseNumber(cell: string): number | null | undefined {
  const text = cell.trim();
  if (/^[-+]?(nan|inf|infinity)$/i.test(text)) return null;
  if (text === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return undefined;
  return Number(text);
}

/** Columns renamed to nnlab's, rows per epoch, ending before the loss first stopped being finite. */
function fromColumns(columns: Columns, format: TrainingLog['format'], file: string): TrainingLog {
  const renamed = new Map<string, Array<number | null>>();
  const ignored: string[] = [];
  for (const [name, values] of columns) {
    const validation = name.startsWith('val_');
    const nnlab = KERAS_COLUMNS[validation ? name.slice(4) : name];
    if (!nnlab || (validation && nnlab === 'lr')) ignored.push(name);
    else if (!renamed.has(validation ? `val_${nnlab}` : nnlab)) renamed.set(validation ? `val_${nnlab}` : nnlab, values);
  }
  const loss = renamed.get('loss');
  if (!loss || loss.length === 0) throw logError(file, 'it has no loss values; expected a CSVLogger file, json.dump(history.history) or the output of fit().');
  const epochs = Math.max(...[...renamed.values()].map((v) => v.length));
  const firstBad = loss.findIndex((v) => v === null || !Number.isFinite(v));
  const kept = firstBad < 0 ? epochs : firstBad;
  const rows: HistoryRow[] = Array.from({ length: kept }, (_, i) => {
    const row: HistoryRow = { epoch: i + 1 };
    for (const [name, values] of renamed) {
      const v = values[i];
      row[name] = typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
    return row;
  });
  const task = renamed.has('accuracy') || renamed.has('val_accuracy') ? 'classification' : 'regression';
  return { format, rows, task, ignored, ...(firstBad >= 0 ? { divergedEpoch: firstBad + 1 } : {}) };
}
