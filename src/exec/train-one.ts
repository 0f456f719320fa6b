import { prepareSplit } from '../data/prepare-split.js';
import { readDataset } from '../data/read-dataset.js';
import type { HistoryRow } from '../shared/history-contract.js';
import { failedRun, finishedRun } from '../results/run-record.js';
import type { PlannedRun, TrainedRun, TrainingEnvironment } from '../run/run-chain.js';
import type { KernelSet } from '../train/backend.js';
import { trainRun } from '../train/train-run.js';

/**
 * Load data, train, and describe the outcome as the results layer records it; a run that throws
 * becomes a failed run.
 */
export async function trainOne(
  run: PlannedRun,
  kernels: KernelSet,
  env: TrainingEnvironment,
  cacheDir: string | undefined,
  now: () => Date,
  onEpoch?: (row: HistoryRow, epochs: number) => void,
): Promise<TrainedRun> {
  try {
    const data = await readDataset(run.config.data, cacheDir, run.dataDir, run.config.data_files);
    const split = prepareSplit(data, run.config.data, run.config.seed);
    const outcome = await trainRun(run.config, split, kernels, { onEpoch });
    return finishedRun(run.id, outcome, env, now(), split.classCounts);
  } catch (err) {
    return failedRun(run, (err as Error).message?.split('\n')[0] ?? String(err), env, now());
  }
}
