import type { Comparison } from '../analysis/compare.js';
import type { VariantDiagnosis } from '../analysis/diagnose.js';
import type { RunForSummary, VariantSummary } from '../analysis/summarize.js';
import type { Trend } from '../analysis/trends.js';
import { isPredictionStat, isTargetUnitColumn } from '../shared/history-contract.js';
import { renderComparisonTable } from './comparison-table.js';
import { renderEvidenceCharts } from './evidence-charts.js';
import { renderTrendTable, renderVerdictTable } from './verdict-table.js';
import { wrapText } from '../shared/wrap-text.js';
import { variantLabel } from '../shared/factor-value.js';

interface TerminalReportInput {
  summaries: VariantSummary[];
  runs: RunForSummary[];
  comparisons: Comparison[];
  trends: Trend[];
  diagnoses: VariantDiagnosis[];
}

interface TerminalReportOptions {
  title: string;
  question?: string;
  factorNames: string[];
  columns: string[];
  color: boolean;
  width: number;
  /** The table is narrowed to this width (a terminal's; see renderComparisonTable); unset: never. */
  tableWidth?: number;
  /** Rounds seeds until decided may take: each p is multiplied by them (summary.json's looks). */
  looks?: number;
}

/** A verdict table longer than this shows only its decided rows; summary.json and report.html have every one. */
const MOST_VERDICT_ROWS = 40;

/**
 * The comparison table, the verdicts (a table; their sentences are in summary.json and report.html),
 * then the charts they rest on. The answer follows separately (renderAnswer), at the very end.
 */
export function renderTerminalReport(input: TerminalReportInput, options: TerminalReportOptions): string {
  const parts = [
    wrapText(options.question ? `${options.title}: ${options.question}` : options.title, options.width),
    renderComparisonTable(input.summaries, {
      factorNames: options.factorNames,
      metrics: tableMetrics(options.columns),
      color: options.color,
      maxWidth: options.tableWidth,
      adaptive: (options.looks ?? 1) > 1,
    }) + `\n${wrapText('(± is the standard deviation over seeds)', options.width)}`,
  ];
  if (input.comparisons.length || input.trends.length) parts.push(renderVerdicts(input, options));
  parts.push(
    ...renderEvidenceCharts(
      {
        variants: input.summaries,
        runs: input.runs,
        columns: options.columns,
        comparisons: input.comparisons,
        trends: input.trends,
        diagnoses: input.diagnoses,
      },
      options,
    ),
  );
  return parts.join('\n\n') + '\n';
}

/** The answer block: a heading, then each sentence wrapped with a hanging indent under its bullet. */
export function renderAnswer(answer: string[], options: { width: number; color: boolean }): string {
  if (answer.length === 0) return '';
  const heading = options.color ? '\u001b[1mAnswer\u001b[0m' : 'Answer';
  return [heading, ...answer.map((line) => wrapText(`• ${line}`, options.width, '  '))].join('\n') + '\n';
}

/**
 * The table's metrics: the first validation metric (a regression error in the target's own units
 * before the scaled one, which would look orders of magnitude off between target scalings), then
 * val_loss. All columns are in summary.csv.
 */
function tableMetrics(columns: string[]): string[] {
  const validation = columns.filter((c) => c.startsWith('val_') && !isPredictionStat(c));
  const first = validation.find(isTargetUnitColumn) ?? validation.find((c) => c !== 'val_loss');
  const metrics = [...(first ? [first] : []), ...validation.filter((c) => c === 'val_loss')];
  return metrics.length ? metrics : columns.slice(0, 2);
}

function renderVerdicts(input: TerminalReportInput, options: TerminalReportOptions): string {
  const { comparisons, trends } = input;
  const tests =
    comparisons.reduce((n, c) => n + (c.p !== null ? 1 : 0) + (c.pEquivalent !== undefined && c.pEquivalent !== null ? 1 : 0), 0) +
    trends.filter((t) => t.p !== null).length;
  const factors = [...new Set([...comparisons.map((c) => c.factor), ...trends.map((t) => t.factor)])];
  const what = factors.map((f) => {
    const c = comparisons.find((x) => x.factor === f);
    return c ? `each ${f} against ${variantLabel({ [f]: c.baseline })}` : `the trend along ${f}`;
  });
  const looks = options.looks !== undefined && options.looks > 1 ? options.looks : undefined;
  const counted = `${tests} tests here (a difference and an equivalence test per row${trends.length ? ', a trend test per trend' : ''}${looks ? `; each p also × ${looks}, the rounds seeds until decided may take` : ''})`;
  const intro = `Verdicts: ${what.join('; ')}, paired by seed. A claim needs p < 0.05 after Holm's correction over all ${counted}, so the chance of any false claim in this report is at most 5 %.`;
  const decided = comparisons.filter((c) => c.outcome !== 'inconclusive' && c.outcome !== 'no data');
  const shown = comparisons.length > MOST_VERDICT_ROWS ? decided : comparisons;
  const left = comparisons.length - shown.length;
  const blocks = [wrapText(intro, options.width)];
  if (shown.length) blocks.push(renderVerdictTable(shown, { color: options.color, maxWidth: options.tableWidth }));
  if (trends.length) blocks.push(renderTrendTable(trends, { color: options.color, maxWidth: options.tableWidth }));
  const notes = ['(± is the half-width of the 95 % confidence interval of the mean difference)'];
  if (left) notes.push(`(${left} undecided comparisons left out; summary.json and report.html list every verdict)`);
  blocks.push(...notes.map((n) => wrapText(n, options.width)));
  return blocks.join('\n');
}
