import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock, createStaleJudge, DEFAULT_STALE_MS, readLockState } from '../../src/exec/run-lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'nnlab-lock-'));
const dead = 999_999_999;
const isAlive = (pid: number) => pid !== dead;
const here = { pid: 3, host: 'h' };
const judge = (self = here, clock?: () => number) => createStaleJudge(self, isAlive, DEFAULT_STALE_MS, clock);
const foreignLock = (d: string, mtime: Date) => {
  writeFileSync(join(d, '.lock'), JSON.stringify({ pid: 42, host: 'other-host', since: '2026-12-01T10:00:00.000Z' }));
  utimesSync(join(d, '.lock'), mtime, mtime);
};

describe('acquireRunLock', () => {
  it('gives the run to one process and tells the other who holds it', async () => {
    const d = dir();
    const a = await acquireRunLock(d, { pid: 1, host: 'h' }, judge());
    const b = await acquireRunLock(d, { pid: 2, host: 'h' }, judge());
    expect(a.acquired).toBe(true);
    expect(b.acquired ? undefined : b.state.owner).toEqual({ pid: 1, host: 'h' });
    if (a.acquired) await a.release();
    expect((await acquireRunLock(d, { pid: 2, host: 'h' }, judge())).acquired).toBe(true);
  });

  it('takes over a lock whose process on this host is gone', async () => {
    const d = dir();
    writeFileSync(join(d, '.lock'), JSON.stringify({ pid: dead, host: 'h' }));
    expect((await acquireRunLock(d, here, judge())).acquired).toBe(true);
    expect(JSON.parse(readFileSync(join(d, '.lock'), 'utf8'))).toMatchObject(here);
  });

  it('lets exactly one of several processes that find the same stale lock at once take it over', async () => {
    for (let round = 0; round < 30; round++) {
      const d = dir();
      writeFileSync(join(d, '.lock'), JSON.stringify({ pid: dead, host: 'h' }));
      const results = await Promise.all([10, 11, 12, 13].map((pid) => acquireRunLock(d, { pid, host: 'h' }, judge({ pid, host: 'h' }))));
      expect(
        results.filter((r) => r.acquired),
        `round ${round}`,
      ).toHaveLength(1);
    }
  });

  it('takes over a lock of another host whose heartbeat stopped, once it has stayed unrefreshed for the stale time', async () => {
    const d = dir();
    foreignLock(d, new Date('2026-12-01T10:00:05Z'));
    let t = 0;
    const isStale = judge(here, () => t);
    // The first look only starts the watch: this process's clock, not the other host's, decides.
    expect((await acquireRunLock(d, here, isStale)).acquired).toBe(false);
    t = DEFAULT_STALE_MS - 1;
    expect((await acquireRunLock(d, here, isStale)).acquired).toBe(false);
    t = DEFAULT_STALE_MS;
    expect((await acquireRunLock(d, here, isStale)).acquired).toBe(true);
  });

  it('waits for a lock of another host whose heartbeat goes on, however old the lock is', async () => {
    const d = dir();
    let t = 0;
    const isStale = judge(here, () => t);
    for (let beat = 0; beat < 5; beat++) {
      foreignLock(d, new Date(Date.parse('2026-12-01T10:00:00Z') + beat * 5000));
      const result = await acquireRunLock(d, here, isStale);
      expect(result.acquired).toBe(false);
      t += DEFAULT_STALE_MS;
    }
  });

  it('refreshes its own lock while held (heartbeat) and removes it on release', async () => {
    const d = dir();
    const lock = await acquireRunLock(d, here, judge());
    const first = (await readLockState(join(d, '.lock')))!;
    expect(first.owner).toEqual(here);
    expect(first.since).toMatch(/^\d{4}-/);
    if (lock.acquired) await lock.release();
    expect(await readLockState(join(d, '.lock'))).toBeUndefined();
  });
});
