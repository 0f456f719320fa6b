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
export function renderTerminalReport(summaries: VariantSummary[], options: TerminalReportOptions): string {
  const validation = options.columns.filter((c) => c.startsWith('val_'));
  const charted = [...validation.filter((c) => c !== 'val_loss'), ...validation.filter((c) => c === 'val_loss')];
  const tableMetrics = charted.length ? charted : options.columns;
  const parts = [
    options.question ? `${options.title}: ${options.question}` : options.title,
    renderComparisonTable(summaries, { factorNames: options.factorNames, metrics: tableMetrics, color: options.color }),
  ];
  const chartWidth = Math.max(20, Math.min(70, options.width - 16));
  for (const column of charted) {
    const series = summaries.map((s) => ({ label: variantLabel(s.factors), values: s.curves[column] ?? [] }));
    parts.push(renderCurveChart(series, { title: `${column} per epoch (mean over seeds)`, color: options.color, width: chartWidth }));
  }
  return parts.join('\n\n') + '\n';
}
