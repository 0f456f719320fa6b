import type { Comparison } from '../analysis/compare.js';
import type { ResultsView } from '../pipeline/results-view.js';
import { renderDoctorSummary } from '../report/doctor-report.js';
import { renderTerminalReport } from '../report/terminal-report.js';
import type { Terminal } from './terminal.js';

interface PrintOptions {
  /** Show these columns (default: the summary's). */
  columns?: string[];
  /** Compare along this factor instead of the summary's, with these comparisons. */
  compare?: { factor: string; comparisons: Comparison[] };
  /** The results directory as the user typed it, for the pointer to nnlab doctor. */
  shownDir: string;
}

/** What `nnlab run` and `nnlab report` print about a results directory: the same view, the same way. */
export function printView(view: ResultsView, term: Terminal, options: PrintOptions): void {
  const { header } = view;
  term.stdout(renderTerminalReport(view.summaries, {
    title: header.experiment,
    compare: options.compare?.factor ?? header.compare,
    question: header.question,
    factorNames: header.factors,
    columns: options.columns ?? header.columns,
    color: term.color,
    width: term.columns,
    tableWidth: term.stdoutWidth,
  }, options.compare?.comparisons ?? view.comparisons));
  for (const note of view.notes) term.stderr(`note: ${note}\n`);
  const missing = view.summaries.reduce((n, s) => n + s.missing, 0);
  if (missing > 0) term.stderr(`${missing} run${missing === 1 ? ' is' : 's are'} missing from ${options.shownDir}/runs (another shard's? copy its runs/ folders here and run nnlab report ${options.shownDir})\n`);
  term.stderr(renderDoctorSummary(view.diagnoses, options.shownDir));
}

/** The summary as --json prints it: every variant's statistics without the per-epoch curves. */
export function summaryJson(view: ResultsView) {
  return {
    factors: view.header.factors,
    summary: view.summaries.map(({ curves: _c, curveStds: _s, ...s }) => s),
    comparisons: view.comparisons.map((c) => ({ ...c, quantity: c.quantity.label })),
    notes: view.notes,
  };
}
