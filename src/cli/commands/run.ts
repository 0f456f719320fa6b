import { wrapText } from '../../shared/wrap-text.js';
import { join, relative, resolve } from 'node:path';
import { NnlabError } from '../../shared/errors.js';
import { checkWritableFolder } from '../../shared/make-directory.js';
import { parseShardChoice, type ShardChoice } from '../../exec/shard.js';
import type { BackendChoice } from '../../train/backend.js';
import { progressReporter } from '../progress.js';
import { printAnswer, printView, summaryJson } from '../print-view.js';
import { planOrExit } from '../plan-or-exit.js';
import { roundsOf } from '../../pipeline/view-context.js';
import { fitMessage, type Terminal } from '../terminal.js';

interface RunOptions {
  set: string[];
  out?: string;
  backend: BackendChoice;
  workers?: string;
  shard?: string;
  force?: boolean;
  maxMemory?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Train the sweep, write results, print the comparison. Exit 1 when a run failed. */
export async function runCommand(file: string, options: RunOptions, term: Terminal, signal?: AbortSignal): Promise<number> {
  const workers = parseWorkers(options.workers, term.cores);
  const shard = options.shard === undefined ? undefined : parseShardOrThrow(options.shard, term);
  const { spec, plan } = await planOrExit(file, options.set, term, options.maxMemory);
  const outDir = resolve(term.cwd, options.out ?? join('results', spec.name));
  const shownOut = relative(term.cwd, outDir) || '.';
  // Before anything trains: a results folder that cannot be written fails now, in one line.
  await checkWritableFolder(outDir);
  const human = options.json || options.quiet ? () => {} : term.stderr;
  const shardNote = shard ? `, shard ${shard.index}/${shard.count}${shard.from ? ` (${shard.from})` : ''}` : '';
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const adaptive = spec.adaptiveSeeds && !shard ? `, more up to ${spec.adaptiveSeeds.max} where undecided` : '';
  human(
    fitMessage(
      `${spec.name}: ${plural(plan.runs.length, 'run')} (${plural(spec.variants.length, 'variant')} × ${plural(plan.seeds.length, 'seed')}${adaptive}${shardNote}) → ${shownOut}`,
      term,
    ) + '\n',
  );

  const { runExperiment } = await import('../../pipeline/run-experiment.js');
  const primary = spec.variants[0]!.spec.train.metrics[0] ? `val_${spec.variants[0]!.spec.train.metrics[0]}` : 'val_loss';
  const maxRounds = spec.adaptiveSeeds ? roundsOf(spec.adaptiveSeeds) : 1;
  const progress = options.json || options.quiet ? undefined : progressReporter(term, primary, { maxRounds });
  signal?.addEventListener('abort', () => progress?.stop(), { once: true });
  let saidBackend = false;
  const result = await runExperiment(spec, plan, {
    outDir,
    workers,
    setup: { backend: options.backend, native: term.nativeKernels, engine: term.denseEngine, nodeVersion: term.nodeVersion, cacheDir: term.cacheDir },
    force: Boolean(options.force),
    shard,
    now: () => new Date(),
    self: term.self,
    isAlive: term.isAlive,
    ...(term.lockStaleMs ? { staleMs: term.lockStaleMs } : {}),
    signal,
    events: {
      ...(progress ?? {}),
      // Said once: adaptive rounds start the workers again, on the same backend.
      onReady: (b) => {
        if (!saidBackend) human(wrapText(`backend: ${b.kernels}; ${workers} worker${workers === 1 ? '' : 's'}`, term.columns, '  ') + '\n');
        saidBackend = true;
      },
    },
    rounds: {
      onRound: (round, runs, undecided) => {
        progress?.startRound(round);
        human(`round ${round}: ${plural(undecided, 'comparison')} still inconclusive; ${plural(runs, 'more run')}\n`);
      },
    },
  });
  const trained = result.runs.filter((r) => r.trained).length;
  const failed = result.runs.filter((r) => r.saved?.record.status === 'failed');
  if (options.json) {
    term.stdout(
      JSON.stringify(
        {
          experiment: spec.name,
          results: outDir,
          backend: result.backend?.name ?? null,
          // What was tried and why it was (not) used: the human line names the kernels only.
          backend_detail: result.backend?.detail ?? null,
          trained,
          runs: result.runs.map((r) => ({
            id: r.run.id,
            factors: r.run.config.factors,
            seed: r.run.config.seed,
            status: r.saved?.record.status ?? 'missing',
            trained: r.trained,
            message: r.saved?.record.message,
            final: r.saved?.history[r.saved.history.length - 1] ?? null,
          })),
          ...summaryJson(result.view),
        },
        null,
        2,
      ) + '\n',
    );
  } else if (!options.quiet) {
    term.stdout('\n');
    printView(result.view, term, { shownDir: shownOut });
    term.stderr(
      wrapText(
        `trained ${trained} run${trained === 1 ? '' : 's'}; results: ${shownOut}/summary.csv, summary.json, layer-summary.csv, report.html and runs/<id>/`,
        term.columns,
        '  ',
      ) + '\n',
    );
    // Runs of other settings already in the folder are pooled with these, their settings made factors: say so.
    const others = result.view.header.factors.filter((f) => !spec.factorNames.includes(f));
    if (others.length)
      term.stderr(
        wrapText(
          `note: ${shownOut} also holds runs with other settings than this spec's; they are summarized with ${others.join(', ')} as ${others.length === 1 ? 'a factor' : 'factors'} (--out DIR keeps sweeps apart)`,
          term.columns,
          '  ',
        ) + '\n',
      );
  }
  for (const f of failed) term.stderr(`run ${f.run.id} failed: ${f.saved!.record.message}\n`);
  if (!options.json && !options.quiet) printAnswer(result.view, term);
  return failed.length > 0 ? 1 : 0;
}

function parseWorkers(text: string | undefined, cores: number): number {
  if (text === undefined) return cores;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new NnlabError('NNLAB_USAGE', `Reading --workers failed: expected a positive integer, got "${text}".`);
  return n;
}

function parseShardOrThrow(text: string, term: Terminal): ShardChoice {
  const shard = parseShardChoice(text, term.scheduler ?? {});
  if ('error' in shard) throw new NnlabError('NNLAB_USAGE', `Reading --shard failed: ${shard.error}.`);
  return shard;
}
