import type { ResultsView } from '../pipeline/results-view.js';
import { renderDoctorSummary } from '../report/doctor-report.js';
import { renderAnswer, renderTerminalReport } from '../report/terminal-report.js';
import type { Terminal } from './terminal.js';

interface PrintOptions {
  /** Show these columns (default: the summary's). */
  columns?: string[];
  /** The results directory as the user typed it, for the pointer to nnlab doctor. */
  shownDir: string;
}

/**
 * What `nnlab run` and `nnlab report` print about a results directory, the same view the same way:
 * the table, verdicts and charts on stdout, notes and the doctor's count on stderr. The answer comes
 * last, from printAnswer, after whatever the command says about its files.
 */
export function printView(view: ResultsView, term: Terminal, options: PrintOptions): void {
  const { header } = view;
  term.stdout(
    renderTerminalReport(view, {
      title: header.experiment,
      question: header.question,
      factorNames: header.factors,
      columns: options.columns ?? header.columns,
      color: term.color,
      width: term.columns,
      tableWidth: term.stdoutWidth,
      ...(header.looks !== undefined ? { looks: header.looks } : {}),
    }),
  );
  for (const note of view.notes) term.stderr(`note: ${note}\n`);
  const missing = view.summaries.reduce((n, s) => n + s.missing, 0);
  if (missing > 0)
    term.stderr(
      `${missing} run${missing === 1 ? ' is' : 's are'} missing from ${options.shownDir}/runs (another shard's? copy its runs/ folders here and run nnlab report ${options.shownDir})\n`,
    );
  term.stderr(renderDoctorSummary(view.diagnoses, options.shownDir, term.columns));
}

/** The answer block, the last thing a run or report prints. */
export function printAnswer(view: ResultsView, term: Terminal): void {
  const answer = renderAnswer(view.answer, { width: term.columns, color: term.color });
  if (answer) term.stdout(`\n${answer}`);
}

/** The summary as --json prints it: the answer, every variant's statistics without the per-epoch curves, and the verdicts. */
export function summaryJson(view: ResultsView) {
  return {
    answer: view.answer,
    factors: view.header.factors,
    summary: view.summaries.map(({ curves: _c, curveStds: _s, ...s }) => s),
    comparisons: view.comparisons.map((c) => ({ ...c, quantity: c.quantity.label })),
    ...(view.trends.length ? { trends: view.trends.map((t) => ({ ...t, quantity: t.quantity.label })) } : {}),
    notes: view.notes,
  };
}
