import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { internDocuments } from '../../src/data/bag-of-words.js';
import { readCachedDataset, readCachedDatasetSync, writeCachedDataset, writeCachedDatasetSync } from '../../src/data/binary-cache.js';
import type { Dataset } from '../../src/data/dataset.js';
import { readSpam } from '../../src/data/spam.js';

const images: Dataset = {
  name: 'toy',
  task: 'classification',
  featureShape: [2, 2, 1],
  x: Float32Array.from([0, 0.25, 0.5, 1, 1, 0.5, 0.25, 0]),
  labels: Int32Array.of(1, 0),
  numClasses: 2,
};
const text: Dataset = {
  name: 'txt',
  task: 'classification',
  featureShape: [0],
  x: new Float32Array(0),
  labels: Int32Array.of(0, 1, 1),
  numClasses: 2,
  text: internDocuments(['hello there', '', 'free money free']),
};
const regression: Dataset = {
  name: 'reg',
  task: 'regression',
  featureShape: [2],
  x: Float32Array.from([1, 2, 3, 4]),
  labels: new Int32Array(2),
  numClasses: 0,
  targets: Float32Array.from([10, 11, 20, 21]),
  targetWidth: 2,
};
const plain = (d: Dataset) => ({
  ...d,
  x: Array.from(d.x),
  labels: Array.from(d.labels),
  targets: d.targets && Array.from(d.targets),
  text: d.text && { tokens: d.text.tokens, documents: d.text.documents.map((t) => Array.from(t)) },
});

describe('the converted-dataset cache', () => {
  it('round-trips features, labels, regression targets and tokenized documents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnlab-cache-'));
    for (const d of [images, text, regression]) {
      await writeCachedDataset(dir, `${d.name}.bin`, 'k@1', d);
      expect(plain((await readCachedDataset(dir, `${d.name}.bin`, 'k@1'))!)).toEqual(plain(d));
      // The synchronous pair (the pre-flight checks') writes and reads the same file.
      writeCachedDatasetSync(dir, `${d.name}-sync.bin`, 'k@1', d);
      expect(readFileSync(join(dir, `${d.name}-sync.bin`))).toEqual(readFileSync(join(dir, `${d.name}.bin`)));
      expect(plain(readCachedDatasetSync(dir, `${d.name}-sync.bin`, 'k@1')!)).toEqual(plain(d));
    }
  });

  it('misses on another key, a truncated file or garbage, so the caller converts again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnlab-cache-'));
    await writeCachedDataset(dir, 'txt.bin', 'k@1', text);
    expect(await readCachedDataset(dir, 'txt.bin', 'k@2')).toBeUndefined();
    const bytes = readFileSync(join(dir, 'txt.bin'));
    writeFileSync(join(dir, 'txt.bin'), bytes.subarray(0, bytes.length - 4));
    expect(await readCachedDataset(dir, 'txt.bin', 'k@1')).toBeUndefined();
    writeFileSync(join(dir, 'txt.bin'), 'not a cache\n');
    expect(await readCachedDataset(dir, 'txt.bin', 'k@1')).toBeUndefined();
  });

  it('gives the spam corpus back identical from the cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnlab-cache-'));
    const converted = await readSpam(dir);
    const cached = await readSpam(dir);
    expect(cached.text!.tokens).toEqual(converted.text!.tokens);
    expect(cached.text!.documents.map((d) => d.length)).toEqual(converted.text!.documents.map((d) => d.length));
    expect(Array.from(cached.text!.documents[123]!)).toEqual(Array.from(converted.text!.documents[123]!));
    expect(Array.from(cached.labels)).toEqual(Array.from(converted.labels));
  });
});
