import type { DataSpec } from '../spec/schema.js';
import type { Dataset } from './dataset.js';
import { readMnist } from './mnist.js';

const readers: Record<DataSpec['dataset'], () => Promise<Dataset>> = {
  mnist: readMnist,
};

/** Load a built-in dataset by name; the same source is read once per process. */
export function readDataset(spec: DataSpec): Promise<Dataset> {
  const cached = loaded.get(spec.dataset);
  if (cached) return cached;
  const pending = readers[spec.dataset]();
  loaded.set(spec.dataset, pending);
  return pending;
}

const loaded = new Map<string, Promise<Dataset>>();
