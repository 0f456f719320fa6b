import { mean } from '../shared/numbers.js';
import type { RunForSummary } from './summarize.js';

/**
 * A curve over seeds, per epoch: the mean and the range every seed lies in. It ends at the last
 * epoch at least half of its seeds reached, so runs that early stopping ended are not drawn on as
 * if they had gone on, and the mean of the few that did does not stand for them all.
 */
export interface SeedCurve {
  mean: Array<number | null>;
  low: Array<number | null>;
  high: Array<number | null>;
  /** Seeds (or seed pairs) the curve is made of. */
  seeds: number;
}

/**
 * A variant's per-epoch curve of `column` over its ok runs.
 * @example meanCurve(runs, 0, 'val_accuracy').mean[0] // epoch 1, mean over the seeds
 */
export function meanCurve(runs: RunForSummary[], variant: number, column: string): SeedCurve {
  const series = okRuns(runs, variant).map((r) => byEpoch(r, column));
  return curveOf(series);
}

/**
 * Level minus baseline per epoch, seed by seed, over every pair of variants given (one pair: one
 * setting of the other factors; several: the difference pooled over those settings).
 * @example differenceCurve(runs, [[0, 1]], 'loss').mean[2] // bn=true − bn=false at epoch 3, mean over seeds
 */
export function differenceCurve(runs: RunForSummary[], pairs: Array<[baseline: number, level: number]>, column: string): SeedCurve {
  const series: Array<Map<number, number>> = [];
  for (const [baseline, level] of pairs) {
    const base = new Map(okRuns(runs, baseline).map((r) => [r.seed, byEpoch(r, column)]));
    for (const run of okRuns(runs, level)) {
      const b = base.get(run.seed);
      if (!b) continue;
      const l = byEpoch(run, column);
      series.push(new Map([...l].filter(([e]) => b.has(e)).map(([e, v]) => [e, v - b.get(e)!])));
    }
  }
  return curveOf(series);
}

function okRuns(runs: RunForSummary[], variant: number): RunForSummary[] {
  return runs.filter((r) => r.variant === variant && r.status === 'ok');
}

function byEpoch(run: RunForSummary, column: string): Map<number, number> {
  return new Map(
    run.history.flatMap((row) => (typeof row[column] === 'number' && typeof row.epoch === 'number' ? [[row.epoch, row[column] as number] as const] : [])),
  );
}

function curveOf(series: Array<Map<number, number>>): SeedCurve {
  const last = Math.max(0, ...series.flatMap((s) => [...s.keys()]));
  const reached = (e: number) => series.filter((s) => s.has(e)).length;
  let end = last;
  while (end > 0 && reached(end) * 2 < series.length) end--;
  const at = (e: number) => series.map((s) => s.get(e)).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const epochs = Array.from({ length: end }, (_, i) => at(i + 1));
  return {
    mean: epochs.map((v) => mean(v)),
    low: epochs.map((v) => (v.length ? Math.min(...v) : null)),
    high: epochs.map((v) => (v.length ? Math.max(...v) : null)),
    seeds: series.length,
  };
}
