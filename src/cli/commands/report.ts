import { relative, resolve } from 'node:path';
import { NnlabError } from '../../shared/errors.js';
import { printAnswer, printView, summaryJson } from '../print-view.js';
import type { Terminal } from '../terminal.js';

interface ReportOptions {
  json?: boolean;
  html?: string;
  /** Show this metric (a history column, e.g. val_loss) in the table and charts. */
  metric?: string;
  /** Compare along this factor (a grid factor, or a setting such as train.batch_size) instead of report.compare. */
  compare?: string;
  by?: string;
}

/**
 * Re-render the comparison from saved results, without training. The summary is recomputed from
 * every run on disk and summary.json/csv and report.html rewritten, so runs copied in from other
 * shards, or added by other invocations, are counted.
 */
export async function reportCommand(dir: string, options: ReportOptions, term: Terminal, signal?: AbortSignal): Promise<number> {
  const { readSummary } = await import('../../results/read-summary.js');
  const { writeOutputs } = await import('../../pipeline/output-stage.js');
  const { contextFromSummary } = await import('../../pipeline/view-context.js');
  const { buildResultsView } = await import('../../pipeline/results-view.js');
  const full = resolve(term.cwd, dir);
  const { dir: resultsDir, summary: saved } = await readSummary(full);
  const context = contextFromSummary(saved);
  const written = await writeOutputs(
    resultsDir,
    context,
    { self: term.self, isAlive: term.isAlive, now: () => new Date(), ...(term.lockStaleMs ? { staleMs: term.lockStaleMs } : {}), signal },
    { strict: true, ...(options.html ? { htmlFile: resolve(term.cwd, options.html) } : {}) },
  );
  const along = parseCompare(options.compare ?? options.by);
  const unknown = along?.find((f) => !written.header.factors.includes(f));
  if (unknown !== undefined) {
    throw new NnlabError(
      'NNLAB_USAGE',
      `Reading --compare failed: "${unknown}" is not a factor of ${written.header.experiment} (factors: ${written.header.factors.join(', ') || 'none'}).`,
    );
  }
  if (options.metric !== undefined && !written.header.columns.includes(options.metric)) {
    throw new NnlabError('NNLAB_USAGE', `Reading --metric failed: "${options.metric}" is not recorded (columns: ${written.header.columns.join(', ')}).`);
  }
  // Another comparison is shown, not written: summary.json keeps the spec's.
  const view = along === undefined ? written : await buildResultsView(resultsDir, { ...context, compare: along }, true);
  if (options.html) term.stderr(`wrote ${options.html}\n`);
  if (options.json) {
    term.stdout(JSON.stringify({ experiment: view.header.experiment, ...summaryJson(view) }, null, 2) + '\n');
    return 0;
  }
  const columns = options.metric
    ? [options.metric, ...(options.metric.startsWith('val_') ? [] : [`val_${options.metric}`].filter((c) => view.header.columns.includes(c)))]
    : undefined;
  printView(view, term, { shownDir: relative(term.cwd, resultsDir) || '.', ...(columns ? { columns } : {}) });
  printAnswer(view, term);
  return 0;
}

/** --compare output,batch: one factor or several, comma-separated. */
function parseCompare(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const factors = text
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (factors.length === 0) throw new NnlabError('NNLAB_USAGE', 'Reading --compare failed: expected a factor name, or several separated by commas.');
  return factors;
}
