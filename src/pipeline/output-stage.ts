import { join } from 'node:path';
import { acquireRunLock, createStaleJudge, type LockOwner } from '../exec/run-lock.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { writeLayerSummaryFile, writeSummaryFiles } from './summary-files.js';
import { renderHtmlReport } from '../report/html/html-report.js';
import { planEvidence } from '../report/evidence-charts.js';
import { NnlabError } from '../shared/errors.js';
import { stringify } from 'yaml';
import { buildResultsView, type ResultsView, type ViewContext } from './results-view.js';

/** How this process takes the results directory's lock (see acquireRunLock). */
export interface LockIdentity {
  self: LockOwner;
  isAlive: (pid: number) => boolean;
  now: () => Date;
  staleMs?: number;
  signal?: AbortSignal;
}

const LOCK_POLL_MS = 200;

/**
 * The one output stage of `nnlab run` and `nnlab report`: summarize every run on disk and write
 * summary.json, summary.csv and report.html (and `htmlFile`); `strict` refuses damaged run files
 * (report) instead of leaving them out for nnlab run to retrain. It holds the results directory's lock
 * while it reads and writes, so processes finishing at once (a parallel shell sweep) each summarize
 * all the runs finished before them, and the last one to write has every run.
 */
export async function writeOutputs(
  dir: string,
  ctx: ViewContext,
  lock: LockIdentity,
  options: { htmlFile?: string; strict?: boolean } = {},
): Promise<ResultsView> {
  const release = await takeResultsLock(dir, lock);
  try {
    const view = await buildResultsView(dir, ctx, options.strict);
    await writeSummaryFiles(dir, view);
    await writeLayerSummaryFile(dir, view.header, view.summaries, view.layerSummary);
    const html = renderHtmlReport({
      experiment: view.header.experiment,
      question: view.header.question,
      answer: view.answer,
      factorNames: view.header.factors,
      compare: view.header.compare?.[0],
      evidence: planEvidence({
        variants: view.summaries,
        runs: view.runs,
        columns: view.header.columns,
        comparisons: view.comparisons,
        trends: view.trends,
        diagnoses: view.diagnoses,
      }),
      columns: view.header.columns,
      summaries: view.summaries,
      comparisons: view.comparisons,
      runs: view.runs,
      diagnoses: view.diagnoses,
      layerSummary: view.layerSummary,
      ...(view.header.sampled ? { sampled: view.header.sampled } : {}),
      configs: variantConfigs(view),
    });
    await writeFileAtomic(join(dir, 'report.html'), html);
    if (options.htmlFile) await writeFileAtomic(options.htmlFile, html);
    return view;
  } finally {
    await release();
  }
}

/** Each variant's resolved config as YAML, from its first run on disk or planned (the seed and experiment name left out). */
function variantConfigs(view: ResultsView): Array<string | undefined> {
  return view.summaries.map((s) => {
    const at = view.runs.findIndex((r, i) => r.variant === s.variant && i < view.configs.length);
    if (at < 0) return undefined;
    // As config.json has it, but in the spec's order and without the seed, the id and the format version.
    const { factors, data, data_files, model, train } = view.configs[at]!;
    return stringify({ factors, data, ...(data_files ? { data_files } : {}), model, train }, { lineWidth: 0 });
  });
}

async function takeResultsLock(dir: string, lock: LockIdentity): Promise<() => Promise<void>> {
  const isStale = createStaleJudge(lock.self, lock.isAlive, lock.staleMs);
  for (;;) {
    const result = await acquireRunLock(dir, lock.self, isStale, lock.now);
    if (result.acquired) return result.release;
    if (lock.signal?.aborted) throw new NnlabError('NNLAB_INTERRUPTED', 'Interrupted while waiting for another nnlab process to write the summary.', 130);
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}
