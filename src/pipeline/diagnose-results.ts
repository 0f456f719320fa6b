import { diagnoseRuns, type RunForDiagnosis, type VariantDiagnosis } from '../analysis/diagnose.js';
import { DATASET_CATALOG, datasetTask } from '../data/catalog.js';
import { readSavedRun } from '../results/read-run.js';
import { readSummary } from '../results/read-summary.js';

/** Diagnose every run on disk of a results directory. */
export async function diagnoseResults(pathOrDir: string): Promise<{ experiment: string; diagnoses: VariantDiagnosis[] }> {
  const { dir, summary } = await readSummary(pathOrDir);
  const runs: RunForDiagnosis[] = [];
  for (const [variant, v] of summary.variants.entries()) {
    for (const id of v.run_ids) {
      const saved = await readSavedRun(dir, id, true);
      if (!saved?.config) continue;
      const factors = Object.fromEntries(summary.factors.filter((f) => f in saved.config!.factors).map((f) => [f, saved.config!.factors[f]!]));
      runs.push({
        id, variant, factors, config: saved.config, status: saved.record.status, divergedEpoch: saved.record.diverged_epoch,
        history: saved.history, task: datasetTask(saved.config.data), numClasses: DATASET_CATALOG[saved.config.data.dataset]?.numClasses,
      });
    }
  }
  return { experiment: summary.experiment, diagnoses: diagnoseRuns(runs) };
}
