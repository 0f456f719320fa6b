import { compareVariants, quantitiesFor, type Comparison } from '../analysis/compare.js';
import type { VariantSummary } from '../analysis/summarize.js';
import type { SavedSummary } from '../results/read-summary.js';
import { writeSummaryFiles } from '../results/summary-files.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { renderHtmlReport } from '../report/html/html-report.js';
import { join } from 'node:path';
import { loadResults } from './load-results.js';
import { diagnoseRuns } from '../analysis/diagnose.js';

/**
 * Recompute a results directory's summary from the runs now on disk (e.g. after copying the
 * shards' runs/ folders together) and rewrite summary.json/csv. No training.
 */
export async function resummarize(pathOrDir: string, htmlFile?: string): Promise<{ dir: string; summary: SavedSummary; summaries: VariantSummary[]; comparisons: Comparison[] }> {
  const { dir, summary, runs, diagnosisInputs, summaries, thresholds } = await loadResults(pathOrDir);
  const comparisons = summary.compare ? compareVariants(summary.variants, runs, summary.compare, quantitiesFor(summary.columns, thresholds)) : [];
  const { experiment, question, factors, seeds, columns, compare } = summary;
  await writeSummaryFiles(dir, { experiment, question, factors, seeds, columns, compare }, summaries, summary.variants.map((v) => v.run_ids), comparisons);
  const diagnoses = diagnoseRuns(diagnosisInputs);
  const html = renderHtmlReport({ experiment, question, factorNames: factors, compare, columns, summaries, comparisons, runs, diagnoses });
  await writeFileAtomic(join(dir, 'report.html'), html);
  if (htmlFile) await writeFileAtomic(htmlFile, html);
  return { dir, summary, summaries, comparisons };
}
