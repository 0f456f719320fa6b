import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { irisSweep, readTree, ROOT, runCli, tempDir } from '../cli/run-cli.js';

const example = (name: string) => readFileSync(join(ROOT, 'examples', 'cluster', name), 'utf8');

/** The Job's container arguments with this test's spec and results folder in place of the example's. */
function jobArgs(spec: string, out: string): { args: string[]; completions: number } {
  const job = parse(example('kubernetes-indexed-job.yaml')) as { spec: { completions: number; template: { spec: { containers: Array<{ args: string[] }> } } } };
  const args = job.spec.template.spec.containers[0]!.args.map((a) => (a.endsWith('.yaml') ? spec : a.startsWith('/results/') ? out : a));
  return { args, completions: job.spec.completions };
}

const SPEC = irisSweep('indexed', { seeds: '[1, 2, 3]', grid: '{rate: [0.0, 0.05]}' });

describe('a Kubernetes Indexed Job (examples/cluster), each pod as its JOB_COMPLETION_INDEX makes it', () => {
  it('the pods and the report job give the summary one machine writes', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'indexed.yaml'), SPEC);
    const { args, completions } = jobArgs('indexed.yaml', 'results/indexed');
    expect(args).toContain(`auto/${completions}`);
    for (let index = 0; index < completions; index++) {
      const pod = runCli(args, cwd, { JOB_COMPLETION_INDEX: String(index) });
      expect(pod.code, pod.stderr).toBe(0);
    }
    const report = parse(example('kubernetes-report-job.yaml')).spec.template.spec.containers[0].args as string[];
    expect(report[0]).toBe('report');
    expect(runCli(['report', 'results/indexed'], cwd).code).toBe(0);

    const single = tempDir();
    writeFileSync(join(single, 'indexed.yaml'), SPEC);
    expect(runCli(['run', 'indexed.yaml', '--quiet'], single).code).toBe(0);
    const summaries = (dir: string) => readTree(join(dir, 'results', 'indexed'), (p) => p.startsWith('summary.'));
    expect(summaries(cwd)).toEqual(summaries(single));
  });

  it('docs/sweeps.md shows the recipes as they are in examples/cluster', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'sweeps.md'), 'utf8');
    for (const name of ['slurm-sweep.sh', 'kubernetes-indexed-job.yaml']) expect(docs).toContain(example(name).trim());
  });
});
