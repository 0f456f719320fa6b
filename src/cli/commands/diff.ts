import { resolve } from 'node:path';
import { diffResults, type ResultsDiff } from '../../analysis/diff-results.js';
import { settingsThatDiffer } from '../../analysis/group-variants.js';
import { loadResults } from '../../pipeline/load-results.js';
import { renderDiffMarkdown, renderDiffTable } from '../../report/diff-report.js';
import { NnlabError } from '../../shared/errors.js';
import { parseQuantity, type Quantity } from '../../shared/quantity.js';
import type { Terminal } from '../terminal.js';

interface DiffOptions {
  atol?: string;
  tolerance?: string;
  rtol?: string;
  sigma?: string;
  metric?: string[];
  format: 'table' | 'md' | 'json';
  allowMissing?: boolean;
  crossMachine?: boolean;
  allowOtherExperiment?: boolean;
}

/**
 * CI gate: exit 0 when B matches A, 1 when something differs or is missing, 2 on bad input. Exact
 * or within a tolerance by default; --cross-machine judges values as samples over seeds.
 */
export async function diffCommand(a: string, b: string, options: DiffOptions, term: Terminal): Promise<number> {
  const tol = {
    atol: parseNonNegative('--atol', options.atol ?? options.tolerance ?? '0'),
    rtol: parseNonNegative('--rtol', options.rtol ?? '0'),
    sigma: options.sigma === undefined ? undefined : parseNonNegative('--sigma', options.sigma),
  };
  if (options.crossMachine && tol.sigma !== undefined)
    throw new NnlabError('NNLAB_USAGE', 'Reading --sigma failed: --cross-machine judges by the spread of both sides; leave out --sigma.');
  const [left, right] = await Promise.all([loadResults(resolve(term.cwd, a)), loadResults(resolve(term.cwd, b))]);
  // Two experiments share no variants: every value would be "missing", which says nothing useful.
  if (left.saved.experiment !== right.saved.experiment && !options.allowOtherExperiment) {
    throw new NnlabError(
      'NNLAB_USAGE',
      `Comparing ${a} with ${b} failed: they are results of different experiments (${left.saved.experiment} and ${right.saved.experiment}), and nnlab diff compares two result sets of one experiment (a baseline and a rerun). Pass --allow-other-experiment to compare them anyway.`,
    );
  }
  const metrics = options.metric?.length ? options.metric : [...new Set([...left.view.header.columns, ...right.view.header.columns])];
  const judged: ResultsDiff = options.crossMachine
    ? await acrossMachines(left, right, a, b, metrics, tol)
    : diffResults(left.view.summaries, right.view.summaries, metrics, tol);
  const diff = { ...judged, settings: settingsThatDiffer(left.view.configs, right.view.configs) };
  const differs = diff.rows.some((r) => !r.within);
  const missing = diff.missing.length > 0 && !options.allowMissing;
  if (options.format === 'json') {
    term.stdout(
      JSON.stringify(
        {
          same: !differs && !missing,
          mode: diff.mode,
          judged: diff.judged,
          tolerance: tol,
          differences: diff.rows.filter((r) => !r.within),
          settings: diff.settings,
          missing: diff.missing,
          notes: diff.notes,
          compared: diff.compared,
        },
        null,
        2,
      ) + '\n',
    );
  } else if (options.format === 'md') {
    term.stdout(renderDiffMarkdown(diff));
  } else {
    term.stdout(renderDiffTable(diff, term.color, term.stdoutWidth));
  }
  return differs || missing ? 1 : 0;
}

type Loaded = Awaited<ReturnType<typeof loadResults>>;

/** Loaded only for --cross-machine: its two-sample tests are the slowest modules to load. */
async function acrossMachines(left: Loaded, right: Loaded, a: string, b: string, metrics: string[], tol: { atol: number; rtol: number }): Promise<ResultsDiff> {
  const { diffAcrossMachines } = await import('../../analysis/cross-machine-diff.js');
  for (const [side, name] of [
    [left, a],
    [right, b],
  ] as const) {
    if (!side.view.runs.some((r) => r.status !== 'missing'))
      throw new NnlabError(
        'NNLAB_USAGE',
        `Reading ${name} failed: --cross-machine needs each seed's history, and ${side.dir} has no runs/ folder beside its summary.json.`,
      );
  }
  const extra = left.saved.quantities?.map(parseQuantity).filter((q): q is Quantity => !('error' in q)) ?? [];
  return diffAcrossMachines(left.view, right.view, metrics, { extra, atol: tol.atol, rtol: tol.rtol });
}

function parseNonNegative(flag: string, text: string): number {
  const x = Number(text);
  if (!Number.isFinite(x) || x < 0) throw new NnlabError('NNLAB_USAGE', `Reading ${flag} failed: expected a number ≥ 0, got "${text}".`);
  return x;
}
