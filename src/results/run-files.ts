import { historyFileColumns } from '../shared/history-contract.js';
import type { RunConfig, SavedRun, TrainedRun } from '../run/run-chain.js';
import { CHECKPOINT_WEIGHTS_FILE } from '../shared/checkpoint-files.js';
import { join } from 'node:path';
import { stableJson } from '../shared/canonical-json.js';
import { writeFileAtomic } from './atomic-write.js';
import { RESULTS_FORMAT_VERSION, roundNumbers, toCsv } from './format.js';
import { LAYER_SIGNAL_COLUMNS } from '../shared/layer-signals.js';

/** Per-layer signals: epoch, layer, kind, signal, value (the layer-signals contract). */
export const LAYERS_FILE = 'layers.csv';

/** A trained run and what it was: everything its folder holds. */
type RunFiles = TrainedRun & { id: string; config: RunConfig };

export function runDir(resultsDir: string, id: string): string {
  return join(resultsDir, 'runs', id);
}

/**
 * Write a run's files. run.json goes last: its presence with status ok marks the run complete, so a
 * run killed mid-write is retrained, never half-read.
 */
export async function writeRunFiles(resultsDir: string, run: RunFiles): Promise<SavedRun> {
  const dir = runDir(resultsDir, run.id);
  const columns = historyFileColumns(run.columns);
  const history = run.history.map((row) => roundNumbers(row));
  await writeFileAtomic(join(dir, 'config.json'), stableJson({ format_version: RESULTS_FORMAT_VERSION, id: run.id, ...run.config }));
  await writeFileAtomic(join(dir, 'history.csv'), toCsv(columns, history));
  await writeFileAtomic(join(dir, 'history.json'), stableJson({ format_version: RESULTS_FORMAT_VERSION, columns, rows: history }));
  const layers = run.layers?.map((row) => roundNumbers(row));
  if (layers) await writeFileAtomic(join(dir, LAYERS_FILE), toCsv(LAYER_SIGNAL_COLUMNS, layers));
  if (run.test) await writeFileAtomic(join(dir, 'test.json'), stableJson({ format_version: RESULTS_FORMAT_VERSION, metrics: roundNumbers(run.test) }));
  if (run.checkpoint) {
    await writeFileAtomic(join(dir, 'checkpoint', CHECKPOINT_WEIGHTS_FILE), run.checkpoint.weights);
    await writeFileAtomic(join(dir, 'checkpoint', 'model.json'), run.checkpoint.modelJson);
  }
  await writeFileAtomic(join(dir, 'run.json'), stableJson(run.record));
  // What a later read of these files returns: summaries come from the numbers on disk (rounded), so a resumed sweep's equal a fresh one's.
  return {
    record: run.record,
    seed: run.config.seed,
    config: run.config,
    columns: run.columns,
    history,
    ...(run.test ? { test: roundNumbers(run.test) } : {}),
    ...(layers ? { layers } : {}),
  };
}
