import type { PlannedRun, TrainedRun } from '../run/run-chain.js';
import type { HistoryRow } from '../shared/history-contract.js';
import type { BackendChoice, BackendInfo } from '../train/backend.js';

/** What every training worker is started with, passed unchanged from the command line to the worker. */
export interface WorkerSetup {
  backend: BackendChoice;
  /** Use the native kernels where built: true, 'own' (nnlab's GEMM, not the system BLAS), false (NNLAB_NATIVE). */
  native: boolean | 'own';
  /** Train dense stacks on nnlab's dense engine (false with NNLAB_ENGINE=layers). */
  engine: boolean;
  /** The parent's Node.js version, recorded in run.json. */
  nodeVersion: string;
  /** Where converted datasets are cached; undefined: no cache. */
  cacheDir?: string;
}

/** Parent → worker. */
export type ToWorker = { type: 'init'; setup: WorkerSetup } | { type: 'run'; run: PlannedRun } | { type: 'exit' };

/** Worker → parent. */
export type FromWorker =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'init-failed'; message: string; code?: string }
  | { type: 'epoch'; id: string; row: HistoryRow; epochs: number }
  | ({ type: 'result'; id: string } & TrainedRun);
