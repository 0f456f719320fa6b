import { summarizeVariants, type RunForSummary, type VariantSummary } from '../analysis/summarize.js';
import type { RunForDiagnosis } from '../analysis/diagnose.js';
import { readSavedRun } from '../results/read-run.js';
import { diagnosisInput, summaryInput } from './run-inputs.js';
import { readSummary, type SavedSummary } from '../results/read-summary.js';
import type { FactorValue } from '../shared/factor-value.js';

export interface LoadedResults {
  dir: string;
  summary: SavedSummary;
  runs: RunForSummary[];
  /** The runs on disk with their configs, for the doctor. */
  diagnosisInputs: RunForDiagnosis[];
  /** Recomputed from the runs on disk; when no run is there (a summary.json on its own), the saved statistics without curves. */
  summaries: VariantSummary[];
  thresholds: Record<string, number>;
}

/** A results directory (or its summary.json) with every run's history that is on disk. */
export async function loadResults(pathOrDir: string): Promise<LoadedResults> {
  const { dir, summary: saved } = await readSummary(pathOrDir);
  // JSON files are written with sorted keys; factor order (for labels) is the summary's list.
  const ordered = (f: Record<string, FactorValue>) => Object.fromEntries(saved.factors.filter((k) => k in f).map((k) => [k, f[k]!]));
  const summary: SavedSummary = { ...saved, variants: saved.variants.map((v) => ({ ...v, factors: ordered(v.factors) })) };
  const runs: RunForSummary[] = [];
  const diagnosisInputs: RunForDiagnosis[] = [];
  for (const [variant, v] of summary.variants.entries()) {
    for (const id of v.run_ids) {
      const saved = await readSavedRun(dir, id, true);
      runs.push(summaryInput(id, variant, saved));
      if (saved?.config) diagnosisInputs.push(diagnosisInput(id, variant, summary.factors, saved.config, saved));
    }
  }
  const thresholds = Object.fromEntries((summary.variants[0]?.thresholds ?? []).map((t) => [t.column, t.threshold]));
  const atEpochs = [...new Set((summary.variants[0]?.at_epochs ?? []).map((a) => a.epoch))];
  const onDisk = runs.some((r) => r.status !== 'missing');
  const summaries = onDisk ? summarizeVariants(summary.variants, runs, summary.columns, thresholds, atEpochs) : savedSummaries(summary);
  return { dir, summary, runs, diagnosisInputs, summaries, thresholds };
}

function savedSummaries(summary: SavedSummary): VariantSummary[] {
  return summary.variants.map((v, variant) => ({ ...(v as unknown as VariantSummary), at_epochs: (v.at_epochs ?? []) as VariantSummary['at_epochs'], variant, curves: {} }));
}
