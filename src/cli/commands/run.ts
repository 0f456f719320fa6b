import { isAbsolute, join, relative, resolve } from 'node:path';
import { NnlabError } from '../../shared/errors.js';
import { expandSweep } from '../../sweep/expand.js';
import { progressReporter } from '../progress.js';
import { loadSpecOrExit } from '../spec-issues.js';
import type { Terminal } from '../terminal.js';

export interface RunOptions {
  set: string[];
  out?: string;
  backend: string;
  json?: boolean;
  quiet?: boolean;
}

/** Train the sweep, write results, print the comparison. Exit 1 when a run failed. */
export async function runCommand(file: string, options: RunOptions, term: Terminal): Promise<number> {
  const spec = await loadSpecOrExit(file, options.set, term);
  const plan = expandSweep(spec);
  const outDir = resolve(term.cwd, options.out ?? join('results', spec.name));
  const shownOut = relative(term.cwd, outDir) || '.';
  const human = options.json || options.quiet ? () => {} : term.stderr;
  // tfjs loads in a few hundred ms; only commands that train pay for it.
  const { selectBackend, BACKEND_CHOICES } = await import('../../train/backend.js');
  if (!BACKEND_CHOICES.includes(options.backend as never)) {
    throw new NnlabError('NNLAB_USAGE', `Choosing a backend failed: "${options.backend}" is not one of ${BACKEND_CHOICES.join(', ')}.`);
  }
  const backend = await selectBackend(options.backend as never);
  human(`${spec.name}: ${plan.runs.length} runs (${spec.variants.length} variants × ${plan.seeds.length} seeds) → ${isAbsolute(shownOut) ? outDir : shownOut}\n`);
  human(`backend: ${backend.name} — ${backend.detail}\n`);
  const { runExperiment } = await import('../../pipeline/run-experiment.js');
  const primary = spec.variants[0]!.spec.train.metrics[0] ? `val_${spec.variants[0]!.spec.train.metrics[0]}` : 'val_loss';
  const result = await runExperiment(spec, plan, {
    outDir,
    backend,
    nodeVersion: process.versions.node,
    now: () => new Date(),
    events: options.json || options.quiet ? {} : progressReporter(term, primary),
  });
  const failed = result.runs.filter((r) => r.record.status === 'failed');
  if (options.json) {
    term.stdout(JSON.stringify({
      experiment: spec.name,
      results: outDir,
      backend: backend.name,
      runs: result.runs.map((r) => ({ id: r.run.id, factors: r.run.config.factors, seed: r.run.config.seed, status: r.record.status, message: r.record.message, final: r.history[r.history.length - 1] ?? null })),
      summary: result.summaries.map(({ curves: _c, ...s }) => s),
    }, null, 2) + '\n');
  } else if (!options.quiet) {
    const { renderTerminalReport } = await import('../../report/terminal-report.js');
    term.stdout('\n' + renderTerminalReport(result.summaries, { title: spec.name, question: spec.question, factorNames: spec.factorNames, columns: result.columns, color: term.color, width: term.columns }));
    term.stderr(`results: ${shownOut}/summary.csv, summary.json and runs/<id>/\n`);
  }
  for (const f of failed) term.stderr(`run ${f.run.id} failed: ${f.record.message}\n`);
  return failed.length > 0 ? 1 : 0;
}
