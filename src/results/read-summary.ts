import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NnlabError } from '../shared/errors.js';
import { RESULTS_FORMAT_VERSION, requireFormatVersion } from './format.js';
import type { FactorValue } from '../shared/factor-value.js';
import type { VariableField } from '../spec/retarget-override.js';
import type { SampledFactor } from '../spec/validate.js';

/** summary.json's header: the experiment and how its variants were summarized (written by pipeline/summary-files.ts). */
export interface SummaryHeader {
  experiment: string;
  question?: string;
  /** Grid factors, then settings that differ between the runs on disk, named by their spec path. */
  factors: string[];
  seeds: number[];
  columns: string[];
  /** report.compare: the factors the verdicts compare along. */
  compare?: string[];
  /** The spec's grid levels in its order: variants are sorted by it, whichever invocation wrote them. */
  grid?: Record<string, FactorValue[]>;
  /** Spec fields whose whole value is ${factor}: doctor's --set lines are fitted to them. */
  variables?: VariableField[];
  /** report.quantities as the spec gave them (absent: the defaults), and report.margins. */
  quantities?: string[];
  margins?: Record<string, number>;
  /** Adaptive sweeps: the rounds verdicts are corrected for, and the most seeds a variant may get. */
  looks?: number;
  seeds_max?: number;
  /** Random sweeps: the sampled factors (log: drawn log-uniformly). */
  sampled?: SampledFactor[];
}

export interface SavedSummary extends SummaryHeader {
  format_version: number;
  variants: Array<{
    factors: Record<string, FactorValue>;
    run_ids: string[];
    thresholds: Array<{ column: string; threshold: number }>;
    at_epochs?: Array<{ epoch: number; column: string }>;
  }>;
}

/** summary.json of a results directory (or the file itself), checked enough to re-summarize from. */
export async function readSummary(pathOrDir: string): Promise<{ dir: string; summary: SavedSummary }> {
  const file = pathOrDir.endsWith('.json') ? pathOrDir : join(pathOrDir, 'summary.json');
  const dir = pathOrDir.endsWith('.json') ? join(pathOrDir, '..') : pathOrDir;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    // A spec given where its results are meant: name the folder it writes instead.
    if (/\.ya?ml$/i.test(pathOrDir))
      throw new NnlabError(
        'NNLAB_RESULTS_INVALID',
        `Reading results ${pathOrDir} failed: that is a spec, not a results folder; nnlab run writes its results to results/<its name>, which this command reads.`,
      );
    throw new NnlabError('NNLAB_RESULTS_INVALID', `Reading results ${file} failed: no such file; expected a directory written by nnlab run.`);
  }
  let summary: SavedSummary;
  try {
    summary = JSON.parse(text) as SavedSummary;
  } catch (err) {
    throw new NnlabError(
      'NNLAB_RESULTS_INVALID',
      `Reading results ${file} failed: not valid JSON (${(err as Error).message.split('\n')[0]!.replace(/, "[^"]*$/, '')}).`,
    );
  }
  requireFormatVersion(summary, file);
  if (
    !Array.isArray(summary.variants) ||
    !Array.isArray(summary.columns) ||
    !Array.isArray(summary.factors) ||
    summary.variants.some((v) => !Array.isArray(v?.run_ids) || (v.at_epochs !== undefined && !Array.isArray(v.at_epochs)))
  ) {
    throw new NnlabError('NNLAB_RESULTS_INVALID', `Reading results ${file} failed: it lacks variants, columns or factors.`);
  }
  const gridOk = summary.grid === undefined || (isObject(summary.grid) && Object.values(summary.grid).every(Array.isArray));
  const variablesOk =
    summary.variables === undefined ||
    (Array.isArray(summary.variables) && summary.variables.every((v) => isObject(v) && typeof v.name === 'string' && Array.isArray(v.path)));
  const sampledOk =
    summary.sampled === undefined ||
    (Array.isArray(summary.sampled) && summary.sampled.every((f) => isObject(f) && typeof f.name === 'string' && typeof f.log === 'boolean'));
  if (!gridOk || !variablesOk || !sampledOk || summary.variants.some((v) => !isObject(v.factors))) {
    throw new NnlabError('NNLAB_RESULTS_INVALID', `Reading results ${file} failed: its grid, variables or variant factors are not of the form nnlab writes.`);
  }
  // Summaries written before report.compare took a list name one factor.
  const compare = summary.compare as unknown;
  if (typeof compare === 'string') summary.compare = [compare];
  else if (compare !== undefined && !(Array.isArray(compare) && compare.every((f) => typeof f === 'string'))) {
    throw new NnlabError('NNLAB_RESULTS_INVALID', `Reading results ${file} failed: its compare is not a factor name or a list of them.`);
  }
  return { dir, summary };
}

/**
 * Refuse to write a sweep into a results directory whose summary.json belongs to another experiment
 * or another results format: the summary would be replaced and the two sweeps' runs mixed.
 * A directory without a readable summary.json is taken as this experiment's (a killed first sweep).
 * Example: `await checkResultsOwner('results/bn-vs-nobn', 'bn-vs-nobn')` → resolves.
 */
export async function checkResultsOwner(dir: string, experiment: string): Promise<void> {
  const file = join(dir, 'summary.json');
  let saved: { format_version?: unknown; experiment?: unknown };
  try {
    saved = JSON.parse(await readFile(file, 'utf8')) as typeof saved;
  } catch {
    return;
  }
  if (typeof saved?.format_version === 'number' && saved.format_version !== RESULTS_FORMAT_VERSION) {
    throw new NnlabError(
      'NNLAB_RESULTS_CONFLICT',
      `Writing results to ${dir} failed: its summary.json has format_version ${saved.format_version}, not ${RESULTS_FORMAT_VERSION}; nothing was changed. Pass another --out or move the old results away.`,
    );
  }
  if (typeof saved?.experiment === 'string' && saved.experiment !== experiment) {
    throw new NnlabError(
      'NNLAB_RESULTS_CONFLICT',
      `Writing results to ${dir} failed: it holds the results of experiment "${saved.experiment}", not "${experiment}"; nothing was changed. Pass another --out or move the old results away.`,
    );
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
