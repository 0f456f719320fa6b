import type { DataSpec } from '../spec/schema.js';
import { DATASET_CATALOG } from './catalog.js';
import type { Dataset } from './dataset.js';
import { readIris } from './iris.js';
import { readMnist } from './mnist.js';
import { readSpam } from './spam.js';
import { generateSynthetic } from './synthetic.js';
import { loadFileDataset } from './data-files.js';

const readers: Partial<Record<DataSpec['dataset'], (cacheDir?: string) => Promise<Dataset>>> = {
  mnist: readMnist,
  iris: readIris,
  spam: readSpam,
};

/**
 * Load a built-in dataset by name, or a user's file(s) relative to `dataDir` (`fingerprints`: their
 * sha256, as the run's data_files has them); the same source is read once per process. `cacheDir`
 * holds converted copies that load faster (none: always convert).
 */
export function readDataset(spec: DataSpec, cacheDir?: string, dataDir = '.', fingerprints?: Record<string, string>): Promise<Dataset> {
  if (['csv', 'idx', 'npz', 'npy'].includes(spec.dataset)) return loadFileDataset(spec, dataDir, cacheDir, fingerprints);
  const synthetic = DATASET_CATALOG[spec.dataset]?.synthetic;
  if (synthetic) {
    return Promise.resolve(
      generateSynthetic(spec.dataset, { samples: spec.samples ?? synthetic.samples, noise: spec.noise ?? synthetic.noise, seed: spec.seed }),
    );
  }
  const cached = loaded.get(spec.dataset);
  if (cached) return cached;
  const pending = readers[spec.dataset]!(cacheDir);
  loaded.set(spec.dataset, pending);
  return pending;
}

const loaded = new Map<string, Promise<Dataset>>();
