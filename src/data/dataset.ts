/** A dataset in memory: features row-major in one typed array, one label per sample. */
export interface Dataset {
  name: string;
  task: 'classification' | 'regression';
  /** Shape of one sample, e.g. [28, 28, 1]. */
  featureShape: number[];
  x: Float32Array;
  /** Class index per sample (classification). */
  labels: Int32Array;
  numClasses: number;
}

export function sampleCount(data: Dataset): number {
  return data.labels.length;
}

export function featureSize(data: Dataset): number {
  return data.featureShape.reduce((p, d) => p * d, 1);
}

/** The samples at `indices`, in that order. */
export function selectSamples(data: Dataset, indices: Int32Array): Dataset {
  const size = featureSize(data);
  const x = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  indices.forEach((src, dst) => {
    x.set(data.x.subarray(src * size, (src + 1) * size), dst * size);
    labels[dst] = data.labels[src]!;
  });
  return { ...data, x, labels };
}
