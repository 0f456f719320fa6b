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

/** `nnlab report DIR`: reportExperiment's view, printed as `nnlab run` prints it (or as JSON). */
export async function reportCommand(dir: string, options: ReportOptions, term: Terminal, signal?: AbortSignal): Promise<number> {
  const along = parseCompare(options.compare ?? options.by);
  const { reportExperiment } = await import('../../pipeline/report-experiment.js');
  const { dir: resultsDir, view } = await reportExperiment(
    resolve(term.cwd, dir),
    { ...(along ? { compare: along } : {}), ...(options.html ? { htmlFile: resolve(term.cwd, options.html) } : {}) },
    { self: term.self, isAlive: term.isAlive, now: () => new Date(), ...(term.lockStaleMs ? { staleMs: term.lockStaleMs } : {}), signal },
  );
  if (options.metric !== undefined && !view.header.columns.includes(options.metric)) {
    throw new NnlabError('NNLAB_USAGE', `Reading --metric failed: "${options.metric}" is not recorded (columns: ${view.header.columns.join(', ')}).`);
  }
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
