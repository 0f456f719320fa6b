import { diagnoseRuns, type VariantDiagnosis } from '../analysis/diagnose.js';
import { loadResults } from './load-results.js';

/** Diagnose every run on disk of a results directory. */
export async function diagnoseResults(pathOrDir: string): Promise<{ experiment: string; diagnoses: VariantDiagnosis[] }> {
  const { summary, diagnosisInputs } = await loadResults(pathOrDir);
  return { experiment: summary.experiment, diagnoses: diagnoseRuns(diagnosisInputs) };
}
