import { z } from 'zod';
import type { LayerSignalRow } from '../shared/layer-signals.js';
import { datasetTask } from '../data/catalog.js';
import type { ClassCounts } from '../data/prepare-split.js';
import type { RunConfig } from '../sweep/expand.js';
import { RESULTS_FORMAT_VERSION } from './format.js';
import { historyColumns, type HistoryRow } from '../shared/history-contract.js';

const epoch = z.number().int().min(0);

/**
 * What run.json holds: status and everything that may differ between identical runs (timings, host
 * facts). The schema is the record's one definition: runs are written from its type and read through it.
 */
export const runRecordSchema = z.object({
  format_version: z.number(),
  id: z.string(),
  status: z.enum(['ok', 'diverged', 'failed']),
  message: z.string().optional(),
  diverged_epoch: epoch.optional(),
  /** Early stopping: the epoch it stopped at, the best epoch, and whether the best weights were restored. */
  stopped_epoch: epoch.optional(),
  best_epoch: epoch.optional(),
  restored_best: z.boolean().optional(),
  /** The checkpoint callback: the epoch whose weights are in checkpoint/. */
  checkpoint_epoch: epoch.optional(),
  epochs_completed: epoch,
  backend: z.string(),
  kernels: z.string(),
  /**
   * Samples per class in the training and validation splits, for a split that does not keep the
   * classes in proportion (data.split: tail); absent for the stratified split, where they match.
   */
  class_counts: z.object({ train: z.array(z.number().int().min(0)), validation: z.array(z.number().int().min(0)) }).optional(),
  /** What trained it: nnlab's dense engine (and on which kernels) or tfjs-layers. Absent for failed runs. */
  engine: z.string().optional(),
  /** layer_signals_ms: of train_ms, the time spent recording the per-layer signals. */
  timings: z.object({ train_ms: z.number(), ms_per_step: z.number(), samples_per_second: z.number(), layer_signals_ms: z.number().optional() }),
  versions: z.object({ nnlab: z.string(), tfjs: z.string(), node: z.string() }),
  finished_at: z.string(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

export interface SavedRun {
  record: RunRecord;
  /** The run's seed, from config.json (pairs runs across variants). */
  seed: number;
  /** config.json as written (absent for runs just trained, whose config the caller has). */
  config?: RunConfig;
  columns: string[];
  history: Array<Record<string, number | null>>;
  /** test.json: the held-out split's metrics, when the spec had data.test_split. */
  test?: Record<string, number | null>;
  /** layers.csv: per-layer signals, when the run's engine recorded them. */
  layers?: LayerSignalRow[];
}

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
  /** Held-out test metrics, written as test.json (deterministic, like the history). */
  test?: Record<string, number | null>;
  /** Per-layer signals, written as layers.csv (deterministic, like the history). */
  layers?: LayerSignalRow[];
}

/** What a finished training reports, in the units of run.json. */
interface TrainingOutcome {
  status: 'ok' | 'diverged';
  divergedEpoch?: number;
  callbacks: Pick<RunRecord, 'stopped_epoch' | 'best_epoch' | 'restored_best' | 'checkpoint_epoch'>;
  epochs: number;
  engine: string;
  timings: { trainMs: number; msPerStep: number; samplesPerSecond: number; layerSignalsMs?: number };
  classCounts?: ClassCounts;
}

/**
 * run.json for a run that trained to the end (ok) or until its loss stopped being finite (diverged).
 * @example finishedRecord('r1', outcome, env, new Date()).status === 'ok'
 */
export function finishedRecord(id: string, outcome: TrainingOutcome, env: TrainingEnvironment, finishedAt: Date): RunRecord {
  const { trainMs, msPerStep, samplesPerSecond, layerSignalsMs } = outcome.timings;
  return {
    format_version: RESULTS_FORMAT_VERSION,
    id,
    status: outcome.status,
    ...outcome.callbacks,
    ...(outcome.divergedEpoch ? { diverged_epoch: outcome.divergedEpoch, message: `loss became NaN or infinite at epoch ${outcome.divergedEpoch}` } : {}),
    epochs_completed: outcome.epochs,
    ...(outcome.classCounts ? { class_counts: outcome.classCounts } : {}),
    ...env,
    engine: outcome.engine,
    timings: {
      train_ms: Math.round(trainMs),
      ms_per_step: Number(msPerStep.toFixed(3)),
      samples_per_second: Math.round(samplesPerSecond),
      ...(layerSignalsMs !== undefined ? { layer_signals_ms: Math.round(layerSignalsMs) } : {}),
    },
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
