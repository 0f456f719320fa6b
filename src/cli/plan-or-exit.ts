import { resolve } from 'node:path';
import { formatIssue, NnlabError } from '../shared/errors.js';
import { planExperiment, type PlannedExperiment } from '../pipeline/plan-experiment.js';
import { fitMessage, type Terminal } from './terminal.js';

/** Plan an experiment; print every issue of its spec; throw (exit 2) when any is an error. */
export async function planOrExit(file: string, sets: string[], term: Terminal, maxMemoryGiB?: string): Promise<PlannedExperiment> {
  const gib = maxMemoryGiB === undefined ? undefined : Number(maxMemoryGiB);
  if (gib !== undefined && !(gib > 0))
    throw new NnlabError('NNLAB_USAGE', `Reading --max-memory failed: expected a positive number of GiB, got "${maxMemoryGiB}".`);
  const { issues, planned } = await planExperiment(resolve(term.cwd, file), sets, {
    ...(gib === undefined ? {} : { maxBytes: gib * 1024 ** 3 }),
    cacheDir: term.cacheDir,
    shown: file,
  });
  // Files are named as the user typed them, so messages match the command line.
  for (const issue of issues) term.stderr(fitMessage(formatIssue(issue.file ? { ...issue, file } : issue), term, '    ') + '\n');
  const errors = issues.filter((i) => i.severity === 'error').length;
  if (!planned || errors > 0) {
    throw new NnlabError('NNLAB_SPEC_INVALID', `${file}: ${errors} error${errors === 1 ? '' : 's'}; nothing was run.`);
  }
  return planned;
}
