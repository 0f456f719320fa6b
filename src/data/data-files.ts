import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { SpecPath } from '../spec/locate.js';
import type { DataSpec } from '../spec/schema.js';
import { NnlabError } from '../shared/errors.js';
import type { DatasetInfo } from './catalog.js';
import { DataFileError, parseCsvDataset } from './csv.js';
import type { Dataset } from './dataset.js';
import { parseIdxDataset } from './idx.js';

/** Larger files are not what nnlab's in-memory float32 datasets are for; refusing them up front bounds memory. */
export const MAX_DATA_FILE_BYTES = 2 * 1024 ** 3;

/**
 * A user's CSV or IDX dataset. Paths are relative to `baseDir` (the spec's folder). Parsed once per
 * process and options; a file changed since is read again.
 */
export function readFileDataset(data: DataSpec, baseDir: string): Dataset {
  const files = data.dataset === 'csv' ? [data.path!] : [data.images!, data.labels!];
  const resolved = files.map((f) => (isAbsolute(f) ? f : join(baseDir, f)));
  const key = JSON.stringify([resolved.map((f) => `${f}@${modified(f, data)}`), data.target, data.features, data.categorical, data.task]);
  const cached = parsed.get(key);
  if (cached) return cached;
  const dataset =
    data.dataset === 'csv'
      ? parseCsvDataset(new TextDecoder('utf-8').decode(readBytes(resolved[0]!, files[0]!, 'path')), files[0]!, { target: data.target!, features: data.features, categorical: data.categorical, task: data.task! })
      : parseIdxDataset(readBytes(resolved[0]!, files[0]!, 'images'), readBytes(resolved[1]!, files[1]!, 'labels'), { images: files[0]!, labels: files[1]! });
  parsed.set(key, dataset);
  return dataset;
}

const parsed = new Map<string, Dataset>();

/**
 * sha256 of each user data file a data spec names (undefined for built-in datasets), so that runs on
 * an edited file get new ids instead of being taken as done. Unreadable files are left out: the
 * pre-flight check has already reported them.
 */
export function dataFileFingerprint(data: DataSpec, baseDir: string): Record<string, string> | undefined {
  const files = data.dataset === 'csv' ? [data.path] : data.dataset === 'idx' ? [data.images, data.labels] : [];
  const out: Record<string, string> = {};
  for (const f of files) {
    if (!f) continue;
    const full = isAbsolute(f) ? f : join(baseDir, f);
    const key = `${full}@${modified(full, data)}`;
    let digest = digests.get(key);
    if (!digest) {
      try {
        digest = createHash('sha256').update(readFileSync(full)).digest('hex');
      } catch {
        continue;
      }
      digests.set(key, digest);
    }
    out[f] = digest;
  }
  return Object.keys(out).length ? out : undefined;
}

const digests = new Map<string, string>();

/**
 * What the pre-flight rules need to know about a user file, or the one-line problem with it and the
 * spec field to blame.
 */
export function describeDataFile(data: DataSpec, baseDir: string): DatasetInfo | { error: string; path: SpecPath } {
  try {
    const d = readFileDataset(data, baseDir);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of d.x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    let tlo = Infinity;
    let thi = -Infinity;
    for (const v of d.targets ?? []) {
      if (v < tlo) tlo = v;
      if (v > thi) thi = v;
    }
    return {
      name: data.dataset === 'csv' ? data.path! : data.images!, task: d.task, featureShape: d.featureShape, samples: d.labels.length, valueRange: [lo, hi],
      ...(d.task === 'classification' ? { numClasses: d.numClasses } : { targetRange: [tlo, thi] as [number, number] }),
      source: 'user file', licence: 'the user’s', description: '',
    };
  } catch (err) {
    if (!(err instanceof NnlabError)) throw err;
    return { error: err.message, path: ['data', err instanceof DataFileError ? err.field : data.dataset === 'csv' ? 'path' : 'images'] };
  }
}

function readBytes(file: string, shown: string, field: string): Uint8Array {
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > MAX_DATA_FILE_BYTES) throw new DataFileError(field, `Reading ${shown} failed: it is ${(size / 1024 ** 3).toFixed(1)} GiB; data files are limited to ${MAX_DATA_FILE_BYTES / 1024 ** 3} GiB.`);
    bytes = readFileSync(file);
  } catch (err) {
    if (err instanceof NnlabError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new DataFileError(field, `Reading ${shown} failed: ${why}.`);
  }
  if (!file.endsWith('.gz')) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_DATA_FILE_BYTES });
  } catch (err) {
    throw new DataFileError(field, `Reading ${shown} failed: it is not valid gzip (${(err as Error).message.split('\n')[0]}).`);
  }
}

function modified(file: string, data: DataSpec): string {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return `missing:${data.dataset}`;
  }
}
