import type { Comparison } from '../analysis/compare.js';
import type { VariantSummary } from '../analysis/summarize.js';
import { variantLabel } from '../sweep/expand.js';
import { renderComparisonTable } from './comparison-table.js';
import { renderCurveChart } from './curve-chart.js';

export interface TerminalReportOptions {
  title: string;
  question?: string;
  factorNames: string[];
  columns: string[];
  color: boolean;
  width: number;
}

/** The comparison table, then one chart per validation metric with one line (mean over seeds) per variant. */
export function renderTerminalReport(summaries: VariantSummary[], options: TerminalReportOptions, comparisons: Comparison[] = []): string {
  const validation = options.columns.filter((c) => c.startsWith('val_'));
  const charted = [...validation.filter((c) => c !== 'val_loss'), ...validation.filter((c) => c === 'val_loss')];
  // The first validation metric and val_loss answer most questions; all columns are in summary.csv.
  const tableMetrics = (charted.length ? charted : options.columns).slice(0, 2);
  const parts = [
    wrapText(options.question ? `${options.title}: ${options.question}` : options.title, options.width),
    renderComparisonTable(summaries, { factorNames: options.factorNames, metrics: tableMetrics, color: options.color }),
  ];
  // The headline verdicts: final value and convergence speed; summary.json has them all.
  const headline = comparisons.filter((c) => c.quantity.kind === 'epochs' || (c.quantity.kind === 'final' && c.quantity.column !== 'val_loss'));
  if (headline.length) parts.push(['Paired comparison across seeds (95 % t intervals):', ...headline.map((c) => wrapText(`• ${c.verdict}`, options.width).replace(/\n/g, '\n  '))].join('\n'));
  const chartWidth = Math.max(20, Math.min(70, options.width - 16));
  for (const column of charted) {
    const series = summaries.map((s) => ({ label: variantLabel(s.factors), values: s.curves[column] ?? [] }));
    parts.push(renderCurveChart(series, { title: `${column} per epoch (mean over seeds)`, color: options.color, width: chartWidth }));
  }
  return parts.join('\n\n') + '\n';
}

/** Break text at spaces so no line is longer than `width`. */
export function wrapText(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}
