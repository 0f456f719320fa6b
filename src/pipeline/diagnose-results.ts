import { readFile } from 'node:fs/promises';
import type { VariantDiagnosis } from '../analysis/diagnose.js';
import { overridesOf } from '../analysis/group-variants.js';
import type { RunConfig } from '../run/run-chain.js';
import { validateSpecText } from '../spec/validate.js';
import { expandSweep } from '../sweep/expand.js';
import { loadResults } from './load-results.js';

/**
 * Diagnose every run on disk of a results directory. Suggested --set lines are fitted to the
 * spec's `${factor}` fields as summary.json recorded them, or as `specFile` has them when given.
 * `rerunSpecOf(experiment)`, the spec a suggested rerun names: `overrides` are the --set lines that
 * rerun needs to train what these runs trained (seeds, samples, epochs… where they differ from the spec's).
 */
export async function diagnoseResults(
  pathOrDir: string,
  specFile?: string,
  rerunSpecOf?: (experiment: string) => string | undefined,
): Promise<{ experiment: string; diagnoses: VariantDiagnosis[]; overrides: string[] }> {
  const variables = specFile ? await readVariables(specFile) : undefined;
  const { view } = await loadResults(pathOrDir, variables ? { variables } : {});
  const rerunSpec = rerunSpecOf?.(view.header.experiment);
  const overrides = rerunSpec ? await rerunOverrides(rerunSpec, view.configs) : [];
  return { experiment: view.header.experiment, diagnoses: view.diagnoses, overrides };
}

/** What a rerun of `specFile` needs set to train what `configs` trained; none where the spec cannot be read or has other factors. */
async function rerunOverrides(specFile: string, configs: RunConfig[]): Promise<string[]> {
  try {
    const spec = validateSpecText(await readFile(specFile, 'utf8'), specFile).value;
    if (!spec || configs.length === 0) return [];
    const seeds = [...new Set(configs.map((c) => c.seed))].sort((a, b) => a - b);
    // Seeds until decided add seeds after the spec's first ones: more seeds on disk are its own doing.
    const first = [...spec.seeds].sort((a, b) => a - b);
    const sameSeeds = spec.adaptiveSeeds !== undefined ? first.every((s) => seeds.includes(s)) : seeds.join() === first.join();
    return [
      ...(sameSeeds ? [] : [`sweep.seeds=[${seeds.join(',')}]`]),
      ...overridesOf(
        expandSweep(spec).runs.map((r) => r.config),
        configs,
      ),
    ];
  } catch {
    return [];
  }
}

async function readVariables(specFile: string) {
  try {
    return validateSpecText(await readFile(specFile, 'utf8'), specFile).value?.variables;
  } catch {
    return undefined;
  }
}
