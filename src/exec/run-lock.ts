import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LockOwner {
  pid: number;
  host: string;
}

export type LockResult = { acquired: true; release: () => Promise<void> } | { acquired: false; owner: LockOwner };

/**
 * Claim a run directory for training. The lock file is written under a temporary name and then
 * hard-linked to `.lock`, which fails if it exists: so a lock is never seen empty or half-written.
 * A lock left by a process that no longer exists on this host is stale and taken over.
 */
export async function acquireRunLock(dir: string, self: LockOwner, isAlive: (pid: number) => boolean): Promise<LockResult> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, '.lock');
  // Not named *.tmp: those are swept from run folders by whoever holds the lock.
  const temp = join(dir, `.lock-candidate.${self.host}.${self.pid}`);
  await writeFile(temp, JSON.stringify(self));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(temp, path);
        return { acquired: true, release: () => rm(path, { force: true }) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = await readOwner(path);
      if (owner && (owner.host !== self.host || isAlive(owner.pid))) return { acquired: false, owner };
      if (owner && !(await removeStaleLock(dir, path, owner, temp, self, isAlive))) return { acquired: false, owner };
    }
    return { acquired: false, owner: (await readOwner(path)) ?? { pid: 0, host: self.host } };
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Remove a stale lock without racing another process that found it stale too: whoever first links
 * `.lock-takeover` may remove `.lock`, and only after checking it still names the dead owner (a
 * fresh lock cannot appear while the stale one is there). The others report the run as locked.
 * A takeover lock left by a process that died meanwhile is itself stale and removed.
 */
async function removeStaleLock(dir: string, path: string, stale: LockOwner, temp: string, self: LockOwner, isAlive: (pid: number) => boolean): Promise<boolean> {
  const takeover = join(dir, '.lock-takeover');
  try {
    await link(temp, takeover);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = await readOwner(takeover);
    if (holder && holder.host === self.host && !isAlive(holder.pid)) await rm(takeover, { force: true });
    return false;
  }
  try {
    const current = await readOwner(path);
    if (current && (current.pid !== stale.pid || current.host !== stale.host)) return false;
    await rm(path, { force: true });
    return true;
  } finally {
    await rm(takeover, { force: true });
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockOwner;
  } catch {
    return undefined; // removed meanwhile, or torn by a kill during its creation: treat as stale
  }
}
