import { readFile } from 'node:fs/promises';
import { diagnoseRuns, type VariantDiagnosis } from '../analysis/diagnose.js';
import { retargetOverride, type VariableField } from '../spec/retarget-override.js';
import type { GridValue } from '../spec/schema.js';
import { validateSpecText } from '../spec/validate.js';
import { loadResults } from './load-results.js';

/**
 * Diagnose every run on disk of a results directory. With the experiment's spec file (when it exists
 * and is valid), suggested --set lines are rewritten to fit it (see retargetOverride).
 */
export async function diagnoseResults(pathOrDir: string, specFileOf?: (experiment: string) => string): Promise<{ experiment: string; diagnoses: VariantDiagnosis[] }> {
  const { summary, diagnosisInputs } = await loadResults(pathOrDir);
  const diagnoses = diagnoseRuns(diagnosisInputs);
  const variables = specFileOf ? await readVariables(specFileOf(summary.experiment)) : [];
  return { experiment: summary.experiment, diagnoses: retargetDiagnoses(diagnoses, variables, (v) => summary.variants[v]?.factors ?? {}) };
}

/** Each finding's --set lines fitted to the spec's `${factor}` fields, for the variant it was seen in. */
export function retargetDiagnoses(diagnoses: VariantDiagnosis[], variables: VariableField[], factorsOf: (variant: number) => Record<string, GridValue>): VariantDiagnosis[] {
  if (variables.length === 0) return diagnoses;
  return diagnoses.map((d) => ({
    ...d,
    findings: d.findings.map((f) => (f.sets ? { ...f, sets: f.sets.map((s) => retargetOverride(s, variables, factorsOf(d.variant))) } : f)),
  }));
}

async function readVariables(specFile: string): Promise<VariableField[]> {
  try {
    return validateSpecText(await readFile(specFile, 'utf8'), specFile).value?.variables ?? [];
  } catch {
    return [];
  }
}
