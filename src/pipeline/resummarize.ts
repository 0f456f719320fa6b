import { compareVariants, quantitiesFor, type Comparison } from '../analysis/compare.js';
import { summarizeVariants, type RunForSummary, type VariantSummary } from '../analysis/summarize.js';
import { readSavedRun } from '../results/read-run.js';
import { readSummary, type SavedSummary } from '../results/read-summary.js';
import { writeSummaryFiles } from '../results/summary-files.js';

/**
 * Recompute a results directory's summary from the runs now on disk (e.g. after copying the
 * shards' runs/ folders together) and rewrite summary.json/csv. No training.
 */
export async function resummarize(pathOrDir: string): Promise<{ dir: string; summary: SavedSummary; summaries: VariantSummary[]; comparisons: Comparison[] }> {
  const { dir, summary } = await readSummary(pathOrDir);
  const runs: RunForSummary[] = [];
  for (const [variant, v] of summary.variants.entries()) {
    for (const id of v.run_ids) {
      const saved = await readSavedRun(dir, id);
      runs.push({ id, variant, seed: saved?.seed ?? -1, status: saved?.record.status ?? 'missing', history: saved?.history ?? [] });
    }
  }
  const thresholds = Object.fromEntries((summary.variants[0]?.thresholds ?? []).map((t) => [t.column, t.threshold]));
  const summaries = summarizeVariants(summary.variants, runs, summary.columns, thresholds);
  const comparisons = summary.compare ? compareVariants(summary.variants, runs, summary.compare, quantitiesFor(summary.columns, thresholds)) : [];
  const { experiment, question, factors, seeds, columns, compare } = summary;
  await writeSummaryFiles(dir, { experiment, question, factors, seeds, columns, compare }, summaries, summary.variants.map((v) => v.run_ids), comparisons);
  return { dir, summary, summaries, comparisons };
}
