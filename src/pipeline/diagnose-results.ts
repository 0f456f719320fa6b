import { readFile } from 'node:fs/promises';
import type { VariantDiagnosis } from '../analysis/diagnose.js';
import { validateSpecText } from '../spec/validate.js';
import { loadResults } from './load-results.js';

/**
 * Diagnose every run on disk of a results directory. Suggested --set lines are fitted to the
 * spec's `${factor}` fields as summary.json recorded them, or as `specFile` has them when given.
 */
export async function diagnoseResults(pathOrDir: string, specFile?: string): Promise<{ experiment: string; diagnoses: VariantDiagnosis[] }> {
  const variables = specFile ? await readVariables(specFile) : undefined;
  const { view } = await loadResults(pathOrDir, variables ? { variables } : {});
  return { experiment: view.header.experiment, diagnoses: view.diagnoses };
}

async function readVariables(specFile: string) {
  try {
    return validateSpecText(await readFile(specFile, 'utf8'), specFile).value?.variables;
  } catch {
    return undefined;
  }
}
