import type { VariantSummary } from '../analysis/summarize.js';
import { readSummary, type SavedSummary } from '../results/read-summary.js';
import type { VariableField } from '../spec/retarget-override.js';
import { buildResultsView, type ResultsView } from './results-view.js';
import { contextFromSummary } from './view-context.js';

interface LoadedResults {
  dir: string;
  saved: SavedSummary;
  view: ResultsView;
}

/**
 * A results directory (or its summary.json) summarized from the runs on disk, without writing
 * anything (diff, doctor, report --compare). A summary.json without its runs gives its saved
 * statistics, without curves. Damaged files are refused with a message naming them.
 */
export async function loadResults(pathOrDir: string, options: { compare?: string[]; variables?: VariableField[] } = {}): Promise<LoadedResults> {
  const { dir, summary: saved } = await readSummary(pathOrDir);
  const ctx = contextFromSummary(saved, options.compare ?? saved.compare);
  const view = await buildResultsView(dir, options.variables ? { ...ctx, variables: options.variables } : ctx, true);
  const onDisk = view.runs.some((r) => r.status !== 'missing');
  return {
    dir,
    saved,
    view: onDisk ? view : { ...view, summaries: savedSummaries(saved), header: { ...view.header, factors: saved.factors, columns: saved.columns } },
  };
}

function savedSummaries(summary: SavedSummary): VariantSummary[] {
  return summary.variants.map((v, variant) => ({
    ...(v as unknown as VariantSummary),
    at_epochs: (v.at_epochs ?? []) as VariantSummary['at_epochs'],
    variant,
    curves: {},
  }));
}
