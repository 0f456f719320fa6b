import type { RunConfig, SavedRun } from '../run/run-chain.js';
import { compareFactors, quantitiesFor, type Comparison, type Verdicts } from '../analysis/compare.js';
import type { Trend } from '../analysis/trends.js';
import { composeAnswer } from '../analysis/answer/compose-answer.js';
import { diagnoseRuns, type RunForDiagnosis, type VariantDiagnosis } from '../analysis/diagnose.js';
import { groupRuns, type FactorOrder } from '../analysis/group-variants.js';
import { summarizeLayerSignals, type LayerSignalSummary } from '../analysis/layer-summary.js';
import { summarizeVariants, type RunForSummary, type VariantSummary } from '../analysis/summarize.js';
import { DATASET_CATALOG, datasetTask } from '../data/catalog.js';
import { readRunsOnDisk, type RunsOnDisk } from '../results/read-results-dir.js';
import type { SavedSummary } from '../results/read-summary.js';
import type { SummaryHeader } from '../results/read-summary.js';
import { type FactorValue } from '../shared/factor-value.js';
import { canonicalJson } from '../shared/canonical-json.js';
import type { Quantity } from '../shared/quantity.js';
import { resultColumns } from '../shared/history-contract.js';
import { retargetOverride, type VariableField } from '../spec/retarget-override.js';
import type { SampledFactor } from '../spec/validate.js';

/** What the summary of a results directory is for: the experiment as its spec (or its saved summary) describes it. */
export interface ViewContext {
  experiment: string;
  question?: string;
  order: FactorOrder;
  /** report.compare: the factors the question is about (empty: none). */
  compare: string[];
  thresholds: Record<string, number>;
  atEpochs: number[];
  /** report.quantities (undefined: the defaults, see quantitiesFor) and report.margins. */
  quantities?: Quantity[];
  margins: Record<string, number>;
  /** Rounds an adaptive sweep may take: each a look at the data that verdicts pay for (Bonferroni). */
  looks: number;
  /** Seeds until decided: the most seeds a variant may get (the answer's --set to decide the rest raises it). */
  seedsMax?: number;
  variables: VariableField[];
  /** sweep.random's factors (from the spec, or the saved summary). */
  sampled?: SampledFactor[];
  /** Runs this invocation planned (every shard): counted as missing while not on disk. */
  planned: Array<{ id: string; config: RunConfig }>;
  /** The saved summary's variants: their runs not on disk and not planned are another shard's, missing. */
  saved?: SavedSummary['variants'];
}

/** A results directory summarized: every run on disk, grouped into variants, with statistics, verdicts and findings. */
export interface ResultsView {
  header: SummaryHeader;
  summaries: VariantSummary[];
  runIds: string[][];
  runs: RunForSummary[];
  /** The config of every run on disk or planned here (another shard's runs have none). */
  configs: RunConfig[];
  comparisons: Comparison[];
  trends: Trend[];
  diagnoses: VariantDiagnosis[];
  /** Per-layer signals over each variant's seeds, per epoch (empty when no run recorded them). */
  layerSummary: LayerSignalSummary[];
  /** What the summary leaves out, and why (one sentence each), or notes on the comparison. */
  notes: string[];
  /** The answer to the question, in a few plain sentences (see composeAnswer). */
  answer: string[];
}

/**
 * Summarize every run on disk in `dir` (read, then summarizeResults), plus the runs expected there that are not (missing). Runs
 * are grouped by their configs (see groupRuns), so a setting changed between invocations becomes a
 * factor; the result depends only on the runs, not on the order they were trained in.
 * @example const view = await buildResultsView('results/bn-vs-nobn', context)
 */
export async function buildResultsView(dir: string, ctx: ViewContext, strict = false): Promise<ResultsView> {
  return summarizeResults(await readRunsOnDisk(dir, strict), ctx);
}

/** The runs read from a results directory, summarized (pure: buildResultsView reads them). */
export function summarizeResults(disk: RunsOnDisk, ctx: ViewContext): ResultsView {
  const onDisk = new Set(disk.runs.map((r) => r.id));
  const all: Array<{ id: string; config: RunConfig; saved?: SavedRun }> = [
    ...disk.runs.map((r) => ({ id: r.id, config: r.config, saved: r })),
    ...ctx.planned.filter((p) => !onDisk.has(p.id)).map((p) => ({ id: p.id, config: p.config })),
  ];
  // One order whatever order the runs come in: their ids' (the folder names', as readRunsOnDisk reads them).
  // Sums over seeds follow it, so it is what keeps result bytes stable from one release to the next.
  all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const grouped = groupRuns(
    all.map((e) => e.config),
    ctx.order,
  );
  // Dropping a retraining leaves its variant's other runs: the variants stay as grouped.
  const kept = withoutRetrainings(all, grouped.variantOf);
  const entries = kept.map((i) => all[i]!);
  const grouping = { ...grouped, variantOf: kept.map((i) => grouped.variantOf[i]!) };
  const variants: Array<{ factors: Record<string, FactorValue> }> = [...grouping.variants];
  const runs: RunForSummary[] = entries.map((e, i) => summaryInput(e.id, grouping.variantOf[i]!, e.saved, e.config.seed));
  addOtherShards(ctx, entries, variants, runs, grouping.factorNames);
  const columns = [...new Set(entries.flatMap((e) => resultColumns(datasetTask(e.config.data), e.config.train.metrics)))];
  const summaries = summarizeVariants(variants, runs, columns, ctx.thresholds, ctx.atEpochs);
  const notes = leftOutNotes(disk.unfinished, disk.outdated);
  const varies = (f: string) => new Set(variants.map((v) => canonicalJson(v.factors[f] ?? null))).size > 1;
  const along = ctx.compare.filter((f) => grouping.factorNames.includes(f) && varies(f));
  for (const f of ctx.compare.filter((f) => !along.includes(f))) notes.push(`no comparison along ${f}: the runs here do not differ in it`);
  const { comparisons, trends } = along.length ? compareAlong(along, ctx, variants, runs, columns) : { comparisons: [], trends: [] };
  const diagnosed = diagnoseRuns(
    entries.flatMap((e, i) => (e.saved ? [diagnosisInput(e.id, grouping.variantOf[i]!, variants[grouping.variantOf[i]!]!.factors, e.config, e.saved)] : [])),
  );
  const header: SummaryHeader = {
    experiment: ctx.experiment,
    ...(ctx.question !== undefined ? { question: ctx.question } : {}),
    factors: grouping.factorNames,
    seeds: [...new Set(runs.map((r) => r.seed))].filter((s) => s >= 0).sort((a, b) => a - b),
    columns,
    ...(ctx.compare.length ? { compare: ctx.compare } : {}),
    grid: ctx.order.levels,
    variables: ctx.variables,
    ...(ctx.quantities ? { quantities: ctx.quantities.map((q) => q.label) } : {}),
    ...(Object.keys(ctx.margins).length ? { margins: ctx.margins } : {}),
    ...(ctx.looks > 1 ? { looks: ctx.looks } : {}),
    ...(ctx.seedsMax !== undefined ? { seeds_max: ctx.seedsMax } : {}),
    ...(ctx.sampled ? { sampled: ctx.sampled } : {}),
  };
  const runIds = variants.map((_, v) =>
    runs
      .filter((r) => r.variant === v)
      .sort((a, b) => a.seed - b.seed || (a.id < b.id ? -1 : 1))
      .map((r) => r.id),
  );
  const configs = entries.map((e) => e.config);
  const layerSummary = summarizeLayerSignals(
    entries.map((e, i) => ({ variant: grouping.variantOf[i]!, ...(e.saved?.layers ? { layers: e.saved.layers } : {}) })),
  );
  const diagnoses = retargetDiagnoses(diagnosed, ctx.variables, (v) => variants[v]?.factors ?? {});
  const answer = composeAnswer({
    compare: along,
    unvaried: ctx.compare.filter((f) => !along.includes(f)),
    levels: ctx.order.levels,
    comparisons,
    trends,
    variants,
    counts: summaries,
    diagnoses,
    seeds: { most: Math.max(0, ...summaries.map((s) => s.ok)), ...(ctx.seedsMax !== undefined ? { adaptiveMax: ctx.seedsMax } : {}) },
  });
  return { header, summaries, runIds, runs, configs, comparisons, trends, diagnoses, layerSummary, notes, answer };
}

/** The verdicts along `factors` with the experiment's quantities, margins and rounds. */
export function compareAlong(
  factors: string[],
  ctx: Pick<ViewContext, 'quantities' | 'thresholds' | 'margins' | 'looks'>,
  variants: Array<{ factors: Record<string, FactorValue> }>,
  runs: RunForSummary[],
  columns: string[],
): Verdicts {
  return compareFactors(variants, runs, factors, ctx.quantities ?? quantitiesFor(columns, ctx.thresholds), { margins: ctx.margins, looks: ctx.looks });
}

/**
 * Runs the saved summary lists that are neither on disk nor planned here (another shard's): missing
 * in the variant with their factors, or in a variant of their own when none has them.
 */
function addOtherShards(
  ctx: ViewContext,
  entries: Array<{ id: string }>,
  variants: Array<{ factors: Record<string, FactorValue> }>,
  runs: RunForSummary[],
  factorNames: string[],
): void {
  const known = new Set(entries.map((e) => e.id));
  const label = (f: Record<string, FactorValue>) => JSON.stringify(factorNames.map((n) => f[n] ?? null));
  for (const saved of ctx.saved ?? []) {
    const ids = saved.run_ids.filter((id) => !known.has(id));
    if (ids.length === 0) continue;
    let variant = variants.findIndex((v) => label(v.factors) === label(saved.factors));
    if (variant < 0) variant = variants.push({ factors: Object.fromEntries(factorNames.map((n) => [n, saved.factors[n] ?? null])) }) - 1;
    for (const id of ids) runs.push({ id, variant, seed: -1, status: 'missing', history: [] });
  }
}

function leftOutNotes(unfinished: string[], outdated: string[]): string[] {
  const plural = (n: number) => (n === 1 ? '1 run is' : `${n} runs are`);
  return [
    ...(unfinished.length
      ? [
          `${plural(unfinished.length)} left out, unfinished (being trained by another process, or interrupted: nnlab run finishes them): ${unfinished.join(', ')}`,
        ]
      : []),
    ...(outdated.length
      ? [`${plural(outdated.length)} left out, trained by an nnlab whose training differed (nnlab run retrains them): ${outdated.join(', ')}`]
      : []),
  ];
}

/** A run's files as the statistics see them (missing when nothing is on disk). */
function summaryInput(id: string, variant: number, saved: SavedRun | undefined, seed: number): RunForSummary {
  return {
    id,
    variant,
    seed,
    status: saved?.record.status ?? 'missing',
    history: saved?.history ?? [],
    ...(saved?.test ? { test: saved.test } : {}),
    ...(saved?.record.restored_best && saved.record.best_epoch ? { restoredEpoch: saved.record.best_epoch } : {}),
  };
}

/** A run's files as the doctor sees them, labelled with its variant's factors. */
/**
 * One run per variant and seed: the same training under two ids (a run from before a grid factor
 * existed, and the grid's run of the same settings) counts once. Kept: a run on disk over a planned
 * one, then the one recorded with the most factors (the newest plan's), then the first id. Returns
 * the indices kept, in order.
 */
function withoutRetrainings<E extends { id: string; config: RunConfig; saved?: SavedRun }>(entries: E[], variantOf: number[]): number[] {
  const rank = (e: E) => [e.saved ? 0 : 1, -Object.keys(e.config.factors).length, e.id] as const;
  const better = (a: E, b: E) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] !== y[0] ? x[0] < y[0] : x[1] !== y[1] ? x[1] < y[1] : x[2] < y[2];
  };
  const kept = new Map<string, number>();
  entries.forEach((e, i) => {
    const key = `${variantOf[i]}|${e.config.seed}`;
    const other = kept.get(key);
    if (other === undefined || better(e, entries[other]!)) kept.set(key, i);
  });
  return [...kept.values()].sort((a, b) => a - b);
}

function diagnosisInput(id: string, variant: number, factors: Record<string, FactorValue>, config: RunConfig, saved: SavedRun): RunForDiagnosis {
  return {
    id,
    variant,
    seed: config.seed,
    factors,
    config,
    status: saved.record.status,
    diverged_epoch: saved.record.diverged_epoch,
    history: saved.history,
    task: datasetTask(config.data),
    numClasses: DATASET_CATALOG[config.data.dataset]?.numClasses,
    ...(saved.record.class_counts ? { class_counts: saved.record.class_counts } : {}),
    ...(saved.layers ? { layers: saved.layers } : {}),
  };
}

/** Each finding's --set lines fitted to the spec's `${factor}` fields, for the variant it was seen in. */
function retargetDiagnoses(
  diagnoses: VariantDiagnosis[],
  variables: VariableField[],
  factorsOf: (variant: number) => Record<string, FactorValue>,
): VariantDiagnosis[] {
  if (variables.length === 0) return diagnoses;
  return diagnoses.map((d) => ({
    ...d,
    findings: d.findings.map((f) => (f.sets ? { ...f, sets: f.sets.map((s) => retargetOverride(s, variables, factorsOf(d.variant))) } : f)),
  }));
}
