import { historyValueColumns } from '../shared/history-contract.js';
import { runRecordSchema, type RunConfig, type SavedRun } from '../run/run-chain.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NnlabError } from '../shared/errors.js';
import { requireFormatVersion } from './format.js';
import { LAYERS_FILE, runDir } from './run-files.js';
import { LAYER_KINDS, LAYER_SIGNAL_COLUMNS, LAYER_SIGNAL_NAMES, type LayerSignalRow } from '../shared/layer-signals.js';
import { z } from 'zod';

/** history.json: the columns, and one row per epoch of numbers (null where a value was not finite). */
const historySchema = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.looseObject({ epoch: z.number() }).catchall(z.number().nullable())),
});
/** test.json: the held-out split's metrics. */
const testSchema = z.object({ metrics: z.record(z.string(), z.number().nullable()) });

/**
 * A finished run's files, or undefined when the run is not complete (no run.json yet: killed before
 * it finished). Files from another format version are refused with a message naming the file —
 * never overwritten. Damaged files (unparseable, wrong shape) are refused in `strict` mode
 * (report, diff, doctor) and treated as incomplete otherwise (run retrains them).
 */
export async function readSavedRun(resultsDir: string, id: string, strict = false): Promise<SavedRun | undefined> {
  const dir = runDir(resultsDir, id);
  const read = async (name: string): Promise<unknown> => {
    const file = join(dir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new Incomplete();
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new Damaged(file, 'not valid JSON (truncated or overwritten?)');
    }
    requireFormatVersion(doc, file);
    return doc;
  };
  try {
    const record = parseAs(
      runRecordSchema,
      await read('run.json'),
      join(dir, 'run.json'),
      (field, detail) => `its ${field} is not as nnlab writes it (${detail})`,
    );
    const history = parseAs(
      historySchema,
      await read('history.json'),
      join(dir, 'history.json'),
      () => 'its columns or rows are not lists of names and numbers',
    );
    const config = (await read('config.json')) as RunConfig;
    if (typeof config.seed !== 'number' || !isObject(config.data) || !isObject(config.model) || !isObject(config.train) || !isObject(config.factors)) {
      throw new Damaged(join(dir, 'config.json'), 'it lacks seed, factors, data, model or train');
    }
    const test =
      config.data.test_split !== undefined && record.status === 'ok'
        ? parseAs(testSchema, await read('test.json'), join(dir, 'test.json'), () => 'its metrics are not names and numbers').metrics
        : undefined;
    const layers = await readLayers(join(dir, LAYERS_FILE));
    return {
      record,
      seed: config.seed,
      config,
      columns: historyValueColumns(history.columns),
      history: history.rows,
      ...(test ? { test } : {}),
      ...(layers ? { layers } : {}),
    };
  } catch (err) {
    if (err instanceof Incomplete) return undefined;
    if (err instanceof Damaged) {
      if (strict) throw new NnlabError('NNLAB_RESULTS_INVALID', `Reading results ${err.file} failed: ${err.reason}; rerun nnlab run to retrain that run.`);
      return undefined;
    }
    throw err;
  }
}

/** Diverged runs are results too (the same config diverges again); failed ones are retried. */
export function isReusable(saved: SavedRun | undefined): saved is SavedRun {
  return saved !== undefined && (saved.record.status === 'ok' || saved.record.status === 'diverged');
}

/** layers.csv, or undefined where the run has none (another engine, turned off, or older results). */
async function readLayers(file: string): Promise<LayerSignalRow[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const [header, ...lines] = text.trimEnd().split('\n');
  if (header !== LAYER_SIGNAL_COLUMNS.join(',')) throw new Damaged(file, `its header is not ${LAYER_SIGNAL_COLUMNS.join(',')}`);
  return lines.map((line, i) => {
    const [epoch, layer, kind, signal, value, ...rest] = line.split(',');
    const row = { epoch: toNumber(epoch), layer: toNumber(layer), kind, signal, value: value === '' ? null : toNumber(value) };
    const valid =
      rest.length === 0 &&
      Number.isInteger(row.epoch) &&
      Number.isInteger(row.layer) &&
      KINDS.has(kind!) &&
      SIGNALS.has(signal!) &&
      (row.value === null || Number.isFinite(row.value));
    if (!valid) throw new Damaged(file, `line ${i + 2} is not epoch, layer, kind, signal and value`);
    return row as LayerSignalRow;
  });
}

const KINDS: ReadonlySet<string> = new Set(LAYER_KINDS);
const SIGNALS: ReadonlySet<string> = new Set(LAYER_SIGNAL_NAMES);
const toNumber = (v: string | undefined) => (v !== undefined && v !== '' ? Number(v) : NaN);

class Incomplete extends Error {}
class Damaged extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The document as the schema reads it, or Damaged for `file` with the reason told from the first bad field (e.g. "timings.train_ms") and zod's word on it. */
function parseAs<T>(schema: z.ZodType<T>, doc: unknown, file: string, reason: (field: string, detail: string) => string): T {
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Damaged(file, reason(issue.path.length ? issue.path.join('.') : 'content', issue.message.replace(/^Invalid input: /, '')));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
