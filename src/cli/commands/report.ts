import { relative, resolve } from 'node:path';
import { renderTerminalReport } from '../../report/terminal-report.js';
import type { Terminal } from '../terminal.js';

export interface ReportOptions {
  json?: boolean;
  html?: string;
}

/**
 * Re-render the comparison from saved results, without training. The summary is recomputed from the
 * runs on disk and summary.json/csv rewritten, so runs copied in from other shards are counted.
 */
export async function reportCommand(dir: string, options: ReportOptions, term: Terminal): Promise<number> {
  const { resummarize } = await import('../../pipeline/resummarize.js');
  const { summary, summaries, comparisons } = await resummarize(resolve(term.cwd, dir), options.html ? resolve(term.cwd, options.html) : undefined);
  if (options.html) term.stderr(`wrote ${options.html}\n`);
  if (options.json) {
    term.stdout(JSON.stringify({ experiment: summary.experiment, summary: summaries.map(({ curves: _c, curveStds: _s, ...s }) => s) }, null, 2) + '\n');
    return 0;
  }
  term.stdout(renderTerminalReport(summaries, { title: summary.experiment, compare: summary.compare, question: summary.question, factorNames: summary.factors, columns: summary.columns, color: term.color, width: term.columns }, comparisons));
  const missing = summaries.reduce((n, s) => n + s.missing, 0);
  if (missing > 0) term.stderr(`${missing} run${missing === 1 ? ' is' : 's are'} missing from ${relative(term.cwd, resolve(term.cwd, dir)) || '.'}/runs (another shard's?)\n`);
  return 0;
}
