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
      if (owner) await rm(path, { force: true }); // stale: its process is gone
    }
    return { acquired: false, owner: (await readOwner(path)) ?? { pid: 0, host: self.host } };
  } finally {
    await rm(temp, { force: true });
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockOwner;
  } catch {
    return undefined; // removed meanwhile, or torn by a kill during its creation: treat as stale
  }
}
