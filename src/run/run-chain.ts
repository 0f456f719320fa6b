/**
 * One run from its plan to its files, each stage built from the one before:
 *
 *   RunConfig ──▶ PlannedRun ──train──▶ TrainingOutcome ──▶ TrainedRun ──write/read──▶ SavedRun ──▶ SweptRun
 *   config.json   + id, variant         what the trainer     run.json's record,        as on disk      what a sweep
 *                                       reports              history and extras        (+ seed, config) has of it
 *
 * Names that end up in run.json are run.json's from the start (diverged_epoch, stopped_epoch, …).
 * What analysis needs of a run (RunForSummary, RunForDiagnosis) is derived from these where the
 * results are read (pipeline/results-view.ts).
 */
import { z } from 'zod';
import type { FactorValue } from '../shared/factor-value.js';
import type { HistoryRow } from '../shared/history-contract.js';
import type { LayerSignalRow } from '../shared/layer-signals.js';
import type { DataSpec, ModelSpec, TrainSpec } from '../spec/schema.js';

/** Everything that determines one training; written as config.json. */
export interface RunConfig {
  experiment: string;
  seed: number;
  factors: Record<string, FactorValue>;
  data: DataSpec;
  /** User data files (CSV, IDX) by their path in the spec → sha256 of their bytes: an edited file is new data, so new runs. */
  data_files?: Record<string, string>;
  model: ModelSpec;
  train: TrainSpec;
}

/** A run of a sweep's plan: its config, named by a hash of it (see runId in sweep/expand.ts). */
export interface PlannedRun {
  id: string;
  /** Index of the variant (grid point) this run belongs to. */
  variant: number;
  config: RunConfig;
  /** The spec's folder: user data files are relative to it. Not part of the config (nor the run id). */
  dataDir: string;
}

/** Samples per class in the training and validation splits. */
export interface ClassCounts {
  train: number[];
  validation: number[];
}

/** The checkpoint callback's weights, in tfjs' format (model.json and one weights file). */
export interface ModelCheckpoint {
  epoch: number;
  modelJson: string;
  weights: Uint8Array;
}

const epoch = z.number().int().min(0);
const counts = z.array(z.number().int().min(0));

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
  class_counts: z.object({ train: counts, validation: counts }).optional(),
  /** What trained it: nnlab's dense engine (and on which kernels) or tfjs-layers. Absent for failed runs. */
  engine: z.string().optional(),
  /** layer_signals_ms: of train_ms, the time spent recording the per-layer signals. */
  timings: z.object({ train_ms: z.number(), ms_per_step: z.number(), samples_per_second: z.number(), layer_signals_ms: z.number().optional() }),
  versions: z.object({ nnlab: z.string(), tfjs: z.string(), node: z.string() }),
  finished_at: z.string(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/** Where and with what a run was trained: the parts of run.json that are not its outcome. */
export type TrainingEnvironment = Pick<RunRecord, 'backend' | 'kernels' | 'versions'>;

/** What the trainer reports of a run it trained to the end (ok) or until its loss stopped being finite (diverged). */
export interface TrainingOutcome extends Pick<RunRecord, 'diverged_epoch'> {
  status: 'ok' | 'diverged';
  callbacks: Pick<RunRecord, 'stopped_epoch' | 'best_epoch' | 'restored_best' | 'checkpoint_epoch'>;
  /** The checkpoint callback's best weights. */
  checkpoint?: ModelCheckpoint;
  /** data.test_split: loss and metrics of the final model (the restored best with restore_best) on the held-out split. */
  test?: Record<string, number | null>;
  columns: string[];
  history: HistoryRow[];
  /** Per-layer signals per epoch, where the engine records them and the spec did not turn them off. */
  layers?: LayerSignalRow[];
  /** Which engine trained it (tfjs-layers, or nnlab's dense engine and its kernels). */
  engine: string;
  /** Unrounded; run.json rounds them. */
  timings: { trainMs: number; msPerStep: number; samplesPerSecond: number; layerSignalsMs?: number };
}

/** A run trained (or failed), before it is written: run.json's record, the history and the extras. */
export interface TrainedRun extends Pick<TrainingOutcome, 'columns' | 'history' | 'checkpoint' | 'test' | 'layers'> {
  record: RunRecord;
}

/** A run as read from its folder: the trained run's files, with the seed (and config.json) it was trained with. */
export interface SavedRun extends Omit<TrainedRun, 'checkpoint'> {
  /** The run's seed, from config.json (pairs runs across variants). */
  seed: number;
  /** config.json as written (absent for runs just trained, whose config the caller has). */
  config?: RunConfig;
}

/** What a sweep has of a planned run: its files on disk if any (trained now, cached, or another shard's). */
export interface SweptRun {
  run: PlannedRun;
  saved?: SavedRun;
  trained: boolean;
}
