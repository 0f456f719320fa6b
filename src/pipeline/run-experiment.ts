import type { SweptRun } from '../run/run-chain.js';
import { nextSeedCounts } from '../analysis/adaptive-seeds.js';
import { dataFileFingerprint } from '../data/data-files.js';
import { checkResultsOwner } from '../results/read-summary.js';
import { runSweep, type SweepOptions } from '../exec/run-sweep.js';
import type { ValidatedSpec } from '../spec/validate.js';
import { expandSweep, type RunPlan } from '../sweep/expand.js';
import type { BackendInfo } from '../train/backend.js';
import { writeOutputs } from './output-stage.js';
import { buildResultsView, compareAlong, type ResultsView } from './results-view.js';
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
 * any other, so a killed sweep resumes where it was. A shard trains its part of one round (runShardOfRound).
 */
export async function runExperiment(spec: ValidatedSpec, plan: RunPlan, options: SweepOptions & { rounds?: RoundEvents }): Promise<ExperimentResult> {
  await checkResultsOwner(options.outDir, spec.name);
  if (options.shard) return runShardOfRound(spec, plan, options);
  const first = await runSweep(plan, options);
  const runs = [...first.runs];
  let backend = first.backend;
  let view = await writeOutputs(options.outDir, contextFromSpec(spec, plan), options);
  let round: Round = { number: 1, counts: initialCounts(spec), planned: plan, added: plan };
  for (;;) {
    const next = nextRound(spec, plan, round, view);
    if (!next) break;
    round = next.round;
    options.rounds?.onRound?.(round.number, round.added.runs.length, next.undecided);
    const swept = await runSweep(round.added, options);
    runs.push(...swept.runs);
    backend ??= swept.backend;
    view = await writeOutputs(options.outDir, contextFromSpec(spec, round.planned), options);
  }
  return { runs, view, backend };
}

/** A round of seeds until decided: each variant's seed count, every run planned so far, the round's own. */
interface Round {
  number: number;
  counts: number[];
  planned: RunPlan;
  added: RunPlan;
}

function initialCounts(spec: ValidatedSpec): number[] {
  return spec.variants.map(() => spec.adaptiveSeeds?.min ?? 0);
}

/**
 * The round after `round`, decided on that round's planned runs only (runs a killed invocation left
 * beyond them must not change the rounds, so a resumed sweep takes exactly the rounds an
 * uninterrupted one would); undefined when every comparison is decided or the seeds are spent.
 */
function nextRound(spec: ValidatedSpec, plan: RunPlan, round: Round, view: ResultsView): { round: Round; undecided: number } | undefined {
  const schedule = spec.adaptiveSeeds;
  if (!schedule) return undefined;
  const ctx = contextFromSpec(spec, round.planned);
  const ids = new Set(round.planned.runs.map((r) => r.id));
  const verdicts =
    ctx.compare.length === 0
      ? { comparisons: [], trends: [] }
      : compareAlong(
          ctx.compare,
          ctx,
          view.summaries,
          view.runs.filter((r) => ids.has(r.id)),
          view.header.columns,
        );
  const next = nextSeedCounts(verdicts, spec.variants, round.counts, schedule);
  if (!next) return undefined;
  const added = expandSweep(spec, dataFileFingerprint, (v) => range(round.counts[v]! + 1, next[v]!));
  const undecided = verdicts.comparisons.filter((c) => c.outcome === 'inconclusive').length + verdicts.trends.filter((t) => t.outcome === 'no trend').length;
  return { round: { number: round.number + 1, counts: next, planned: { ...plan, runs: [...round.planned.runs, ...added.runs] }, added }, undecided };
}

/**
 * One array task's share of a sweep (--shard): this shard's part of the earliest round that is not
 * complete on disk. The first array trains round 1; submitted again once it has finished (after a
 * merge step's `nnlab report`), the same command finds round 1 complete, decides round 2 from it
 * exactly as one machine would, and trains its part of that; when all is decided it trains nothing.
 * Tasks never wait for each other, so a round is complete only when every task of its array is.
 */
async function runShardOfRound(spec: ValidatedSpec, plan: RunPlan, options: SweepOptions & { rounds?: RoundEvents }): Promise<ExperimentResult> {
  let round: Round = { number: 1, counts: initialCounts(spec), planned: plan, added: plan };
  // Reading is enough to find the round: only what the shard ends with is written (array tasks start together).
  const onDisk = await buildResultsView(options.outDir, contextFromSpec(spec, plan));
  const complete = new Set(onDisk.runs.filter((r) => r.status === 'ok' || r.status === 'diverged').map((r) => r.id));
  for (;;) {
    if (round.added.runs.some((r) => !complete.has(r.id))) break;
    const next = nextRound(spec, plan, round, onDisk);
    if (!next) return { runs: [], view: await writeOutputs(options.outDir, contextFromSpec(spec, round.planned), options) };
    round = next.round;
    options.rounds?.onRound?.(round.number, round.added.runs.length, next.undecided);
  }
  const swept = await runSweep(round.added, options);
  const view = await writeOutputs(options.outDir, contextFromSpec(spec, round.planned), options);
  return { runs: swept.runs, view, ...(swept.backend ? { backend: swept.backend } : {}) };
}

/** from, from + 1, …, to (empty when to < from). */
function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
