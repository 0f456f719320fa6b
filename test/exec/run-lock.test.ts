import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src/exec/run-lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'nnlab-lock-'));
const dead = 999_999_999;
const isAlive = (pid: number) => pid !== dead;

describe('acquireRunLock', () => {
  it('gives the run to one process and tells the other who holds it', async () => {
    const d = dir();
    const a = await acquireRunLock(d, { pid: 1, host: 'h' }, isAlive);
    const b = await acquireRunLock(d, { pid: 2, host: 'h' }, isAlive);
    expect(a.acquired).toBe(true);
    expect(b).toEqual({ acquired: false, owner: { pid: 1, host: 'h' } });
    if (a.acquired) await a.release();
    expect((await acquireRunLock(d, { pid: 2, host: 'h' }, isAlive)).acquired).toBe(true);
  });

  it('takes over a lock whose process is gone', async () => {
    const d = dir();
    writeFileSync(join(d, '.lock'), JSON.stringify({ pid: dead, host: 'h' }));
    expect((await acquireRunLock(d, { pid: 3, host: 'h' }, isAlive)).acquired).toBe(true);
    expect(JSON.parse(readFileSync(join(d, '.lock'), 'utf8'))).toEqual({ pid: 3, host: 'h' });
  });

  it('lets exactly one of several processes that find the same stale lock at once take it over', async () => {
    for (let round = 0; round < 30; round++) {
      const d = dir();
      writeFileSync(join(d, '.lock'), JSON.stringify({ pid: dead, host: 'h' }));
      const results = await Promise.all([10, 11, 12, 13].map((pid) => acquireRunLock(d, { pid, host: 'h' }, isAlive)));
      expect(results.filter((r) => r.acquired), `round ${round}`).toHaveLength(1);
    }
  });
});
