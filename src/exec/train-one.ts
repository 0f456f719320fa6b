import { prepareSplit } from '../data/prepare-split.js';
import { readDataset } from '../data/read-dataset.js';
import { RESULTS_FORMAT_VERSION } from '../results/format.js';
import type { RunRecord } from '../results/run-files.js';
import type { PlannedRun } from '../sweep/expand.js';
import type { BackendInfo } from '../train/backend.js';
import { trainRun, type HistoryRow } from '../train/train-run.js';
import type { ModelCheckpoint } from '../train/checkpoint.js';
import { NNLAB_VERSION } from '../shared/version.js';

export interface TrainedRun {
  record: RunRecord;
  columns: string[];
  history: HistoryRow[];
  checkpoint?: ModelCheckpoint;
  test?: Record<string, number | null>;
}

/** Load data, train, and describe the outcome; a run that throws becomes a failed record. */
export interface WorkerEnvironment {
  backend: BackendInfo;
  nodeVersion: string;
  now: () => Date;
  /** Where converted datasets are cached; undefined: no cache. */
  cacheDir?: string;
}

export async function trainOne(run: PlannedRun, env: WorkerEnvironment, onEpoch?: (row: HistoryRow, epochs: number) => void): Promise<TrainedRun> {
  const { backend, nodeVersion, now } = env;
  const base = {
    format_version: RESULTS_FORMAT_VERSION,
    id: run.id,
    backend: backend.name,
    kernels: backend.kernels,
    versions: { nnlab: NNLAB_VERSION, tfjs: backend.tfjsVersion, node: nodeVersion },
  };
  const columns = ['loss', ...run.config.train.metrics];
  const allColumns = [...columns, ...columns.map((c) => `val_${c}`), 'lr'];
  try {
    const data = await readDataset(run.config.data, env.cacheDir, run.dataDir);
    const split = prepareSplit(data, run.config.data, run.config.seed);
    const outcome = await trainRun(run.config, split, { onEpoch });
    const record: RunRecord = {
      ...base,
      status: outcome.status,
      ...outcome.callbacks,
      ...(outcome.divergedEpoch ? { diverged_epoch: outcome.divergedEpoch, message: `loss became NaN or infinite at epoch ${outcome.divergedEpoch}` } : {}),
      epochs_completed: outcome.history.length,
      timings: { train_ms: Math.round(outcome.timings.trainMs), ms_per_step: Number(outcome.timings.msPerStep.toFixed(3)), samples_per_second: Math.round(outcome.timings.samplesPerSecond) },
      finished_at: now().toISOString(),
    };
    return { record, columns: outcome.columns, history: outcome.history, ...(outcome.checkpoint ? { checkpoint: outcome.checkpoint } : {}), ...(outcome.test ? { test: outcome.test } : {}) };
  } catch (err) {
    const record: RunRecord = {
      ...base,
      status: 'failed',
      message: (err as Error).message?.split('\n')[0] ?? String(err),
      epochs_completed: 0,
      timings: { train_ms: 0, ms_per_step: 0, samples_per_second: 0 },
      finished_at: now().toISOString(),
    };
    return { record, columns: allColumns, history: [] };
  }
}
