import { mean, sampleStd } from '../shared/numbers.js';
import { higherIsBetter, type HistoryRow } from '../shared/history-contract.js';
import { pairedStats } from './paired-stats.js';
import type { FactorValue } from '../shared/factor-value.js';

export interface RunForSummary {
  id: string;
  variant: number;
  seed: number;
  status: 'ok' | 'diverged' | 'failed' | 'missing';
  history: HistoryRow[];
  /** Held-out test metrics (data.test_split), evaluated once after training. */
  test?: Record<string, number | null>;
  /** Early stopping restored this epoch's weights: the run's final state is that epoch, not the last. */
  restoredEpoch?: number;
}

/**
 * The rows up to the epoch whose weights a run ended with: all of them, or with restore-best up to
 * the restored epoch, so "final" means the model the run kept.
 */
export function keptHistory(run: Pick<RunForSummary, 'history' | 'restoredEpoch'>): HistoryRow[] {
  if (run.restoredEpoch === undefined) return run.history;
  const end = run.history.findIndex((r) => r.epoch === run.restoredEpoch);
  return end < 0 ? run.history : run.history.slice(0, end + 1);
}

interface TestStats {
  mean: number | null;
  std: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

interface MetricStats {
  final_mean: number | null;
  final_std: number | null;
  /** 95 % t interval of the final mean over seeds (null below two seeds). */
  final_ci_low: number | null;
  final_ci_high: number | null;
  best_mean: number | null;
  best_std: number | null;
  best_epoch_mean: number | null;
  /** Area under the curve per epoch (the curve's mean over epochs), averaged over seeds: speed and level in one number. */
  auc_mean: number | null;
}

export interface ThresholdStats {
  column: string;
  threshold: number;
  /** Mean and std of the first epoch reaching the threshold, over the runs that reached it. */
  epochs_mean: number | null;
  epochs_std: number | null;
  reached: number;
  runs: number;
}

/** A metric at one epoch over the seeds whose runs got that far (early stopping may end runs sooner). */
export interface AtEpochStats {
  epoch: number;
  column: string;
  mean: number | null;
  std: number | null;
  runs: number;
}

export interface VariantSummary {
  variant: number;
  factors: Record<string, FactorValue>;
  runs: number;
  ok: number;
  diverged: number;
  failed: number;
  missing: number;
  metrics: Record<string, MetricStats>;
  thresholds: ThresholdStats[];
  /** Every column at each of report.at_epochs (empty without it). */
  at_epochs: AtEpochStats[];
  /** Per-epoch mean over ok runs, for charts. */
  curves: Record<string, Array<number | null>>;
  /** Per-epoch sample std over ok runs (null below two runs). */
  curveStds?: Record<string, Array<number | null>>;
  /** Test metrics over seeds, when the runs held out a test split. */
  test?: Record<string, TestStats>;
}

/**
 * Mean and std over seeds of each variant's final and best values, epochs-to-threshold, and every
 * column at the given epochs. Only runs with status ok enter the statistics; the others are counted.
 * @example summarizeVariants([{factors: {bn: true}}], runs, ['loss'], {val_accuracy: 0.95}, [1])
 */
export function summarizeVariants(
  variants: Array<{ factors: Record<string, FactorValue> }>,
  runs: RunForSummary[],
  columns: string[],
  thresholds: Record<string, number> = {},
  atEpochs: number[] = [],
): VariantSummary[] {
  return variants.map((variant, index) => {
    const mine = runs.filter((r) => r.variant === index);
    const ok = mine.filter((r) => r.status === 'ok');
    const metrics: Record<string, MetricStats> = {};
    const curves: Record<string, Array<number | null>> = {};
    const curveStds: Record<string, Array<number | null>> = {};
    for (const column of columns) {
      metrics[column] = metricStats(
        ok.map((r) => r.history),
        column,
        ok.map(keptHistory),
      );
      curves[column] = perEpoch(
        ok.map((r) => r.history),
        column,
        mean,
      );
      curveStds[column] = perEpoch(
        ok.map((r) => r.history),
        column,
        sampleStd,
      );
    }
    return {
      variant: index,
      factors: variant.factors,
      runs: mine.length,
      ok: ok.length,
      diverged: mine.filter((r) => r.status === 'diverged').length,
      failed: mine.filter((r) => r.status === 'failed').length,
      missing: mine.filter((r) => r.status === 'missing').length,
      metrics,
      thresholds: Object.entries(thresholds).map(([column, threshold]) =>
        thresholdStats(
          ok.map((r) => r.history),
          column,
          threshold,
        ),
      ),
      at_epochs: atEpochs.flatMap((epoch) =>
        columns.map((column) =>
          atEpochStats(
            ok.map((r) => r.history),
            column,
            epoch,
          ),
        ),
      ),
      curves,
      curveStds,
      ...(ok.some((r) => r.test) ? { test: testStats(ok) } : {}),
    };
  });
}

function testStats(runs: RunForSummary[]): Record<string, TestStats> {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.test ?? {})))];
  return Object.fromEntries(
    names.map((name) => {
      const values = runs.map((r) => r.test?.[name]).filter((v): v is number => typeof v === 'number');
      const ci = meanInterval(values);
      return [name, { mean: mean(values), std: sampleStd(values), ci_low: ci?.[0] ?? null, ci_high: ci?.[1] ?? null }];
    }),
  );
}

/** `kept`: each run's rows up to the epoch it ended with (final value); best, AUC and epochs use every row. */
function metricStats(histories: HistoryRow[][], column: string, kept: HistoryRow[][] = histories): MetricStats {
  const finals: number[] = [];
  const bests: number[] = [];
  const bestEpochs: number[] = [];
  const areas: number[] = [];
  const better = higherIsBetter(column) ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  histories.forEach((history, i) => {
    const values = history.map((row) => ({ epoch: row.epoch!, v: row[column] })).filter((p): p is { epoch: number; v: number } => typeof p.v === 'number');
    if (values.length === 0) return;
    const keptValues = kept[i]!.map((row) => row[column]).filter((v): v is number => typeof v === 'number');
    finals.push(keptValues.length ? keptValues[keptValues.length - 1]! : values[values.length - 1]!.v);
    areas.push(values.reduce((s, p) => s + p.v, 0) / values.length);
    const best = values.reduce((b, p) => (better(p.v, b.v) ? p : b));
    bests.push(best.v);
    bestEpochs.push(best.epoch);
  });
  const ci = meanInterval(finals);
  return {
    final_mean: mean(finals),
    final_std: sampleStd(finals),
    final_ci_low: ci?.[0] ?? null,
    final_ci_high: ci?.[1] ?? null,
    best_mean: mean(bests),
    best_std: sampleStd(bests),
    best_epoch_mean: mean(bestEpochs),
    auc_mean: mean(areas),
  };
}

function meanInterval(values: number[]): [number, number] | null {
  // The interval of a mean is the paired interval of its differences from zero.
  return pairedStats(values).ci;
}

/** First epoch at which a run reaches `threshold` (≥ for accuracy, ≤ for losses). */
export function epochsToThreshold(history: HistoryRow[], column: string, threshold: number): number | null {
  const reached = higherIsBetter(column) ? (v: number) => v >= threshold : (v: number) => v <= threshold;
  const row = history.find((r) => typeof r[column] === 'number' && reached(r[column] as number));
  return row ? row.epoch! : null;
}

function thresholdStats(histories: HistoryRow[][], column: string, threshold: number): ThresholdStats {
  const epochs = histories.map((h) => epochsToThreshold(h, column, threshold)).filter((e): e is number => e !== null);
  return { column, threshold, epochs_mean: mean(epochs), epochs_std: sampleStd(epochs), reached: epochs.length, runs: histories.length };
}

function atEpochStats(histories: HistoryRow[][], column: string, epoch: number): AtEpochStats {
  const values = histories.map((h) => h.find((row) => row.epoch === epoch)?.[column]).filter((v): v is number => typeof v === 'number');
  return { epoch, column, mean: mean(values), std: sampleStd(values), runs: values.length };
}

function perEpoch(histories: HistoryRow[][], column: string, statistic: (values: number[]) => number | null): Array<number | null> {
  const length = Math.max(0, ...histories.map((h) => h.length));
  return Array.from({ length }, (_, i) => statistic(histories.map((h) => h[i]?.[column]).filter((v): v is number => typeof v === 'number')));
}
