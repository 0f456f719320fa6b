import { datasetTask } from '../data/catalog.js';
import type { ClassCounts, PlannedRun, RunRecord, TrainedRun, TrainingEnvironment, TrainingOutcome } from '../run/run-chain.js';
import { historyColumns } from '../shared/history-contract.js';
import { RESULTS_FORMAT_VERSION } from './format.js';

/**
 * A run that trained to the end (ok) or until its loss stopped being finite (diverged): its run.json
 * record (with the split's class counts where it does not keep classes in proportion), its history
 * and extras as the trainer gave them.
 * @example finishedRun('r1', outcome, env, new Date()).record.status === 'ok'
 */
export function finishedRun(id: string, outcome: TrainingOutcome, env: TrainingEnvironment, finishedAt: Date, classCounts?: ClassCounts): TrainedRun {
  const { columns, history, checkpoint, test, layers } = outcome;
  return {
    record: finishedRecord(id, outcome, env, finishedAt, classCounts),
    columns,
    history,
    ...(checkpoint ? { checkpoint } : {}),
    ...(test ? { test } : {}),
    ...(layers ? { layers } : {}),
  };
}

function finishedRecord(id: string, outcome: TrainingOutcome, env: TrainingEnvironment, finishedAt: Date, classCounts?: ClassCounts): RunRecord {
  const { trainMs, msPerStep, samplesPerSecond, layerSignalsMs } = outcome.timings;
  return {
    format_version: RESULTS_FORMAT_VERSION,
    id,
    status: outcome.status,
    ...outcome.callbacks,
    ...(outcome.diverged_epoch ? { diverged_epoch: outcome.diverged_epoch, message: `loss became NaN or infinite at epoch ${outcome.diverged_epoch}` } : {}),
    epochs_completed: outcome.history.length,
    ...(classCounts ? { class_counts: classCounts } : {}),
    ...env,
    engine: outcome.engine,
    timings: {
      train_ms: Math.round(trainMs),
      ms_per_step: Number(msPerStep.toFixed(3)),
      samples_per_second: Math.round(samplesPerSecond),
      ...(layerSignalsMs !== undefined ? { layer_signals_ms: Math.round(layerSignalsMs) } : {}),
    },
    finished_at: finishedAt.toISOString(),
  };
}

/**
 * A run that could not train (it threw, or its worker died): a failed record and an empty history
 * with the columns the run would have had, however it failed.
 * @example failedRun({id: 'r1', config}, 'out of memory', env, new Date()).record.status === 'failed'
 */
export function failedRun(run: Pick<PlannedRun, 'id' | 'config'>, message: string, env: TrainingEnvironment, finishedAt: Date): TrainedRun {
  return {
    record: {
      format_version: RESULTS_FORMAT_VERSION,
      id: run.id,
      status: 'failed',
      message,
      epochs_completed: 0,
      ...env,
      timings: { train_ms: 0, ms_per_step: 0, samples_per_second: 0 },
      finished_at: finishedAt.toISOString(),
    },
    columns: historyColumns(datasetTask(run.config.data), run.config.train.metrics),
    history: [],
  };
}
