import type { RunRecord } from '../results/run-files.js';
import type { PlannedRun } from '../sweep/expand.js';
import type { BackendChoice, BackendInfo } from '../train/backend.js';
import type { ModelCheckpoint } from '../train/checkpoint.js';
import type { HistoryRow } from '../train/train-run.js';

/** Parent → worker. */
export type ToWorker = { type: 'init'; backend: BackendChoice; nodeVersion: string; cacheDir?: string; native: boolean } | { type: 'run'; run: PlannedRun } | { type: 'exit' };

/** Worker → parent. */
export type FromWorker =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'init-failed'; message: string; code?: string }
  | { type: 'epoch'; id: string; row: HistoryRow; epochs: number }
  | { type: 'result'; id: string; record: RunRecord; columns: string[]; history: HistoryRow[]; checkpoint?: ModelCheckpoint; test?: Record<string, number | null> };
