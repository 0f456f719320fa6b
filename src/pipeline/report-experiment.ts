import { NnlabError } from '../shared/errors.js';
import { readSummary } from '../results/read-summary.js';
import { writeOutputs, type LockIdentity } from './output-stage.js';
import { buildResultsView, type ResultsView } from './results-view.js';
import { contextFromSummary } from './view-context.js';

interface ReportRequest {
  /** Compare along these factors instead of the spec's report.compare: shown, never written. */
  compare?: string[];
  /** Write the HTML report here as well. */
  htmlFile?: string;
}

/**
 * Re-summarize a results folder without training, as `nnlab run` would after its last run: every
 * run on disk is counted (other shards', other invocations'), summary.json/csv and report.html are
 * rewritten under the results lock. The experiment is as its last summary.json describes it. Returns
 * the folder read (`dir` may name its summary.json) and the view to show: the written one, or one
 * compared along `compare`.
 */
export async function reportExperiment(dir: string, request: ReportRequest, lock: LockIdentity): Promise<{ dir: string; view: ResultsView }> {
  const { dir: resultsDir, summary: saved } = await readSummary(dir);
  const context = contextFromSummary(saved);
  const written = await writeOutputs(resultsDir, context, lock, { strict: true, ...(request.htmlFile ? { htmlFile: request.htmlFile } : {}) });
  if (request.compare === undefined) return { dir: resultsDir, view: written };
  const unknown = request.compare.find((f) => !written.header.factors.includes(f));
  if (unknown !== undefined) {
    throw new NnlabError(
      'NNLAB_USAGE',
      `Reading --compare failed: "${unknown}" is not a factor of ${written.header.experiment} (factors: ${written.header.factors.join(', ') || 'none'}).`,
    );
  }
  return { dir: resultsDir, view: await buildResultsView(resultsDir, { ...context, compare: request.compare }, true) };
}
