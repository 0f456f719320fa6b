import { relative, resolve } from 'node:path';
import { compareVariants, quantitiesFor } from '../../analysis/compare.js';
import { loadResults } from '../../pipeline/load-results.js';
import { renderTerminalReport } from '../../report/terminal-report.js';
import { NnlabError } from '../../shared/errors.js';
import type { Terminal } from '../terminal.js';

export interface ReportOptions {
  json?: boolean;
  html?: string;
  /** Show this metric (a history column, e.g. val_loss) in the table and charts. */
  metric?: string;
  /** Compare along this factor instead of the spec's report.compare. */
  by?: string;
}

/**
 * Re-render the comparison from saved results, without training. The summary is recomputed from the
 * runs on disk and summary.json/csv rewritten, so runs copied in from other shards are counted.
 */
export async function reportCommand(dir: string, options: ReportOptions, term: Terminal): Promise<number> {
  const { resummarize } = await import('../../pipeline/resummarize.js');
  const { summary, summaries, comparisons: saved } = await resummarize(resolve(term.cwd, dir), options.html ? resolve(term.cwd, options.html) : undefined);
  if (options.by !== undefined && !summary.factors.includes(options.by)) {
    throw new NnlabError('NNLAB_USAGE', `Reading --by failed: "${options.by}" is not a factor of ${summary.experiment} (factors: ${summary.factors.join(', ') || 'none'}).`);
  }
  if (options.metric !== undefined && !summary.columns.includes(options.metric)) {
    throw new NnlabError('NNLAB_USAGE', `Reading --metric failed: "${options.metric}" is not recorded (columns: ${summary.columns.join(', ')}).`);
  }
  const compare = options.by ?? summary.compare;
  const comparisons = options.by && options.by !== summary.compare ? await compareAlong(resolve(term.cwd, dir), options.by) : saved;
  if (options.html) term.stderr(`wrote ${options.html}\n`);
  if (options.json) {
    term.stdout(JSON.stringify({ experiment: summary.experiment, summary: summaries.map(({ curves: _c, curveStds: _s, ...s }) => s) }, null, 2) + '\n');
    return 0;
  }
  const columns = options.metric ? [options.metric, ...(options.metric.startsWith('val_') ? [] : [`val_${options.metric}`].filter((c) => summary.columns.includes(c)))] : summary.columns;
  term.stdout(renderTerminalReport(summaries, { title: summary.experiment, compare, question: summary.question, factorNames: summary.factors, columns, color: term.color, width: term.columns, tableWidth: term.stdoutWidth }, comparisons));
  const missing = summaries.reduce((n, s) => n + s.missing, 0);
  if (missing > 0) term.stderr(`${missing} run${missing === 1 ? ' is' : 's are'} missing from ${relative(term.cwd, resolve(term.cwd, dir)) || '.'}/runs (another shard's?)\n`);
  return 0;
}

async function compareAlong(dir: string, factor: string) {
  const { summary, runs, thresholds } = await loadResults(dir);
  return compareVariants(summary.variants, runs, factor, quantitiesFor(summary.columns, thresholds));
}
