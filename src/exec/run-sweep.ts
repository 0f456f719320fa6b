import type { PlannedRun, RunRecord, SavedRun, SweptRun } from '../run/run-chain.js';
import { loadFileDataset, userDataSource } from '../data/data-files.js';
import { readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isReusable, readSavedRun } from '../results/read-run.js';
import { runDir, writeRunFiles } from '../results/run-files.js';
import { NnlabError } from '../shared/errors.js';
import type { RunPlan } from '../sweep/expand.js';
import type { BackendInfo } from '../train/backend.js';
import type { WorkerSetup } from './messages.js';
import type { HistoryRow } from '../shared/history-contract.js';
import { acquireRunLock, createStaleJudge, DEFAULT_STALE_MS, readLockState, type LockOwner, type LockState, type StaleJudge } from './run-lock.js';
import { inShard, type Shard } from './shard.js';
import { trainInWorkers } from './worker-pool.js';

export interface SweepEvents {
  onPlan?(counts: { total: number; selected: number; cached: number; toTrain: number }, toTrain: PlannedRun[]): void;
  onReady?(backend: BackendInfo): void;
  onStart?(run: PlannedRun, worker: number): void;
  onEpoch?(run: PlannedRun, row: HistoryRow, epochs: number, worker: number): void;
  onFinish?(run: PlannedRun, record: RunRecord): void;
  /** Another process holds the run's lock: `path`, refreshed at `lock.refreshedMs`; taken over after `staleMs` without a refresh. */
  onWaiting?(run: PlannedRun, wait: { lock: LockState; path: string; staleMs: number }): void;
}

export interface SweepOptions {
  outDir: string;
  workers: number;
  setup: WorkerSetup;
  force: boolean;
  shard?: Shard;
  now: () => Date;
  self: LockOwner;
  isAlive: (pid: number) => boolean;
  /** A lock of another host not refreshed for this long is taken over (default DEFAULT_STALE_MS). */
  staleMs?: number;
  signal?: AbortSignal;
  events?: SweepEvents;
}

/** How long to wait between looks at a run another process is training. */
const LOCK_POLL_MS = 500;

/**
 * Train what the plan (or this shard of it) needs and is not already on disk, in worker processes;
 * a run goes on disk only when complete. Returns every run of the plan with whatever is on disk.
 */
export async function runSweep(plan: RunPlan, options: SweepOptions): Promise<{ runs: SweptRun[]; backend?: BackendInfo }> {
  const { outDir, events = {} } = options;
  const saved = new Map<string, SavedRun | undefined>();
  for (const run of plan.runs) saved.set(run.id, await readSavedRun(outDir, run.id));
  const selected = plan.runs.filter((_, i) => inShard(i, options.shard));
  const pending = selected.filter((r) => options.force || !isReusable(saved.get(r.id)));
  events.onPlan?.({ total: plan.runs.length, selected: selected.length, cached: selected.length - pending.length, toTrain: pending.length }, pending);
  await convertUserData(pending, options.setup.cacheDir);

  const trained = new Set<string>();
  const held = new Map<string, () => Promise<void>>();
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const isStale = createStaleJudge(options.self, options.isAlive, staleMs);
  let backend: BackendInfo | undefined;
  let remaining = pending;
  while (remaining.length > 0) {
    const lockedElsewhere: PlannedRun[] = [];
    const pool = trainInWorkers(remaining, {
      workers: options.workers,
      setup: options.setup,
      now: options.now,
      onReady: (b) => {
        backend ??= b;
        events.onReady?.(b);
      },
      onStart: events.onStart,
      onEpoch: events.onEpoch,
      claim: async (run) => {
        const dir = runDir(outDir, run.id);
        const lock = await acquireRunLock(dir, options.self, isStale, options.now);
        if (!lock.acquired) {
          lockedElsewhere.push(run);
          events.onWaiting?.(run, { lock: lock.state, path: join(dir, '.lock'), staleMs });
          return false;
        }
        // Interrupted while the lock was being taken: the sweep has let go of its runs already.
        if (options.signal?.aborted) {
          await lock.release();
          await rmdir(dir).catch(() => {});
          return false;
        }
        held.set(run.id, lock.release);
        // Another process may have finished it between our first look and the lock.
        const now = await readSavedRun(outDir, run.id);
        if (!options.force && isReusable(now) && !trained.has(run.id)) {
          saved.set(run.id, now);
          held.delete(run.id);
          await lock.release();
          return false;
        }
        await removeLeftovers(dir, options);
        return true;
      },
      onResult: async (run, result) => {
        saved.set(run.id, await writeRunFiles(outDir, { id: run.id, config: run.config, ...result }));
        await held.get(run.id)?.();
        held.delete(run.id);
        trained.add(run.id);
        events.onFinish?.(run, result.record);
      },
    });
    const onAbort = () => pool.stop();
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted) onAbort(); // interrupted while planning
    try {
      await pool.done;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      // Runs still held were interrupted: their folders go too when nothing else is in them.
      await Promise.all(
        [...held.entries()].map(async ([id, release]) => {
          await release();
          await rmdir(runDir(outDir, id)).catch(() => {});
        }),
      );
      held.clear();
    }
    if (options.signal?.aborted)
      throw new NnlabError('NNLAB_INTERRUPTED', 'Interrupted: finished runs are kept; unfinished ones will be trained by the next nnlab run.', 130);
    remaining = await waitForOthers(lockedElsewhere, outDir, options, saved, isStale);
  }
  return { runs: plan.runs.map((run) => ({ run, saved: saved.get(run.id), trained: trained.has(run.id) })), backend };
}

/** Wait for runs other processes are training; return those that still need training (their holder is gone). */
async function waitForOthers(
  locked: PlannedRun[],
  outDir: string,
  options: SweepOptions,
  saved: Map<string, SavedRun | undefined>,
  isStale: StaleJudge,
): Promise<PlannedRun[]> {
  const retry: PlannedRun[] = [];
  for (const run of locked) {
    const lockPath = join(runDir(outDir, run.id), '.lock');
    for (;;) {
      const result = await readSavedRun(outDir, run.id);
      if (isReusable(result)) {
        saved.set(run.id, result);
        break;
      }
      const lock = await readLockState(lockPath);
      if (!lock || isStale(lock, lockPath)) {
        retry.push(run);
        break;
      }
      if (options.signal?.aborted) throw new NnlabError('NNLAB_INTERRUPTED', 'Interrupted while waiting for another nnlab process.', 130);
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
  return retry;
}

/**
 * Files left by a process killed mid-write (temp files, lock candidates of dead processes): never
 * read, safe to remove while holding the run's lock.
 */
async function removeLeftovers(dir: string, { self, isAlive }: SweepOptions): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const candidate = /^\.lock-candidate\.(.+)\.(\d+)$/.exec(name);
    const deadCandidate = candidate && candidate[1] === self.host && !isAlive(Number(candidate[2]));
    if ((name.startsWith('.') && name.endsWith('.tmp')) || deadCandidate) await rm(`${dir}/${name}`, { force: true });
  }
}

/**
 * Users' data files into the converted-dataset cache before the workers start, once per file and
 * parse options: the workers then read float32 arrays instead of each parsing the file again.
 */
async function convertUserData(runs: PlannedRun[], cacheDir: string | undefined): Promise<void> {
  if (!cacheDir) return;
  const seen = new Set<string>();
  for (const run of runs) {
    const files = run.config.data_files;
    const key = userDataSource(run.config.data, run.dataDir);
    if (!files || key === undefined || seen.has(key)) continue;
    seen.add(key);
    // A file that does not load is each run's failure to report, not the sweep's.
    await loadFileDataset(run.config.data, run.dataDir, cacheDir, files).catch(() => undefined);
  }
}
