import Table from 'cli-table3';
import type { VariantSummary } from '../analysis/summarize.js';
import { digitsFor, formatAtEpoch, formatEpochsToThreshold, formatMeanStd, thresholdHeading } from './format-cells.js';
import { formatFactorValue, shortFactorValue } from '../shared/factor-value.js';
import { fitColumnWidths, visibleWidth } from './fit-table.js';
import { wrapText } from '../shared/wrap-text.js';

interface TableOptions {
  factorNames: string[];
  /** Metric columns to show, e.g. ['val_accuracy', 'val_loss']. */
  metrics: string[];
  color: boolean;
  /** A terminal's width: the table is narrowed to fit (see renderFittingTable); unset: full. */
  maxWidth?: number;
  /** Seeds until decided: some variants got more seeds on purpose (said where seed counts differ). */
  adaptive?: boolean;
}

interface Layout {
  metrics: string[];
  best: boolean;
}

/**
 * One row per variant: factor values, runs (ok/total with diverged/failed noted), the first metric's
 * final and best values and the others' final values as mean ± std over seeds, and epochs to each
 * threshold. Within `maxWidth` it leaves out the second metric, then the best-value column, then
 * wraps cells, and says what it left out (summary.csv has every statistic).
 */
export function renderComparisonTable(summaries: VariantSummary[], options: TableOptions): string {
  const layouts: Layout[] = [
    { metrics: options.metrics, best: true },
    ...(options.metrics.length > 1 ? [{ metrics: options.metrics.slice(0, 1), best: true }] : []),
    { metrics: options.metrics.slice(0, 1), best: false },
  ];
  const notes = tableNotes(summaries, options);
  for (const layout of layouts) {
    const table = renderTable(summaries, options, layout);
    const fits = options.maxWidth === undefined || Math.max(...table.split('\n').map(visibleWidth)) <= options.maxWidth;
    if (fits) return table + omittedNote(options, layout) + notes;
  }
  const last = layouts[layouts.length - 1]!;
  return renderTable(summaries, options, last, options.maxWidth) + omittedNote(options, last) + notes;
}

/**
 * What the table's cells need said: the full text of levels shown by a short name (sgd for
 * sgd(learning_rate=1e-8)), and that variants with different numbers of seeds are each averaged over
 * their own, while the verdicts pair only the seeds both sides have.
 */
function tableNotes(summaries: VariantSummary[], options: TableOptions): string {
  const width = options.maxWidth ?? Infinity;
  const notes: string[] = [];
  for (const f of options.factorNames) {
    const levels = levelsOf(summaries, f);
    const named = levels.filter((l) => shortFactorValue(l, levels) !== formatFactorValue(l));
    if (named.length) notes.push(`(${f}: ${named.map((l) => `${shortFactorValue(l, levels)} is ${formatFactorValue(l)}`).join('; ')})`);
  }
  if (new Set(summaries.map((s) => s.ok)).size > 1)
    notes.push(
      `(variants have different numbers of seeds, each averaged over its own${options.adaptive ? ': seeds until decided gave more to undecided comparisons' : ''}; the verdicts pair only the seeds both sides have)`,
    );
  return notes.map((n) => `\n${wrapText(n, width, ' ')}`).join('');
}

function levelsOf(summaries: VariantSummary[], factor: string): unknown[] {
  return [...new Map(summaries.map((s) => [JSON.stringify(s.factors[factor]), s.factors[factor]])).values()];
}

function omittedNote(options: TableOptions, layout: Layout): string {
  const left = [...options.metrics.slice(layout.metrics.length), ...(layout.best ? [] : [`best ${options.metrics[0]}`])];
  return left.length
    ? `\n${wrapText(`(${left.join(' and ')} left out to fit the terminal; summary.csv has every statistic)`, options.maxWidth ?? Infinity, ' ')}`
    : '';
}

function renderTable(summaries: VariantSummary[], options: TableOptions, layout: Layout, wrapWidth?: number): string {
  const { metrics } = layout;
  const thresholds = summaries[0]?.thresholds ?? [];
  // report.at_epochs: the first metric at those epochs (summary.csv has every column there).
  const atEpochs = (summaries[0]?.at_epochs ?? []).filter((a) => a.column === metrics[0]);
  // With data.test_split, the held-out value of the first metric, measured once after training.
  const testName = metrics[0] && summaries.some((s) => s.test) ? `test_${metrics[0].replace(/^val_/, '')}` : undefined;
  const head = [
    ...options.factorNames,
    'runs',
    ...metrics.flatMap((m, i) => (i === 0 && layout.best ? [`${m}\nfinal`, `${m}\nbest (epoch)`] : [`${m}\nfinal`])),
    ...atEpochs.map((a) => `${a.column}\nat epoch ${a.epoch}`),
    ...thresholds.map((t) => `epochs to\n${thresholdHeading(t)}`),
    ...(testName ? [`${testName}\n(held out)`] : []),
  ];
  const levels = Object.fromEntries(options.factorNames.map((f) => [f, levelsOf(summaries, f)]));
  const rows = summaries.map((s) => {
    const runs = [
      `${s.ok}/${s.runs}`,
      s.diverged ? `${s.diverged} diverged` : '',
      s.failed ? `${s.failed} failed` : '',
      s.missing ? `${s.missing} missing` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const metricCells = metrics.flatMap((m, i) => {
      const stats = s.metrics[m];
      const withBest = i === 0 && layout.best;
      if (!stats) return withBest ? ['—', '—'] : ['—'];
      const digits = digitsFor(m, [stats.final_mean, stats.best_mean]);
      const bestEpoch = stats.best_epoch_mean === null ? '' : ` (${Number(stats.best_epoch_mean.toFixed(1))})`;
      const final = formatMeanStd(stats.final_mean, stats.final_std, digits);
      return withBest ? [final, formatMeanStd(stats.best_mean, stats.best_std, digits) + bestEpoch] : [final];
    });
    const atEpochCells = atEpochs.map((a) =>
      formatAtEpoch(
        s.at_epochs?.find((x) => x.epoch === a.epoch && x.column === a.column),
        s.ok,
      ),
    );
    const thresholdCells = s.thresholds.map(formatEpochsToThreshold);
    const test = testName ? s.test?.[testName] : undefined;
    const testCells = testName ? [test ? formatMeanStd(test.mean, test.std, digitsFor(testName, [test.mean])) : '—'] : [];
    return [
      ...options.factorNames.map((f) => shortFactorValue(s.factors[f], levels[f]!)),
      runs,
      ...metricCells,
      ...atEpochCells,
      ...thresholdCells,
      ...testCells,
    ];
  });
  const colWidths = wrapWidth === undefined ? undefined : fitColumnWidths([head, ...rows], wrapWidth);
  const table = new Table({
    head,
    style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [], compact: true },
    colAligns: [...options.factorNames.map(() => 'left' as const), ...head.slice(options.factorNames.length).map(() => 'right' as const)],
    ...(colWidths ? { colWidths, wordWrap: true, wrapOnWordBoundary: true } : {}),
  });
  table.push(...rows);
  return table.toString();
}
