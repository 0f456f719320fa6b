import { resolve } from 'node:path';
import { diffResults } from '../../analysis/diff-results.js';
import { loadResults } from '../../pipeline/load-results.js';
import { renderDiffMarkdown, renderDiffTable } from '../../report/diff-report.js';
import { NnlabError } from '../../shared/errors.js';
import type { Terminal } from '../terminal.js';

interface DiffOptions {
  atol?: string;
  tolerance?: string;
  rtol?: string;
  sigma?: string;
  metric: string[];
  format: 'table' | 'md' | 'json';
  allowMissing?: boolean;
}

/** CI gate: exit 0 when B matches A within tolerance, 1 when something differs or is missing, 2 on bad input. */
export async function diffCommand(a: string, b: string, options: DiffOptions, term: Terminal): Promise<number> {
  const tol = {
    atol: parseNonNegative('--atol', options.atol ?? options.tolerance ?? '0'),
    rtol: parseNonNegative('--rtol', options.rtol ?? '0'),
    sigma: options.sigma === undefined ? undefined : parseNonNegative('--sigma', options.sigma),
  };
  const [left, right] = await Promise.all([loadResults(resolve(term.cwd, a)), loadResults(resolve(term.cwd, b))]);
  const metrics = options.metric.length ? options.metric : [...new Set([...left.view.header.columns, ...right.view.header.columns])];
  const diff = diffResults(left.view.summaries, right.view.summaries, metrics, tol);
  const differs = diff.rows.some((r) => !r.within);
  const missing = diff.missing.length > 0 && !options.allowMissing;
  if (options.format === 'json') {
    term.stdout(JSON.stringify({ same: !differs && !missing, tolerance: tol, differences: diff.rows.filter((r) => !r.within), missing: diff.missing, compared: diff.compared }, null, 2) + '\n');
  } else if (options.format === 'md') {
    term.stdout(renderDiffMarkdown(diff));
  } else {
    term.stdout(renderDiffTable(diff, term.color, term.stdoutWidth));
  }
  return differs || missing ? 1 : 0;
}

function parseNonNegative(flag: string, text: string): number {
  const x = Number(text);
  if (!Number.isFinite(x) || x < 0) throw new NnlabError('NNLAB_USAGE', `Reading ${flag} failed: expected a number ≥ 0, got "${text}".`);
  return x;
}
