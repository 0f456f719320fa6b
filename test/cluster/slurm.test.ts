import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, irisSweep, readTree, ROOT, runCli, tempDir } from '../cli/run-cli.js';

/**
 * The Slurm recipe of docs/sweeps.md (examples/cluster/slurm-sweep.sh) on a real one-node cluster
 * (test/cluster/slurm-cluster.sh: munged, slurmctld, slurmd on localhost): the sweep as job arrays
 * with --shard auto, then the report job, against the same sweep on one machine.
 */
const CLUSTER = join(ROOT, 'test', 'cluster', 'slurm-cluster.sh');
const RECIPE = join(ROOT, 'examples', 'cluster', 'slurm-sweep.sh');
const onPath = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
const available = ['munged', 'slurmctld', 'slurmd', 'sbatch'].every(onPath) && process.getuid?.() === 0;
if (process.env.NNLAB_EXPECT_SLURM === '1' && !available) throw new Error('a Slurm cluster is required here: apt-get install slurm-wlm munge, as root');

/** 4 variants × 2 seeds, more seeds where undecided (up to 3 rounds): every round is an array. */
const spec = (epochs: number) =>
  irisSweep('cluster', { seeds: '{min: 2, max: 4, step: 1, until: decided}', grid: '{rate: [0.0, 0.05], units: [8, 16]}', units: '"${units}"', epochs });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const summaries = (dir: string) => readTree(dir, (p) => p.startsWith('summary.') || p === 'layer-summary.csv');

describe.runIf(available)('a sweep on a real Slurm cluster (the recipe in docs/sweeps.md)', () => {
  const state = tempDir('nnlab-slurm-');
  let env: NodeJS.ProcessEnv = process.env;
  const slurm = (command: string, args: string[]) => execFileSync(command, args, { env, encoding: 'utf8' }).trim();

  beforeAll(async () => {
    // Ports of its own, so a cluster already on this machine (Slurm's default ports) does not collide.
    const [controller, node] = [await freePort(), await freePort()];
    const out = execFileSync('bash', [CLUSTER, 'start', state], {
      encoding: 'utf8',
      env: { ...process.env, NNLAB_SLURMCTLD_PORT: String(controller), NNLAB_SLURMD_PORT: String(node) },
    });
    env = { ...process.env, SLURM_CONF: /SLURM_CONF=(.*)/.exec(out)![1]!, NNLAB: `${process.execPath} ${BIN}`, NO_COLOR: '1' };
  }, 60_000);
  afterAll(() => {
    spawnSync('bash', [CLUSTER, 'stop', state], { stdio: 'ignore' });
  });

  /** Submits the recipe in `cwd`; returns the job ids it printed (the arrays', then the report's). */
  const submit = (cwd: string, tasks: number) =>
    execFileSync('bash', [RECIPE, 'cluster.yaml', String(tasks), 'results/cluster'], { cwd, env, encoding: 'utf8' })
      .trim()
      .split('\n');
  const waitForQueue = async (seconds: number) => {
    for (let waited = 0; waited < seconds * 5; waited++) {
      if (slurm('squeue', ['--noheader', '--format=%i %T %r']) === '') return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`jobs still queued after ${seconds} s:\n${slurm('squeue', ['--format=%i %T %r'])}`);
  };
  const oneMachine = (epochs: number) => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'cluster.yaml'), spec(epochs));
    const r = runCli(['run', 'cluster.yaml', '--quiet'], cwd);
    expect(r.code, r.stderr).toBe(0);
    return summaries(join(cwd, 'results', 'cluster'));
  };

  it('4-task arrays, one a round, then the report: the summary one machine writes, byte for byte', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'cluster.yaml'), spec(3));
    const jobs = submit(cwd, 4);
    expect(jobs).toHaveLength(4); // 3 rounds at most, and the report
    await waitForQueue(240);
    const logs = readdirSync(join(cwd, 'results')).filter((f) => f.endsWith('.log'));
    expect(logs.filter((f) => f.includes('report'))).toHaveLength(1);
    const report = readFileSync(
      join(
        cwd,
        'results',
        logs.find((f) => f.includes('report'))!,
      ),
      'utf8',
    );
    expect(report).toMatch(/Answer/);
    // Every task said which shard the scheduler made it.
    const taskLogs = logs
      .filter((f) => !f.includes('report'))
      .map((f) => readFileSync(join(cwd, 'results', f), 'utf8'))
      .join('\n');
    expect(taskLogs).not.toMatch(/error|Error/);
    expect(summaries(join(cwd, 'results', 'cluster'))).toEqual(oneMachine(3));
  }, 300_000);

  it('a task cancelled mid-run and requeued leaves no trace: the same summary', async () => {
    const cwd = tempDir();
    const epochs = 150;
    writeFileSync(join(cwd, 'cluster.yaml'), spec(epochs));
    const [firstArray, secondArray] = submit(cwd, 4);
    const task = `${firstArray}_2`;
    // Wait until task 2 is training (a run folder exists without its run.json), then cancel it.
    const runs = join(cwd, 'results', 'cluster', 'runs');
    let cancelled = false;
    for (let waited = 0; waited < 600 && !cancelled; waited++) {
      const running = slurm('squeue', ['--noheader', '--states=RUNNING', '--format=%i']).split('\n');
      const unfinished = existsSync(runs) && readdirSync(runs).some((id) => !existsSync(join(runs, id, 'run.json')));
      if (running.includes(task) && unfinished) {
        slurm('scancel', [task]);
        cancelled = true;
      } else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(cancelled).toBe(true);
    for (let waited = 0; waited < 100 && slurm('squeue', ['--noheader', '--format=%i']).split('\n').includes(task); waited++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    // What docs/sweeps.md tells a user to do: requeue the task (at once) and re-arm the next round.
    slurm('scontrol', ['requeue', task]);
    slurm('scontrol', ['update', `JobId=${task}`, 'StartTime=now']);
    // The array as a whole stays failed once a task was cancelled: the next round waits for each task.
    const tasks = [1, 2, 3, 4].map((i) => `${firstArray}_${i}`).join(':');
    slurm('scontrol', ['update', `JobId=${secondArray}`, `Dependency=afterok:${tasks}`]);
    await waitForQueue(280);
    expect(summaries(join(cwd, 'results', 'cluster'))).toEqual(oneMachine(epochs));
  }, 600_000);
});
