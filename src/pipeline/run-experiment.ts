import { checkResultsOwner } from '../results/read-summary.js';
import { runSweep, type SweepOptions, type SweptRun } from '../exec/run-sweep.js';
import type { ValidatedSpec } from '../spec/validate.js';
import type { RunPlan } from '../sweep/expand.js';
import type { BackendInfo } from '../train/backend.js';
import { writeOutputs } from './output-stage.js';
import type { ResultsView } from './results-view.js';
import { contextFromSpec } from './view-context.js';

interface ExperimentResult {
  /** This invocation's runs: trained now, cached, or (another shard's) not on disk. */
  runs: SweptRun[];
  /** Every run in the results directory, summarized, as written to summary.json and report.html. */
  view: ResultsView;
  backend?: BackendInfo;
}

/**
 * Train what the sweep still needs, then summarize every run in the results directory (earlier
 * invocations' too) into summary.json/csv and report.html.
 */
export async function runExperiment(spec: ValidatedSpec, plan: RunPlan, options: SweepOptions): Promise<ExperimentResult> {
  await checkResultsOwner(options.outDir, spec.name);
  const { runs, backend } = await runSweep(plan, options);
  const view = await writeOutputs(options.outDir, contextFromSpec(spec, plan), options);
  return { runs, view, backend };
}
