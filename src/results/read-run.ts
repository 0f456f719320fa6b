import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULTS_FORMAT_VERSION } from './format.js';
import { runDir, type RunRecord } from './run-files.js';
import type { RunConfig } from '../sweep/expand.js';

export interface SavedRun {
  record: RunRecord;
  /** The run's seed, from config.json (pairs runs across variants). */
  seed: number;
  /** config.json as written (absent for runs just trained, whose config the caller has). */
  config?: RunConfig;
  columns: string[];
  history: Array<Record<string, number | null>>;
}

/**
 * A finished run's files, or undefined when the run is incomplete (no run.json, or files that do not
 * parse — e.g. a sweep killed between writes) and must be trained again.
 */
export async function readSavedRun(resultsDir: string, id: string): Promise<SavedRun | undefined> {
  const dir = runDir(resultsDir, id);
  try {
    const record = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunRecord;
    const history = JSON.parse(await readFile(join(dir, 'history.json'), 'utf8')) as { format_version: number; columns: string[]; rows: SavedRun['history'] };
    if (record.format_version !== RESULTS_FORMAT_VERSION || history.format_version !== RESULTS_FORMAT_VERSION) return undefined;
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as RunConfig;
    return { record, seed: config.seed, config, columns: history.columns.filter((c) => c !== 'epoch'), history: history.rows };
  } catch {
    return undefined;
  }
}

/** Diverged runs are results too (the same config diverges again); failed ones are retried. */
export function isReusable(saved: SavedRun | undefined): saved is SavedRun {
  return saved !== undefined && (saved.record.status === 'ok' || saved.record.status === 'diverged');
}
