import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface LockOwner {
  pid: number;
  host: string;
}

export type LockResult = { acquired: true; release: () => Promise<void> } | { acquired: false; owner: LockOwner };

/**
 * Claim a run directory for training (`.lock`, created exclusively). A lock left by a process that
 * no longer exists on this host is stale and taken over; a live owner keeps it.
 */
export async function acquireRunLock(dir: string, self: LockOwner, isAlive: (pid: number) => boolean): Promise<LockResult> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, '.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(self));
      await handle.close();
      return { acquired: true, release: () => rm(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = await readOwner(path);
    if (owner && (owner.host !== self.host || isAlive(owner.pid))) return { acquired: false, owner };
    await rm(path, { force: true });
  }
  return { acquired: false, owner: (await readOwner(path)) ?? { pid: 0, host: self.host } };
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockOwner;
  } catch {
    return undefined; // removed meanwhile, or torn by a kill during its creation: treat as stale
  }
}
