import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// The built pipeline (npm test builds first): its training workers are processes started from dist/.
import { planExperiment } from '../../dist/pipeline/plan-experiment.js';
import { runExperiment } from '../../dist/pipeline/run-experiment.js';
import { writeOutputs } from '../../dist/pipeline/output-stage.js';
import { contextFromSummary } from '../../dist/pipeline/view-context.js';
import { summarizeResults } from '../../dist/pipeline/results-view.js';
import { readRunsOnDisk } from '../../dist/results/read-results-dir.js';
import { readSummary } from '../../dist/results/read-summary.js';
import { formatIssue } from '../../dist/shared/errors.js';
import type { SpecIssue } from '../../src/shared/errors.js';

/**
 * The pipeline in-process, one fixture folder per scenario (test/fixtures/pipeline/<case>/): its
 * spec.yaml, optional invocations.json (the --set lists of successive invocations into one results
 * folder) and expected/ files. Training runs on the portable pure wasm path, whose bytes are the same
 * on every machine. NNLAB_UPDATE_FIXTURES=1 rewrites the expected files.
 */
const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'pipeline');
const update = process.env.NNLAB_UPDATE_FIXTURES === '1';
const self = { pid: process.pid, host: hostname() };
const options = (outDir: string) => ({
  outDir,
  workers: 2,
  force: false,
  now: () => new Date(0),
  self,
  isAlive: () => true,
  setup: { backend: 'wasm' as const, native: false, nodeVersion: process.versions.node },
});

function expectFile(scenario: string, name: string, actual: string): void {
  const file = join(FIXTURES, scenario, 'expected', name);
  if (update) {
    mkdirSync(join(FIXTURES, scenario, 'expected'), { recursive: true });
    writeFileSync(file, actual);
  }
  // A missing expected file fails: writing it here would make a fresh clone pass on whatever it computed.
  expect(existsSync(file), `${scenario}/expected/${name} is missing (NNLAB_UPDATE_FIXTURES=1 writes it)`).toBe(true);
  expect(actual, `${scenario}/expected/${name}`).toBe(readFileSync(file, 'utf8'));
}

async function runScenario(scenario: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), `nnlab-${scenario}-`)), 'results');
  const spec = join(FIXTURES, scenario, 'spec.yaml');
  const invocationsFile = join(FIXTURES, scenario, 'invocations.json');
  const invocations = existsSync(invocationsFile) ? (JSON.parse(readFileSync(invocationsFile, 'utf8')) as string[][]) : [[]];
  for (const sets of invocations) {
    const { issues, planned } = await planExperiment(spec, sets);
    expect(issues.filter((i: SpecIssue) => i.severity === 'error')).toEqual([]);
    await runExperiment(planned!.spec, planned!.plan, options(out));
  }
  return out;
}

describe('pipeline scenarios', () => {
  it.each(['one-sweep', 'shell-loop'])('%s: plan, train and summarize to the expected summary', async (scenario) => {
    const out = await runScenario(scenario);
    expectFile(scenario, 'summary.csv', readFileSync(join(out, 'summary.csv'), 'utf8'));
    expectFile(scenario, 'runs.txt', readdirSync(join(out, 'runs')).sort().join('\n') + '\n');
  });

  it('from-disk: re-summarizing the folder (nnlab report) writes the same bytes as the run did', async () => {
    const out = await runScenario('from-disk');
    const before = ['summary.json', 'summary.csv', 'report.html'].map((f) => readFileSync(join(out, f), 'utf8'));
    const { summary } = await readSummary(out);
    await writeOutputs(out, contextFromSummary(summary), { self, isAlive: () => true, now: () => new Date(0) }, { strict: true });
    expect(['summary.json', 'summary.csv', 'report.html'].map((f) => readFileSync(join(out, f), 'utf8'))).toEqual(before);
    expectFile('from-disk', 'summary.csv', before[1]!);
    // The summary is a function of the runs read, whatever order they come in.
    const disk = await readRunsOnDisk(out, true);
    const ctx = contextFromSummary(summary);
    expect(summarizeResults({ ...disk, runs: [...disk.runs].reverse() }, ctx)).toEqual(summarizeResults(disk, ctx));
  });

  it('mistakes: every issue of a bad spec, located, and no plan', async () => {
    const spec = join(FIXTURES, 'mistakes', 'spec.yaml');
    const { issues, planned } = await planExperiment(spec, []);
    expect(planned).toBeUndefined();
    expectFile('mistakes', 'issues.txt', issues.map((i: SpecIssue) => formatIssue({ ...i, file: 'spec.yaml' })).join('\n') + '\n');
  });
});
