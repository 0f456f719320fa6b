import type { RunForDiagnosis } from '../analysis/diagnose.js';
import type { RunForSummary } from '../analysis/summarize.js';
import { DATASET_CATALOG, datasetTask } from '../data/catalog.js';
import type { SavedRun } from '../results/read-run.js';
import type { RunConfig } from '../sweep/expand.js';

/** A run's files as the statistics see them (missing when nothing is on disk). */
export function summaryInput(id: string, variant: number, saved: SavedRun | undefined, seed = saved?.seed ?? -1): RunForSummary {
  return {
    id, variant, seed,
    status: saved?.record.status ?? 'missing',
    history: saved?.history ?? [],
    ...(saved?.test ? { test: saved.test } : {}),
    ...(saved?.record.restored_best && saved.record.best_epoch ? { restoredEpoch: saved.record.best_epoch } : {}),
  };
}

/** A run's files as the doctor sees them; `factorNames` orders the factors of its label. */
export function diagnosisInput(id: string, variant: number, factorNames: string[], config: RunConfig, saved: SavedRun): RunForDiagnosis {
  const factors = Object.fromEntries(factorNames.filter((f) => f in config.factors).map((f) => [f, config.factors[f]!]));
  return {
    id, variant, factors, config, status: saved.record.status, divergedEpoch: saved.record.diverged_epoch,
    history: saved.history, task: datasetTask(config.data), numClasses: DATASET_CATALOG[config.data.dataset]?.numClasses,
  };
}
