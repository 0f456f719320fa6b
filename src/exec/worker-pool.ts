import type { PlannedRun, TrainedRun } from '../run/run-chain.js';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NnlabError, type ErrorCode } from '../shared/errors.js';
import type { BackendInfo } from '../train/backend.js';
import type { HistoryRow } from '../shared/history-contract.js';
import type { FromWorker, ToWorker, WorkerSetup } from './messages.js';
import { failedRun } from '../results/run-record.js';
import { NNLAB_VERSION } from '../shared/version.js';

interface PoolOptions {
  workers: number;
  setup: WorkerSetup;
  now: () => Date;
  onReady?(backend: BackendInfo): void;
  onStart?(run: PlannedRun, worker: number): void;
  onEpoch?(run: PlannedRun, row: HistoryRow, epochs: number, worker: number): void;
  /** Called before a run is handed out; false skips it (e.g. another process holds its lock). */
  claim?(run: PlannedRun): Promise<boolean>;
  /** Called with each finished run; the next run is not handed out until it resolves. */
  onResult(run: PlannedRun, result: TrainedRun, worker: number): Promise<void>;
}

interface PoolHandle {
  done: Promise<void>;
  /** Kill every worker now (Ctrl-C); runs in flight are dropped, not recorded. */
  stop(): void;
}

const WORKER_SCRIPT = fileURLToPath(new URL('./worker-main.js', import.meta.url));

/**
 * Train `runs` in `workers` child processes, each single-threaded and pulling the next run from a
 * shared queue. A worker that dies mid-run has that run recorded as failed and is replaced.
 */
export function trainInWorkers(runs: PlannedRun[], options: PoolOptions): PoolHandle {
  const queue = [...runs];
  /** Runs claimed for a worker that died before it was handed them. */
  const claimedUnstarted: PlannedRun[] = [];
  const children = new Set<ChildProcess>();
  let stopped = false;
  let announced = false;

  const startWorker = (slot: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (queue.length + claimedUnstarted.length === 0 || stopped) return resolve();
      const child = fork(WORKER_SCRIPT, [], {
        serialization: 'advanced',
        // Training allocates many small tfjs objects. GC on the main thread (no helper threads
        // competing with the other worker for the cores) and a larger young generation made an
        // 8-run sweep 13% faster with 1 worker and 23% faster with 2 on a 2-core machine.
        execArgv: ['--single-threaded-gc', '--max-semi-space-size=16'],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      children.add(child);
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
      let current: PlannedRun | undefined;
      let exited = false;
      // True while a next run is being chosen (a claim or the previous result is awaited): a worker
      // that dies then is replaced by next(), which alone knows whether it took a run out of the queue.
      let choosing = false;
      const replace = () => startWorker(slot).then(resolve, reject);
      // A worker killed by stop() (or dying on its own) closes its channel before its exit event; a
      // message it can no longer take is dropped, and the exit handler records what it was running.
      const send = (m: ToWorker) => {
        if (child.connected) child.send(m, () => {});
      };
      const next = async (): Promise<void> => {
        for (;;) {
          if (exited) return stopped ? resolve() : replace();
          const handed = claimedUnstarted.shift();
          const candidate = handed ?? queue.shift();
          if (!candidate || stopped) {
            current = undefined;
            send({ type: 'exit' });
            return;
          }
          if (!handed && options.claim && !(await options.claim(candidate))) continue;
          if (stopped) return;
          if (exited) {
            // Claimed for a worker that died meanwhile: the replacement trains it without claiming again.
            claimedUnstarted.unshift(candidate);
            return replace();
          }
          current = candidate;
          options.onStart?.(current, slot);
          send({ type: 'run', run: current });
          return;
        }
      };
      const nextOrFail = () => {
        choosing = true;
        return next()
          .finally(() => (choosing = false))
          .catch((err: Error) => {
            stopped = true;
            reject(err);
          });
      };
      child.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          if (!announced) options.onReady?.(message.backend);
          announced = true;
          void nextOrFail();
        } else if (message.type === 'init-failed') {
          stopped = true;
          reject(new NnlabError((message.code as ErrorCode) ?? 'NNLAB_BACKEND_UNAVAILABLE', message.message));
        } else if (message.type === 'epoch' && current) {
          options.onEpoch?.(current, message.row, message.epochs, slot);
        } else if (message.type === 'result' && current) {
          const run = current;
          current = undefined;
          const { type: _type, id: _id, ...result } = message;
          choosing = true;
          options.onResult(run, result, slot).then(nextOrFail, (err: Error) => {
            stopped = true;
            reject(err);
          });
        }
      });
      child.on('exit', (code, signal) => {
        children.delete(child);
        exited = true;
        if (stopped) return resolve();
        if (choosing) return;
        if (!current) return queue.length + claimedUnstarted.length > 0 ? replace() : resolve();
        // The worker died mid-run (out of memory, killed): record it and carry on with a new one.
        const run = current;
        current = undefined;
        const why = signal ? `signal ${signal}` : `exit code ${code}`;
        const detail = stderr.trim().split('\n').pop();
        options
          .onResult(
            run,
            failedRun(
              run,
              `the worker process died (${why})${detail ? `: ${detail}` : ''}`,
              { backend: 'unknown', kernels: 'unknown', versions: { nnlab: NNLAB_VERSION, tfjs: '', node: options.setup.nodeVersion } },
              options.now(),
            ),
            slot,
          )
          .then(replace, reject);
      });
      child.on('error', (err) => {
        if (!stopped) reject(err);
      });
      send({ type: 'init', setup: options.setup });
    });

  const count = Math.max(1, Math.min(options.workers, runs.length));
  const done = new Promise<void>((resolve, reject) => {
    Promise.all(Array.from({ length: count }, (_, slot) => startWorker(slot))).then(() => resolve(), reject);
  }).catch((err: Error) => {
    stopAll();
    throw err;
  });
  const stopAll = () => {
    stopped = true;
    for (const child of children) child.kill('SIGKILL');
  };
  return { done, stop: stopAll };
}
