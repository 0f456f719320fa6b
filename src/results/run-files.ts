import { join } from 'node:path';
import { stableJson } from '../shared/canonical-json.js';
import type { RunConfig } from '../sweep/expand.js';
import { writeFileAtomic } from './atomic-write.js';
import { RESULTS_FORMAT_VERSION, roundNumbers, toCsv } from './format.js';
import type { SavedRun } from './read-run.js';

export type RunStatus = 'ok' | 'diverged' | 'failed';

/** What run.json holds: status and everything that may differ between identical runs (timings, host facts). */
export interface RunRecord {
  format_version: number;
  id: string;
  status: RunStatus;
  message?: string;
  diverged_epoch?: number;
  /** Early stopping: the epoch it stopped at, the best epoch, and whether the best weights were restored. */
  stopped_epoch?: number;
  best_epoch?: number;
  restored_best?: boolean;
  /** The checkpoint callback: the epoch whose weights are in checkpoint/. */
  checkpoint_epoch?: number;
  epochs_completed: number;
  backend: string;
  kernels: string;
  timings: { train_ms: number; ms_per_step: number; samples_per_second: number };
  versions: { nnlab: string; tfjs: string; node: string };
  finished_at: string;
}

export interface RunFiles {
  id: string;
  config: RunConfig;
  columns: string[];
  history: Array<Record<string, number | null>>;
  record: RunRecord;
  checkpoint?: { modelJson: string; weights: Uint8Array };
  /** Held-out test metrics, written as test.json (deterministic, like the history). */
  test?: Record<string, number | null>;
}

/** The checkpoint callback's files, under runs/<id>/checkpoint/: tfjs' layers-model format. */
export const CHECKPOINT_WEIGHTS_FILE = 'weights.bin';

export function runDir(resultsDir: string, id: string): string {
  return join(resultsDir, 'runs', id);
}

/**
 * Write a run's files. run.json goes last: its presence with status ok marks the run complete, so a
 * run killed mid-write is retrained, never half-read.
 */
export async function writeRunFiles(resultsDir: string, run: RunFiles): Promise<SavedRun> {
  const dir = runDir(resultsDir, run.id);
  const columns = ['epoch', ...run.columns];
  const history = run.history.map((row) => roundNumbers(row));
  await writeFileAtomic(join(dir, 'config.json'), stableJson({ format_version: RESULTS_FORMAT_VERSION, id: run.id, ...run.config }));
  await writeFileAtomic(join(dir, 'history.csv'), toCsv(columns, history));
  await writeFileAtomic(join(dir, 'history.json'), stableJson({ format_version: RESULTS_FORMAT_VERSION, columns, rows: history }));
  if (run.test) await writeFileAtomic(join(dir, 'test.json'), stableJson({ format_version: RESULTS_FORMAT_VERSION, metrics: roundNumbers(run.test) }));
  if (run.checkpoint) {
    await writeFileAtomic(join(dir, 'checkpoint', CHECKPOINT_WEIGHTS_FILE), run.checkpoint.weights);
    await writeFileAtomic(join(dir, 'checkpoint', 'model.json'), run.checkpoint.modelJson);
  }
  await writeFileAtomic(join(dir, 'run.json'), stableJson(run.record));
  // What a later read of these files returns: summaries come from the numbers on disk (rounded), so a resumed sweep's equal a fresh one's.
  return { record: run.record, seed: run.config.seed, config: run.config, columns: run.columns, history, ...(run.test ? { test: roundNumbers(run.test) } : {}) };
}
