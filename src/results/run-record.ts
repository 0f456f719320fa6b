import { datasetTask } from '../data/catalog.js';
import type { RunConfig } from '../sweep/expand.js';
import { RESULTS_FORMAT_VERSION } from './format.js';
import { historyColumns, type HistoryRow } from '../shared/history-contract.js';
import type { RunRecord } from './run-files.js';

/** Where and with what a run was trained: the parts of run.json that are not its outcome. */
export interface TrainingEnvironment {
  backend: string;
  kernels: string;
  versions: { nnlab: string; tfjs: string; node: string };
}

/** What training a run produced, before it is written: run.json's record, the history and extras. */
export interface TrainedRun {
  record: RunRecord;
  columns: string[];
  history: HistoryRow[];
  checkpoint?: { epoch: number; modelJson: string; weights: Uint8Array };
  test?: Record<string, number | null>;
}

/** What a finished training reports, in the units of run.json. */
export interface TrainingOutcome {
  status: 'ok' | 'diverged';
  divergedEpoch?: number;
  callbacks: Pick<RunRecord, 'stopped_epoch' | 'best_epoch' | 'restored_best' | 'checkpoint_epoch'>;
  epochs: number;
  timings: { trainMs: number; msPerStep: number; samplesPerSecond: number };
}

/**
 * run.json for a run that trained to the end (ok) or until its loss stopped being finite (diverged).
 * @example finishedRecord('r1', outcome, env, new Date()).status === 'ok'
 */
export function finishedRecord(id: string, outcome: TrainingOutcome, env: TrainingEnvironment, finishedAt: Date): RunRecord {
  const { trainMs, msPerStep, samplesPerSecond } = outcome.timings;
  return {
    format_version: RESULTS_FORMAT_VERSION,
    id,
    status: outcome.status,
    ...outcome.callbacks,
    ...(outcome.divergedEpoch ? { diverged_epoch: outcome.divergedEpoch, message: `loss became NaN or infinite at epoch ${outcome.divergedEpoch}` } : {}),
    epochs_completed: outcome.epochs,
    ...env,
    timings: { train_ms: Math.round(trainMs), ms_per_step: Number(msPerStep.toFixed(3)), samples_per_second: Math.round(samplesPerSecond) },
    finished_at: finishedAt.toISOString(),
  };
}

/**
 * A run that could not train (it threw, or its worker died): a failed record and an empty history
 * with the columns the run would have had, however it failed.
 * @example failedRun({id: 'r1', config}, 'out of memory', env, new Date()).record.status === 'failed'
 */
export function failedRun(run: { id: string; config: RunConfig }, message: string, env: TrainingEnvironment, finishedAt: Date): TrainedRun {
  return {
    record: {
      format_version: RESULTS_FORMAT_VERSION,
      id: run.id,
      status: 'failed',
      message,
      epochs_completed: 0,
      ...env,
      timings: { train_ms: 0, ms_per_step: 0, samples_per_second: 0 },
      finished_at: finishedAt.toISOString(),
    },
    columns: historyColumns(datasetTask(run.config.data), run.config.train.metrics),
    history: [],
  };
}
