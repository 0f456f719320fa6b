import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { SpecPath } from '../spec/locate.js';
import type { DataSpec } from '../spec/schema.js';
import { NnlabError } from '../shared/errors.js';
import { readCachedDataset, readCachedDatasetSync, writeCachedDataset, writeCachedDatasetSync } from './binary-cache.js';
import type { DatasetInfo } from './catalog.js';
import { parseCsvDataset } from './csv.js';
import { DataFileError } from './data-file-error.js';
import type { Dataset } from './dataset.js';
import { parseIdxDataset } from './idx.js';
import { numpyDataset, parseNpy, parseNpz } from './numpy.js';

/** Larger files are not what nnlab's in-memory float32 datasets are for; refusing them up front bounds memory. */
const MAX_DATA_FILE_BYTES = 2 * 1024 ** 3;

/** The files a user-data spec names, as written and with the spec field each comes from. */
function dataFiles(data: DataSpec): Array<{ shown: string; field: string }> {
  if (data.dataset === 'csv') return [{ shown: data.path!, field: 'path' }];
  if (data.dataset === 'idx')
    return [
      { shown: data.images!, field: 'images' },
      { shown: data.labels!, field: 'labels' },
    ];
  if (data.dataset === 'npz') return [{ shown: data.path!, field: 'path' }];
  if (data.dataset === 'npy')
    return [
      { shown: data.x!, field: 'x' },
      { shown: data.y!, field: 'y' },
    ];
  return [];
}

const resolve = (file: string, baseDir: string) => (isAbsolute(file) ? file : join(baseDir, file));

/**
 * A user's CSV or IDX dataset. Paths are relative to `baseDir` (the spec's folder). Parsed once per
 * process and options; a file changed since is read again.
 */
export function readFileDataset(data: DataSpec, baseDir: string): Dataset {
  const files = dataFiles(data).map((f) => ({ ...f, full: resolve(f.shown, baseDir) }));
  const key = parseKey(
    data,
    files.map((f) => f.full),
  );
  const cached = parsed.get(key);
  if (cached) return cached;
  const [first, second] = files.map((f) => readBytes(f.full, f.shown, f.field));
  const dataset =
    data.dataset === 'csv'
      ? parseCsvDataset(Buffer.from(first!.buffer, first!.byteOffset, first!.byteLength), data.path!, {
          target: data.target!,
          features: data.features,
          categorical: data.categorical,
          task: data.task!,
        })
      : data.dataset === 'npz'
        ? npzDataset(first!, data)
        : data.dataset === 'npy'
          ? numpyDataset(parseNpy(first!, data.x!, 'x'), parseNpy(second!, data.y!, 'y'), {
              task: data.task!,
              name: data.x!,
              fields: { x: 'x', y: 'y' },
              files: { x: data.x!, y: data.y! },
            })
          : parseIdxDataset(first!, second!, { images: data.images!, labels: data.labels! });
  parsed.set(key, dataset);
  return dataset;
}

const parsed = new Map<string, Dataset>();

/** Bump when parsing a user file changes what it gives: older cached conversions are then ignored. */
const PARSER_VERSION = 1;

/**
 * A user's data file(s) through the converted-dataset cache, once per sweep: the first process
 * (nnlab run, before its workers start) parses and writes raw float32 arrays, the workers read those
 * instead of parsing again. The cache is keyed by the files' sha256 (the run's data_files, computed
 * when the sweep was planned), their size and mtime now, and the parse options; without
 * fingerprints or a cache folder the file is parsed.
 */
export async function loadFileDataset(data: DataSpec, baseDir: string, cacheDir?: string, fingerprints?: Record<string, string>): Promise<Dataset> {
  if (!cacheDir || !fingerprints) return readFileDataset(data, baseDir);
  const { name, key } = cacheEntry(data, baseDir, fingerprints);
  const cached = await readCachedDataset(cacheDir, name, key);
  if (cached) return cached;
  const dataset = readFileDataset(data, baseDir);
  await writeCachedDataset(cacheDir, name, key, dataset);
  return dataset;
}

/** loadFileDataset for the pre-flight checks, which cannot wait: the fingerprints are computed here. */
function loadFileDatasetSync(data: DataSpec, baseDir: string, cacheDir: string | undefined): Dataset {
  const fingerprints = cacheDir ? dataFileFingerprint(data, baseDir) : undefined;
  if (!cacheDir || !fingerprints) return readFileDataset(data, baseDir);
  const { name, key } = cacheEntry(data, baseDir, fingerprints);
  const cached = readCachedDatasetSync(cacheDir, name, key);
  if (cached) return cached;
  const dataset = readFileDataset(data, baseDir);
  writeCachedDatasetSync(cacheDir, name, key, dataset);
  return dataset;
}

/** The cache file of a user's data (one per file and parse options) and the key its contents must have. */
function cacheEntry(data: DataSpec, baseDir: string, fingerprints: Record<string, string>): { name: string; key: string } {
  const files = dataFiles(data).map((f) => resolve(f.shown, baseDir));
  return {
    name: `user-data-${createHash('sha256').update(userDataSource(data, baseDir)!).digest('hex').slice(0, 16)}.bin`,
    key: JSON.stringify([PARSER_VERSION, fingerprints, files.map(versionKey), parseOptions(data)]),
  };
}

/** Which user files a data spec reads and how they parse, as one string; undefined for built-in datasets. */
export function userDataSource(data: DataSpec, baseDir: string): string | undefined {
  const files = dataFiles(data).map((f) => resolve(f.shown, baseDir));
  return files.length ? JSON.stringify([files, parseOptions(data)]) : undefined;
}

/** What of the data spec changes how a file parses. */
function parseOptions(data: DataSpec): unknown[] {
  return [data.dataset, data.target, data.features, data.categorical, data.task, data.x, data.y];
}

/** The in-process key: the files as they are now and how they parse. */
function parseKey(data: DataSpec, files: string[]): string {
  return JSON.stringify([files.map(versionKey), parseOptions(data)]);
}

/** A .npz archive's x and y arrays (named by data.x and data.y, default x and y). */
function npzDataset(bytes: Uint8Array, data: DataSpec): Dataset {
  const arrays = parseNpz(bytes, data.path!, 'path');
  const pick = (field: 'x' | 'y') => {
    const name = data[field] ?? field;
    const entry = arrays[name];
    if (!entry)
      throw new DataFileError(
        field,
        `Reading ${data.path} failed: it has no array "${name}" (it has ${Object.keys(arrays).join(', ') || 'none'}); name one with data.${field}.`,
      );
    return parseNpy(entry, `${data.path}:${name}.npy`, field);
  };
  return numpyDataset(pick('x'), pick('y'), {
    task: data.task!,
    name: data.path!,
    fields: { x: 'x', y: 'y' },
    files: { x: `${data.path}:${data.x ?? 'x'}.npy`, y: `${data.path}:${data.y ?? 'y'}.npy` },
  });
}

/**
 * sha256 of each user data file a data spec names (undefined for built-in datasets), so that runs on
 * an edited file get new ids instead of being taken as done. Files the pre-flight check has read are
 * not read again; unreadable ones are left out (that check has already reported them).
 */
export function dataFileFingerprint(data: DataSpec, baseDir: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const { shown } of dataFiles(data)) {
    const full = resolve(shown, baseDir);
    let digest = digests.get(versionKey(full));
    if (!digest) {
      try {
        digest = remember(full, readFileSync(full));
      } catch {
        continue;
      }
    }
    out[shown] = digest;
  }
  return Object.keys(out).length ? out : undefined;
}

/** sha256 of file contents by path and version (size, mtime). */
const digests = new Map<string, string>();

function remember(full: string, bytes: Uint8Array): string {
  const digest = createHash('sha256').update(bytes).digest('hex');
  digests.set(versionKey(full), digest);
  return digest;
}

/**
 * What the pre-flight rules need to know about a user file, or the one-line problem with it and the
 * spec field to blame.
 */
export function describeDataFile(data: DataSpec, baseDir: string, cacheDir?: string): DatasetInfo | { errors: string[]; path: SpecPath } {
  try {
    const d = loadFileDatasetSync(data, baseDir, cacheDir);
    return {
      name: dataFiles(data)[0]!.shown,
      task: d.task,
      featureShape: d.featureShape,
      samples: d.labels.length,
      valueRange: range(d.x),
      ...(d.task === 'classification' ? { numClasses: d.numClasses } : { targetRange: range(d.targets ?? []) }),
      source: 'user file',
      licence: 'the user’s',
      description: '',
    };
  } catch (err) {
    if (!(err instanceof NnlabError)) throw err;
    return err instanceof DataFileError
      ? { errors: err.messages, path: ['data', err.field] }
      : { errors: [err.message], path: ['data', dataFiles(data)[0]!.field] };
  }
}

function range(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! < lo) lo = values[i]!;
    if (values[i]! > hi) hi = values[i]!;
  }
  return [lo, hi];
}

function readBytes(file: string, shown: string, field: string): Uint8Array {
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > MAX_DATA_FILE_BYTES)
      throw new DataFileError(
        field,
        `Reading ${shown} failed: it is ${(size / 1024 ** 3).toFixed(1)} GiB; data files are limited to ${MAX_DATA_FILE_BYTES / 1024 ** 3} GiB.`,
      );
    bytes = readFileSync(file);
  } catch (err) {
    if (err instanceof NnlabError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new DataFileError(field, `Reading ${shown} failed: ${why}.`);
  }
  remember(file, bytes);
  if (!file.endsWith('.gz')) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_DATA_FILE_BYTES });
  } catch (err) {
    throw new DataFileError(field, `Reading ${shown} failed: it is not valid gzip (${(err as Error).message.split('\n')[0]}).`);
  }
}

/** A path plus its size and mtime: a changed file gets a new key. */
function versionKey(file: string): string {
  try {
    const s = statSync(file);
    return `${file}@${s.size}:${s.mtimeMs}`;
  } catch {
    return `${file}@missing`;
  }
}
