import { link, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { makeDirectory } from '../shared/make-directory.js';
import { join } from 'node:path';
import { asWriteFailure } from '../shared/errors.js';

export interface LockOwner {
  pid: number;
  host: string;
}

/** A lock as another process sees it: who holds it and when it was last refreshed (its mtime). */
export interface LockState {
  owner: LockOwner;
  /** ISO time the lock was taken, as the owner wrote it (absent in locks of older nnlab versions). */
  since?: string;
  refreshedMs: number;
}

/** Decides whether a lock's holder is gone; see createStaleJudge. */
export type StaleJudge = (state: LockState, path: string) => boolean;

type LockResult = { acquired: true; release: () => Promise<void> } | { acquired: false; state: LockState };

/** The holder refreshes its lock's mtime this often while the run trains. */
const HEARTBEAT_MS = 5_000;
/** A lock of another host whose mtime has not changed for this long is taken to be left by a dead process. */
export const DEFAULT_STALE_MS = 30_000;

/**
 * Claim a run directory for training. The lock file is written under a temporary name and then
 * hard-linked to `.lock`, which fails if it exists: so a lock is never seen empty or half-written.
 * While held, its mtime is refreshed every HEARTBEAT_MS (a heartbeat); `isStale` says when another
 * holder is gone, and then the lock is taken over.
 */
export async function acquireRunLock(dir: string, self: LockOwner, isStale: StaleJudge, now: () => Date = () => new Date()): Promise<LockResult> {
  const path = join(dir, '.lock');
  // Not named *.tmp: those are swept from run folders by whoever holds the lock.
  const temp = join(dir, `.lock-candidate.${self.host}.${self.pid}`);
  await makeDirectory(dir);
  try {
    await writeFile(temp, JSON.stringify({ ...self, since: now().toISOString() }));
  } catch (err) {
    await rm(temp, { force: true }).catch(() => {});
    throw asWriteFailure(err, path);
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(temp, path);
        return { acquired: true, release: startHeartbeat(path) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const state = await readLockState(path);
      if (state && !isStale(state, path)) return { acquired: false, state };
      if (state && !(await removeStaleLock(dir, path, state, temp, self, isStale))) return { acquired: false, state };
    }
    return { acquired: false, state: (await readLockState(path)) ?? { owner: { pid: 0, host: self.host }, refreshedMs: now().getTime() } };
  } finally {
    await rm(temp, { force: true });
  }
}

/** Refresh the lock's mtime until released; release stops the heartbeat and removes the lock. */
function startHeartbeat(path: string): () => Promise<void> {
  const timer = setInterval(() => {
    const t = new Date();
    utimes(path, t, t).catch(() => {});
  }, HEARTBEAT_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await rm(path, { force: true });
  };
}

/**
 * Who holds a lock is gone when: on this host, its process no longer exists; on another host (a
 * shared file system), its heartbeat stopped — the lock's mtime has not changed for `staleMs` *as
 * measured by this process's clock*, so clocks that disagree between hosts cannot make a live lock
 * look dead. The judge remembers what it has seen, so keep one per sweep.
 */
export function createStaleJudge(
  self: LockOwner,
  isAlive: (pid: number) => boolean,
  staleMs = DEFAULT_STALE_MS,
  clock: () => number = () => Date.now(),
): StaleJudge {
  const seen = new Map<string, { refreshedMs: number; since: number }>();
  return (state, path) => {
    if (state.owner.host === self.host) return !isAlive(state.owner.pid);
    const key = `${path}|${state.owner.host}|${state.owner.pid}`;
    const last = seen.get(key);
    if (!last || last.refreshedMs !== state.refreshedMs) {
      seen.set(key, { refreshedMs: state.refreshedMs, since: clock() });
      return false;
    }
    return clock() - last.since >= staleMs;
  };
}

/**
 * Remove a stale lock without racing another process that found it stale too: whoever first links
 * `.lock-takeover` may remove `.lock`, and only after checking it still is the same stale lock (a
 * fresh lock cannot appear while the stale one is there). The others report the run as locked.
 * A takeover lock left by a process that died meanwhile is itself stale and removed.
 */
async function removeStaleLock(dir: string, path: string, stale: LockState, temp: string, self: LockOwner, isStale: StaleJudge): Promise<boolean> {
  const takeover = join(dir, '.lock-takeover');
  try {
    await link(temp, takeover);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = await readLockState(takeover);
    if (holder && holder.owner.host === self.host && isStale(holder, takeover)) await rm(takeover, { force: true });
    return false;
  }
  try {
    const current = await readLockState(path);
    const same = current && current.owner.pid === stale.owner.pid && current.owner.host === stale.owner.host && current.refreshedMs === stale.refreshedMs;
    if (current && !same) return false;
    await rm(path, { force: true });
    return true;
  } finally {
    await rm(takeover, { force: true });
  }
}

/** The lock at `path`, or undefined when it was removed meanwhile or torn by a kill during its creation (stale). */
export async function readLockState(path: string): Promise<LockState | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const { pid, host, since } = JSON.parse(text) as { pid: number; host: string; since?: string };
    if (typeof pid !== 'number' || typeof host !== 'string') return undefined;
    return { owner: { pid, host }, ...(typeof since === 'string' ? { since } : {}), refreshedMs: info.mtimeMs };
  } catch {
    return undefined;
  }
}
