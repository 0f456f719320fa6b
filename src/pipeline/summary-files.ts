import { join } from 'node:path';
import type { Comparison } from '../analysis/compare.js';
import type { Trend } from '../analysis/trends.js';
import type { VariantSummary } from '../analysis/summarize.js';
import { stableJson } from '../shared/canonical-json.js';
import { rm } from 'node:fs/promises';
import type { LayerSignalSummary } from '../analysis/layer-summary.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { csvLine, RESULTS_FORMAT_VERSION, roundNumbers, toCsv } from '../results/format.js';
import type { SummaryHeader } from '../results/read-summary.js';
import { formatFactorValue, type FactorValue } from '../shared/factor-value.js';

/** What summary.json holds beyond the header: the variants, the verdicts and the answer they add up to. */
interface SummaryContent {
  header: SummaryHeader;
  summaries: VariantSummary[];
  runIds: string[][];
  comparisons?: Comparison[];
  trends?: Trend[];
  answer?: string[];
}

/** summary.json and summary.csv: one entry per variant, nothing time- or host-dependent. */
export async function writeSummaryFiles(
  resultsDir: string,
  { header, summaries, runIds, comparisons = [], trends = [], answer = [] }: SummaryContent,
): Promise<void> {
  const variants = summaries.map((s, i) => {
    const { curves: _curves, curveStds: _stds, variant: _variant, ...rest } = s;
    return { ...rest, run_ids: runIds[i] };
  });
  const verdicts = comparisons.map(comparisonRecord);
  const trendRecords = trends.map(trendRecord);
  await writeFileAtomic(
    join(resultsDir, 'summary.json'),
    stableJson(
      roundNumbers({
        format_version: RESULTS_FORMAT_VERSION,
        ...header,
        answer,
        variants,
        comparisons: verdicts,
        ...(trendRecords.length ? { trends: trendRecords } : {}),
      }),
    ),
  );
  const { columns, rows } = summaryTable(header, summaries);
  await writeFileAtomic(join(resultsDir, 'summary.csv'), toCsv(columns, rows));
}

/**
 * layer-summary.csv beside summary.csv: each variant's per-layer signals over its seeds, per epoch, with
 * the variant's factors first (as summary.csv). Removed when no run recorded signals.
 */
export async function writeLayerSummaryFile(resultsDir: string, header: SummaryHeader, summaries: VariantSummary[], rows: LayerSignalSummary[]): Promise<void> {
  const file = join(resultsDir, 'layer-summary.csv');
  if (rows.length === 0) return rm(file, { force: true });
  const columns = [...header.factors, 'epoch', 'layer', 'kind', 'signal', 'mean', 'std', 'runs'];
  // Hundreds of thousands of rows in long trainings: each written straight to its line.
  const cells = summaries.map((s) => header.factors.map((f) => factorCells(s.factors)[f]));
  const lines = rows.map((r) => csvLine([...(cells[r.variant] ?? header.factors.map(() => null)), r.epoch, r.layer, r.kind, r.signal, r.mean, r.std, r.runs]));
  await writeFileAtomic(file, [columns.join(','), ...lines].join('\n') + '\n');
}

/** A comparison as summary.json keeps it: what was compared, the statistics, the outcome and its sentence. */
function comparisonRecord(c: Comparison): Record<string, unknown> {
  const { sd: _sd, ...stats } = c.stats;
  return {
    factor: c.factor,
    baseline: c.baseline,
    level: c.level,
    others: c.others,
    quantity: c.quantity.label,
    method: c.method,
    seeds: c.differences.length,
    ...stats,
    ...(c.rank ? { median_difference: c.rank.median, rank_p: c.rank.p } : {}),
    ...(c.reached ? { reached: c.reached } : {}),
    unpaired: c.unpaired,
    ...(c.margin !== undefined ? { margin: c.margin, p_equivalent: c.pEquivalent ?? null, p_equivalent_adjusted: c.pEquivalentAdjusted ?? null } : {}),
    p_adjusted: c.pAdjusted,
    ...(c.seedsToDecide !== undefined ? { seeds_to_decide: c.seedsToDecide } : {}),
    outcome: c.outcome,
    verdict: c.verdict,
  };
}

/**
 * A variant's factors as CSV cells: written as on screen, so a mapping such as
 * {sgd: {learning_rate: 1e-8}} reads sgd(learning_rate=1e-8), not [object Object].
 */
function factorCells(factors: Record<string, FactorValue>): Record<string, string | number | boolean | null> {
  return Object.fromEntries(Object.entries(factors).map(([k, v]) => [k, v !== null && typeof v === 'object' ? formatFactorValue(v) : v]));
}

/** A trend as summary.json keeps it: the factor's levels, the means along them, Page's test and the outcome. */
function trendRecord(t: Trend): Record<string, unknown> {
  return {
    factor: t.factor,
    levels: t.levels,
    others: t.others,
    quantity: t.quantity.label,
    method: "Page's trend test",
    seeds: t.stats.n,
    means: t.means,
    rho: t.stats.rho,
    rising: t.stats.rising,
    falling: t.stats.falling,
    unpaired: t.unpaired,
    p: t.p,
    p_adjusted: t.pAdjusted,
    ...(t.seedsToDecide !== undefined ? { seeds_to_decide: t.seedsToDecide } : {}),
    outcome: t.outcome,
    verdict: t.verdict,
  };
}

/** Flatten variant summaries into CSV columns: factors, run counts, per-metric stats, thresholds. */
function summaryTable(header: SummaryHeader, summaries: VariantSummary[]): { columns: string[]; rows: Array<Record<string, unknown>> } {
  const statKeys = ['final_mean', 'final_std', 'final_ci_low', 'final_ci_high', 'best_mean', 'best_std', 'best_epoch_mean', 'auc_mean'] as const;
  const thresholdKey = (t: { column: string; threshold: number }) => `epochs_to_${t.column}_${t.threshold}`;
  const atEpochKey = (a: { column: string; epoch: number }) => `${a.column}_at_epoch_${a.epoch}`;
  const testKeys = ['mean', 'std', 'ci_low', 'ci_high'] as const;
  const testNames = [...new Set(summaries.flatMap((s) => Object.keys(s.test ?? {})))];
  const columns = [
    ...header.factors,
    'runs',
    'ok',
    'diverged',
    'failed',
    'missing',
    ...header.columns.flatMap((c) => statKeys.map((k) => `${c}_${k}`)),
    ...(summaries[0]?.thresholds ?? []).flatMap((t) => [`${thresholdKey(t)}_mean`, `${thresholdKey(t)}_std`, `${thresholdKey(t)}_reached`]),
    ...(summaries[0]?.at_epochs ?? []).flatMap((a) => [`${atEpochKey(a)}_mean`, `${atEpochKey(a)}_std`]),
    ...testNames.flatMap((n) => testKeys.map((k) => `${n}_${k}`)),
  ];
  const rows = summaries.map((s) => {
    const row: Record<string, unknown> = { ...factorCells(s.factors), runs: s.runs, ok: s.ok, diverged: s.diverged, failed: s.failed, missing: s.missing };
    for (const c of header.columns) for (const k of statKeys) row[`${c}_${k}`] = s.metrics[c]?.[k] ?? null;
    for (const t of s.thresholds) {
      row[`${thresholdKey(t)}_mean`] = t.epochs_mean;
      row[`${thresholdKey(t)}_std`] = t.epochs_std;
      row[`${thresholdKey(t)}_reached`] = t.reached;
    }
    for (const a of s.at_epochs ?? []) {
      row[`${atEpochKey(a)}_mean`] = a.mean;
      row[`${atEpochKey(a)}_std`] = a.std;
    }
    for (const n of testNames) for (const k of testKeys) row[`${n}_${k}`] = s.test?.[n]?.[k] ?? null;
    return row;
  });
  return { columns, rows };
}
