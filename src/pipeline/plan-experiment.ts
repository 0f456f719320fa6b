import { dataFileFingerprint } from '../data/data-files.js';
import { readSpec, type SpecReading } from '../preflight/read-spec.js';
import type { SpecIssue } from '../shared/errors.js';
import type { ValidatedSpec } from '../spec/validate.js';
import { expandSweep, type RunPlan } from '../sweep/expand.js';

export interface PlannedExperiment {
  spec: ValidatedSpec;
  plan: RunPlan;
}

/**
 * What `nnlab validate` shows and `nnlab run` trains: the spec read and checked (pre-flight rules
 * included), and its runs, with user data files' fingerprints in their ids. No plan when an issue
 * is an error.
 */
export async function planExperiment(
  file: string,
  overrides: string[],
  options: SpecReading = {},
): Promise<{ issues: SpecIssue[]; planned?: PlannedExperiment }> {
  const result = await readSpec(file, overrides, options);
  if (!result.value) return { issues: result.issues };
  return { issues: result.issues, planned: { spec: result.value, plan: expandSweep(result.value, dataFileFingerprint) } };
}
