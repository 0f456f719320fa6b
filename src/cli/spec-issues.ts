import { formatIssue, NnlabError, type SpecIssue } from '../shared/errors.js';
import { readSpec } from '../spec/load.js';
import type { ValidatedSpec } from '../spec/validate.js';
import type { Terminal } from './terminal.js';

/** Read and validate a spec; print every issue; throw (exit 2) when any is an error. */
export async function loadSpecOrExit(file: string, sets: string[], term: Terminal, maxMemoryGiB?: string): Promise<ValidatedSpec> {
  const gib = maxMemoryGiB === undefined ? undefined : Number(maxMemoryGiB);
  if (gib !== undefined && !(gib > 0)) throw new NnlabError('NNLAB_USAGE', `Reading --max-memory failed: expected a positive number of GiB, got "${maxMemoryGiB}".`);
  // Files are named as the user typed them, so messages match the command line.
  const shown = file;
  const result = await readSpec(file, sets, { maxBytes: gib === undefined ? undefined : gib * 1024 ** 3 });
  const issues: SpecIssue[] = result.issues.map((i) => (i.file ? { ...i, file: shown } : i));
  for (const issue of issues) term.stderr(formatIssue(issue) + '\n');
  const errors = issues.filter((i) => i.severity === 'error').length;
  if (!result.value || errors > 0) {
    throw new NnlabError('NNLAB_SPEC_INVALID', `${shown}: ${errors} error${errors === 1 ? '' : 's'}; nothing was run.`);
  }
  return result.value;
}
