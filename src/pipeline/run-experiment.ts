import { compareVariants, quantitiesFor, type Comparison } from '../analysis/compare.js';
import { diagnoseRuns, type VariantDiagnosis } from '../analysis/diagnose.js';
import { diagnosisInput, summaryInput } from './run-inputs.js';
import { retargetDiagnoses } from './diagnose-results.js';
import { summarizeVariants, type RunForSummary, type VariantSummary } from '../analysis/summarize.js';
import { runSweep, type SweepOptions, type SweptRun } from '../exec/run-sweep.js';
import { writeSummaryFiles } from '../results/summary-files.js';
import { checkResultsOwner } from '../results/read-summary.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { renderHtmlReport } from '../report/html/html-report.js';
import { join } from 'node:path';
import { historyColumns } from '../spec/rules.js';
import type { ValidatedSpec } from '../spec/validate.js';
import type { RunPlan } from '../sweep/expand.js';
import type { BackendInfo } from '../train/backend.js';

export interface ExperimentResult {
  runs: SweptRun[];
  summaries: VariantSummary[];
  comparisons: Comparison[];
  columns: string[];
  backend?: BackendInfo;
  /** The doctor's findings on the runs on disk (for the short version after the table). */
  diagnoses: VariantDiagnosis[];
}

/**
 * Train what the sweep still needs, then summarize every run on disk into summary.json/csv.
 * Runs of other shards that are not on disk are counted as missing.
 */
export async function runExperiment(spec: ValidatedSpec, plan: RunPlan, options: SweepOptions): Promise<ExperimentResult> {
  const columns = historyColumns(spec.variants[0]!.spec);
  await checkResultsOwner(options.outDir, spec.name);
  const { runs, backend } = await runSweep(plan, options);
  const inputs = runs.map(toSummaryInput);
  const summaries = summarizeVariants(spec.variants, inputs, columns, spec.report.threshold, spec.report.at_epochs);
  const comparisons = spec.report.compare ? compareVariants(spec.variants, inputs, spec.report.compare, quantitiesFor(columns, spec.report.threshold)) : [];
  await writeSummaryFiles(
    options.outDir,
    { experiment: spec.name, question: spec.question, factors: spec.factorNames, seeds: spec.seeds, columns, compare: spec.report.compare },
    summaries,
    spec.variants.map((_, i) => plan.runs.filter((r) => r.variant === i).map((r) => r.id)),
    comparisons,
  );
  const found = diagnoseRuns(runs.flatMap((r) => (r.saved ? [diagnosisInput(r.run.id, r.run.variant, spec.factorNames, r.run.config, r.saved)] : [])));
  const diagnoses = retargetDiagnoses(found, spec.variables, (v) => spec.variants[v]?.factors ?? {});
  const html = renderHtmlReport({ experiment: spec.name, question: spec.question, factorNames: spec.factorNames, compare: spec.report.compare, columns, summaries, comparisons, runs: inputs, diagnoses });
  await writeFileAtomic(join(options.outDir, 'report.html'), html);
  return { runs, summaries, comparisons, columns, backend, diagnoses };
}

export function toSummaryInput(r: SweptRun): RunForSummary {
  return summaryInput(r.run.id, r.run.variant, r.saved, r.run.config.seed);
}
