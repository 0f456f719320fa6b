import type { DataSpec } from '../spec/schema.js';
import type { Dataset } from './dataset.js';
import { readMnist } from './mnist.js';

const readers: Record<DataSpec['dataset'], (cacheDir?: string) => Promise<Dataset>> = {
  mnist: readMnist,
};

/**
 * Load a built-in dataset by name; the same source is read once per process. `cacheDir` holds
 * converted copies that load faster (none: always convert).
 */
export function readDataset(spec: DataSpec, cacheDir?: string): Promise<Dataset> {
  const cached = loaded.get(spec.dataset);
  if (cached) return cached;
  const pending = readers[spec.dataset](cacheDir);
  loaded.set(spec.dataset, pending);
  return pending;
}

const loaded = new Map<string, Promise<Dataset>>();
