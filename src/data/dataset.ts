import type { TokenizedCorpus } from './bag-of-words.js';

/** A dataset in memory: features row-major in one typed array, one label (or target row) per sample. */
export interface Dataset {
  name: string;
  task: 'classification' | 'regression';
  /** Shape of one sample, e.g. [28, 28, 1]. */
  featureShape: number[];
  x: Float32Array;
  /** Class index per sample (classification); all zeros for regression. */
  labels: Int32Array;
  numClasses: number;
  /** Regression targets, `targetWidth` values per sample. */
  targets?: Float32Array;
  targetWidth?: number;
  /** Text datasets: tokenized documents, turned into features per run (see prepare-split.ts). */
  text?: TokenizedCorpus;
}

export function featureSize(data: Dataset): number {
  return data.featureShape.reduce((p, d) => p * d, 1);
}

/** The samples at `indices`, in that order. */
export function selectSamples(data: Dataset, indices: Int32Array): Dataset {
  const size = featureSize(data);
  const x = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  const width = data.targetWidth ?? 0;
  const targets = data.targets ? new Float32Array(indices.length * width) : undefined;
  indices.forEach((src, dst) => {
    x.set(data.x.subarray(src * size, (src + 1) * size), dst * size);
    labels[dst] = data.labels[src]!;
    targets?.set(data.targets!.subarray(src * width, (src + 1) * width), dst * width);
  });
  const text = data.text ? { tokens: data.text.tokens, documents: Array.from(indices, (i) => data.text!.documents[i]!) } : undefined;
  return { ...data, x, labels, ...(targets ? { targets } : {}), ...(text ? { text } : {}) };
}
