import Table from 'cli-table3';
import type { VariantSummary } from '../analysis/summarize.js';
import { digitsFor, formatAtEpoch, formatEpochsToThreshold, formatMeanStd, thresholdHeading } from './format-cells.js';
import { formatFactorValue } from '../shared/factor-value.js';

export interface TableOptions {
  factorNames: string[];
  /** Metric columns to show, e.g. ['val_accuracy', 'val_loss']. */
  metrics: string[];
  color: boolean;
}

/**
 * One row per variant: factor values, runs (ok/total with diverged/failed noted), the first metric's
 * final and best values and the others' final values as mean ± std over seeds, and epochs to each
 * threshold. Kept under 100 columns; summary.csv has every statistic.
 */
export function renderComparisonTable(summaries: VariantSummary[], options: TableOptions): string {
  const thresholds = summaries[0]?.thresholds ?? [];
  // report.at_epochs: the first metric at those epochs (summary.csv has every column there).
  const atEpochs = (summaries[0]?.at_epochs ?? []).filter((a) => a.column === options.metrics[0]);
  // With data.test_split, the held-out value of the first metric, measured once after training.
  const testName = options.metrics[0] && summaries.some((s) => s.test) ? `test_${options.metrics[0].replace(/^val_/, '')}` : undefined;
  const head = [
    ...options.factorNames,
    'runs',
    ...options.metrics.flatMap((m, i) => (i === 0 ? [`${m}\nfinal`, `${m}\nbest (epoch)`] : [`${m}\nfinal`])),
    ...atEpochs.map((a) => `${a.column}\nat epoch ${a.epoch}`),
    ...thresholds.map((t) => `epochs to\n${thresholdHeading(t)}`),
    ...(testName ? [`${testName}\n(held out)`] : []),
  ];
  const table = new Table({
    head,
    style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [], compact: true },
    colAligns: [...options.factorNames.map(() => 'left' as const), ...head.slice(options.factorNames.length).map(() => 'right' as const)],
  });
  for (const s of summaries) {
    const runs = [`${s.ok}/${s.runs}`, s.diverged ? `${s.diverged} diverged` : '', s.failed ? `${s.failed} failed` : '', s.missing ? `${s.missing} missing` : '']
      .filter(Boolean)
      .join(', ');
    const metricCells = options.metrics.flatMap((m, i) => {
      const stats = s.metrics[m];
      if (!stats) return i === 0 ? ['—', '—'] : ['—'];
      const digits = digitsFor(m, [stats.final_mean, stats.best_mean]);
      const bestEpoch = stats.best_epoch_mean === null ? '' : ` (${Number(stats.best_epoch_mean.toFixed(1))})`;
      const final = formatMeanStd(stats.final_mean, stats.final_std, digits);
      return i === 0 ? [final, formatMeanStd(stats.best_mean, stats.best_std, digits) + bestEpoch] : [final];
    });
    const atEpochCells = atEpochs.map((a) => formatAtEpoch(s.at_epochs?.find((x) => x.epoch === a.epoch && x.column === a.column), s.ok));
    const thresholdCells = s.thresholds.map(formatEpochsToThreshold);
    const test = testName ? s.test?.[testName] : undefined;
    const testCells = testName ? [test ? formatMeanStd(test.mean, test.std, digitsFor(testName, [test.mean])) : '—'] : [];
    table.push([...options.factorNames.map((f) => formatFactorValue(s.factors[f])), runs, ...metricCells, ...atEpochCells, ...thresholdCells, ...testCells]);
  }
  return table.toString();
}
