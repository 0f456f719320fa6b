import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// The pool forks dist/exec/worker-main.js, so it is tested as built (npm test builds first).
import { trainInWorkers } from '../../dist/exec/worker-pool.js';
import { validateSpecText } from '../../dist/spec/validate.js';
import { expandSweep } from '../../dist/sweep/expand.js';

const spec = `name: pool
data: {dataset: xor, samples: 64}
model:
  input_shape: [2]
  layers:
    - dense: {units: 4, activation: tanh}
    - dense: {units: 1, activation: sigmoid}
train: {optimizer: {adam: {learning_rate: 0.01}}, loss: binary_crossentropy, batch_size: 16, epochs: 2}
sweep: {seeds: [1, 2, 3, 4]}
`;
const planned = () => expandSweep(validateSpecText(spec, 'pool.yaml').value).runs;
const setup = { backend: 'wasm' as const, native: true, engine: true, nodeVersion: process.version };
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The worker processes this test process forked, from /proc. */
function forkedWorkers(): number[] {
  const pids: number[] = [];
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    const text = readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').trim();
    if (text) pids.push(...text.split(/\s+/).map(Number));
  }
  return pids;
}

describe('training workers', () => {
  it('stop() while a result is being saved ends the pool quietly, not with a closed-channel error', async () => {
    let handle: ReturnType<typeof trainInWorkers> | undefined;
    const results: string[] = [];
    handle = trainInWorkers(planned(), {
      workers: 1,
      setup,
      now: () => new Date(0),
      async onResult(run) {
        results.push(run.id);
        handle!.stop();
        // The killed worker's channel closes while the result is still being written.
        await delay(300);
      },
    });
    await expect(handle.done).resolves.toBeUndefined();
    expect(results).toHaveLength(1);
  });

  it('a worker that dies between two runs is replaced, and every run is still trained once', async () => {
    const runs = planned();
    const results: string[] = [];
    let killed = false;
    const handle = trainInWorkers(runs, {
      workers: 1,
      setup,
      now: () => new Date(0),
      async onResult(run, result) {
        expect(result.record.status).toBe('ok');
        results.push(run.id);
        if (!killed) {
          killed = true;
          for (const pid of forkedWorkers()) process.kill(pid, 'SIGKILL');
          await delay(300);
        }
      },
    });
    await handle.done;
    expect(results.sort()).toEqual(runs.map((r) => r.id).sort());
  });
});
