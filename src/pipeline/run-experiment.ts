import { summarizeVariants, type RunForSummary, type VariantSummary } from '../analysis/summarize.js';
import { prepareSplit } from '../data/prepare-split.js';
import { readDataset } from '../data/read-dataset.js';
import { writeRunFiles, type RunRecord, type RunStatus } from '../results/run-files.js';
import { writeSummaryFiles } from '../results/summary-files.js';
import { historyColumns } from '../spec/rules.js';
import type { ValidatedSpec } from '../spec/validate.js';
import type { PlannedRun, RunPlan } from '../sweep/expand.js';
import type { BackendInfo } from '../train/backend.js';
import { trainRun, type HistoryRow } from '../train/train-run.js';
import { NNLAB_VERSION } from './version.js';

export interface RunEvents {
  onRunStart?(run: PlannedRun, index: number, total: number): void;
  onEpoch?(run: PlannedRun, row: HistoryRow, epochs: number): void;
  onRunEnd?(run: PlannedRun, record: RunRecord, index: number, total: number): void;
}

export interface ExperimentResult {
  runs: Array<{ run: PlannedRun; record: RunRecord; history: HistoryRow[] }>;
  summaries: VariantSummary[];
  columns: string[];
}

/**
 * Train every run of the plan one after another, write each run's files as it finishes, then the
 * summary. A run that throws is recorded as failed and the sweep goes on.
 */
export interface ExperimentOptions {
  outDir: string;
  backend: BackendInfo;
  /** Node's version, for run.json (the CLI reads it from the process). */
  nodeVersion: string;
  now: () => Date;
  events?: RunEvents;
}

export async function runExperiment(spec: ValidatedSpec, plan: RunPlan, options: ExperimentOptions): Promise<ExperimentResult> {
  const { outDir, events = {} } = options;
  const columns = historyColumns(spec.variants[0]!.spec);
  const done: ExperimentResult['runs'] = [];
  for (const [index, run] of plan.runs.entries()) {
    events.onRunStart?.(run, index, plan.runs.length);
    const { record, history, runColumns } = await trainOne(run, options, events);
    await writeRunFiles(outDir, { id: run.id, config: run.config, columns: runColumns ?? columns, history, record });
    done.push({ run, record, history });
    events.onRunEnd?.(run, record, index, plan.runs.length);
  }
  const summaries = summarizeVariants(spec.variants, done.map(toSummaryInput), columns, spec.report.threshold);
  await writeSummaryFiles(
    outDir,
    { experiment: spec.name, question: spec.question, factors: spec.factorNames, seeds: spec.seeds, columns, compare: spec.report.compare },
    summaries,
    spec.variants.map((_, i) => plan.runs.filter((r) => r.variant === i).map((r) => r.id)),
  );
  return { runs: done, summaries, columns };
}

async function trainOne(run: PlannedRun, { backend, nodeVersion, now }: ExperimentOptions, events: RunEvents): Promise<{ record: RunRecord; history: HistoryRow[]; runColumns?: string[] }> {
  const base = {
    format_version: 1,
    id: run.id,
    backend: backend.name,
    kernels: backend.kernels,
    versions: { nnlab: NNLAB_VERSION, tfjs: backend.tfjsVersion, node: nodeVersion },
  };
  try {
    const data = await readDataset(run.config.data);
    const split = prepareSplit(data, run.config.data, run.config.seed);
    const outcome = await trainRun(run.config, split, { onEpoch: (row, epochs) => events.onEpoch?.(run, row, epochs) });
    const status: RunStatus = outcome.status;
    const record: RunRecord = {
      ...base,
      status,
      ...(outcome.divergedEpoch ? { diverged_epoch: outcome.divergedEpoch, message: `loss became NaN or infinite at epoch ${outcome.divergedEpoch}` } : {}),
      epochs_completed: outcome.history.length,
      timings: { train_ms: Math.round(outcome.timings.trainMs), ms_per_step: outcome.timings.msPerStep, samples_per_second: Math.round(outcome.timings.samplesPerSecond) },
      finished_at: now().toISOString(),
    };
    return { record, history: outcome.history, runColumns: outcome.columns };
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? String(err);
    const record: RunRecord = {
      ...base,
      status: 'failed',
      message,
      epochs_completed: 0,
      timings: { train_ms: 0, ms_per_step: 0, samples_per_second: 0 },
      finished_at: now().toISOString(),
    };
    return { record, history: [] };
  }
}

function toSummaryInput(r: ExperimentResult['runs'][number]): RunForSummary {
  return { id: r.run.id, variant: r.run.variant, seed: r.run.config.seed, status: r.record.status, history: r.history };
}
