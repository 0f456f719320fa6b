import { nextSeedCounts } from '../analysis/adaptive-seeds.js';
import { dataFileFingerprint } from '../data/data-files.js';
import { checkResultsOwner } from '../results/read-summary.js';
import { runSweep, type SweepOptions, type SweptRun } from '../exec/run-sweep.js';
import type { ValidatedSpec } from '../spec/validate.js';
import { expandSweep, type RunPlan } from '../sweep/expand.js';
import type { BackendInfo } from '../train/backend.js';
import { writeOutputs } from './output-stage.js';
import { compareAlong, type ResultsView } from './results-view.js';
import { contextFromSpec } from './view-context.js';

interface ExperimentResult {
  /** This invocation's runs: trained now, cached, or (another shard's) not on disk. */
  runs: SweptRun[];
  /** Every run in the results directory, summarized, as written to summary.json and report.html. */
  view: ResultsView;
  backend?: BackendInfo;
}

interface RoundEvents {
  /** Seeds until decided: another round starts, training `runs` more runs for `undecided` comparisons. */
  onRound?(round: number, runs: number, undecided: number): void;
}

/**
 * Train what the sweep still needs, then summarize every run in the results directory (earlier
 * invocations' too) into summary.json/csv and report.html. With seeds until decided, more rounds
 * follow (see nextSeedCounts) while comparisons are inconclusive; each round's runs are cached like
 * any other, so a killed sweep resumes where it was. A shard trains the first round only.
 */
export async function runExperiment(spec: ValidatedSpec, plan: RunPlan, options: SweepOptions & { rounds?: RoundEvents }): Promise<ExperimentResult> {
  await checkResultsOwner(options.outDir, spec.name);
  const first = await runSweep(plan, options);
  const runs = [...first.runs];
  let backend = first.backend;
  let view = await writeOutputs(options.outDir, contextFromSpec(spec, plan), options);
  const schedule = spec.adaptiveSeeds;
  if (!schedule || options.shard) return { runs, view, backend };
  let counts = spec.variants.map(() => schedule.min);
  let planned = plan;
  for (let round = 2; ; round++) {
    // Decided on this sweep's planned runs only: runs a killed invocation left beyond them must not
    // change the rounds, so a resumed sweep takes exactly the rounds an uninterrupted one would.
    const ctx = contextFromSpec(spec, planned);
    const ids = new Set(planned.runs.map((r) => r.id));
    const verdicts = ctx.compare.length === 0 ? { comparisons: [], trends: [] } : compareAlong(ctx.compare, ctx, view.summaries, view.runs.filter((r) => ids.has(r.id)), view.header.columns);
    const next = nextSeedCounts(verdicts, spec.variants, counts, schedule);
    if (!next) break;
    const before = counts;
    const added = expandSweep(spec, dataFileFingerprint, (v) => range(before[v]! + 1, next[v]!));
    const undecided = verdicts.comparisons.filter((c) => c.outcome === 'inconclusive').length + verdicts.trends.filter((t) => t.outcome === 'no trend').length;
    options.rounds?.onRound?.(round, added.runs.length, undecided);
    counts = next;
    planned = { ...plan, runs: [...planned.runs, ...added.runs] };
    const swept = await runSweep(added, options);
    runs.push(...swept.runs);
    backend ??= swept.backend;
    view = await writeOutputs(options.outDir, contextFromSpec(spec, planned), options);
  }
  return { runs, view, backend };
}

/** from, from + 1, …, to (empty when to < from). */
function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
