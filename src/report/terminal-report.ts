import { isPredictionStat } from '../shared/history-contract.js';
import type { Comparison } from '../analysis/compare.js';
import type { VariantSummary } from '../analysis/summarize.js';
import { renderComparisonTable } from './comparison-table.js';
import { renderVerdictTable } from './verdict-table.js';
import { visibleWidth } from './fit-table.js';
import { wrapText } from './wrap-text.js';
import { renderCurveChart } from './curve-chart.js';
import { variantLabel } from '../shared/factor-value.js';

interface TerminalReportOptions {
  title: string;
  /** The factor under study: charts then show one line per level, one small chart per other-factor combination. */
  compare?: string;
  question?: string;
  factorNames: string[];
  columns: string[];
  color: boolean;
  width: number;
  /** The table is narrowed to this width (a terminal's; see renderComparisonTable); unset: never. */
  tableWidth?: number;
}

/** The comparison table, then one chart per validation metric with one line (mean over seeds) per variant. */
export function renderTerminalReport(summaries: VariantSummary[], options: TerminalReportOptions, comparisons: Comparison[] = []): string {
  const validation = options.columns.filter((c) => c.startsWith('val_'));
  // The first metric, then val_loss, then the prediction statistic (val_top_class_share …).
  const charted = [...validation.filter((c) => c !== 'val_loss' && !isPredictionStat(c)), ...validation.filter((c) => c === 'val_loss'), ...validation.filter(isPredictionStat)];
  // The first validation metric and val_loss answer most questions; all columns are in summary.csv.
  const tableMetrics = (charted.length ? charted : options.columns).slice(0, 2);
  const parts = [
    wrapText(options.question ? `${options.title}: ${options.question}` : options.title, options.width),
    renderComparisonTable(summaries, { factorNames: options.factorNames, metrics: tableMetrics, color: options.color, maxWidth: options.tableWidth }),
  ];
  if (comparisons.length) parts.push(renderVerdicts(comparisons, options));
  const others = options.factorNames.filter((f) => f !== options.compare);
  if (options.compare && others.length > 0) {
    // Small multiples: one chart per combination of the other factors, two side by side.
    const panelOf = (s: VariantSummary) => variantLabel(Object.fromEntries(others.map((f) => [f, s.factors[f]])));
    const panels = [...new Set(summaries.map(panelOf))];
    const perRow = options.width >= 96 ? 2 : 1;
    const cell = Math.floor(options.width / perRow) - 2;
    for (const column of charted) {
      // A title wider than its cell would run into its neighbour's: wrap it, and give every panel
      // as many title lines as the longest so the plots of one row stay level.
      const titles = panels.map((panel) => wrapText(`${column} · ${panel}`, cell).split('\n'));
      const titleLines = Math.max(...titles.map((t) => t.length));
      const charts = panels.map((panel, i) => {
        const series = summaries.filter((s) => panelOf(s) === panel).map((s) => ({ label: variantLabel({ [options.compare!]: s.factors[options.compare!] }), values: s.curves[column] ?? [] }));
        const title = [...titles[i]!, ...Array(titleLines - titles[i]!.length).fill('')].join('\n');
        return renderCurveChart(series, { title, color: options.color, width: cell, height: 7 });
      });
      parts.push(`${column} per epoch (mean over seeds)\n` + sideBySide(charts, perRow, cell));
    }
  } else {
    const chartWidth = Math.min(90, options.width - 1);
    for (const column of charted) {
      const series = summaries.map((s) => ({ label: variantLabel(s.factors), values: s.curves[column] ?? [] }));
      parts.push(renderCurveChart(series, { title: `${column} per epoch (mean over seeds)`, color: options.color, width: chartWidth }));
    }
  }
  return parts.join('\n\n') + '\n';
}

/**
 * Every comparison as a table row with its verdict, then the claims as sentences (summary.json and
 * report.html have every sentence, the inconclusive ones too).
 */
function renderVerdicts(comparisons: Comparison[], options: TerminalReportOptions): string {
  const first = comparisons[0]!;
  const tests = comparisons.reduce((n, c) => n + (c.p !== null ? 1 : 0) + (c.pEquivalent !== undefined && c.pEquivalent !== null ? 1 : 0), 0);
  const margins = comparisons.some((c) => c.margin !== undefined);
  const intro = `Verdicts: each ${first.factor} against ${variantLabel({ [first.factor]: first.baseline })}, paired by seed. A claim needs p < 0.05 after Holm's correction over all ${tests} tests here, so the chance of any false claim in this report is at most 5 %.${margins ? '' : ' Without report.margins nothing can be shown equivalent: "inconclusive" may be no effect or too few seeds.'}`;
  const claims = comparisons.filter((c) => c.outcome === 'better' || c.outcome === 'worse' || c.outcome === 'equivalent');
  return [
    wrapText(intro, options.width),
    renderVerdictTable(comparisons, { color: options.color, maxWidth: options.tableWidth }),
    ...claims.map((c) => wrapText(`• ${c.verdict}`, options.width, '  ')),
  ].join('\n');
}

/** Lay out text blocks in rows of `perRow`, each padded to `width` visible columns. */
function sideBySide(blocks: string[], perRow: number, width: number): string {
  const rows: string[] = [];
  for (let i = 0; i < blocks.length; i += perRow) {
    const group = blocks.slice(i, i + perRow).map((b) => b.split('\n'));
    const height = Math.max(...group.map((g) => g.length));
    for (let line = 0; line < height; line++) {
      rows.push(group.map((g, j) => (j === group.length - 1 ? (g[line] ?? '') : padVisible(g[line] ?? '', width + 2))).join('').trimEnd());
    }
    rows.push('');
  }
  return rows.join('\n').trimEnd();
}

/** Pad to a visible width, ignoring ANSI colour codes. */
function padVisible(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

