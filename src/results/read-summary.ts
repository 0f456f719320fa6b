import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NnlabError } from '../shared/errors.js';
import { RESULTS_FORMAT_VERSION } from './format.js';
import type { SummaryHeader } from './summary-files.js';
import type { FactorValue } from '../shared/factor-value.js';

export interface SavedSummary extends SummaryHeader {
  format_version: number;
  variants: Array<{ factors: Record<string, FactorValue>; run_ids: string[]; thresholds: Array<{ column: string; threshold: number }> }>;
}

/** summary.json of a results directory (or the file itself), checked enough to re-summarize from. */
export async function readSummary(pathOrDir: string): Promise<{ dir: string; summary: SavedSummary }> {
  const file = pathOrDir.endsWith('.json') ? pathOrDir : join(pathOrDir, 'summary.json');
  const dir = pathOrDir.endsWith('.json') ? join(pathOrDir, '..') : pathOrDir;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new NnlabError('NNLAB_RESULTS_INVALID', `Reading results ${file} failed: no such file; expected a directory written by nnlab run.`);
  }
  let summary: SavedSummary;
  try {
    summary = JSON.parse(text) as SavedSummary;
  } catch (err) {
    throw new NnlabError('NNLAB_RESULTS_INVALID', `Reading results ${file} failed: not valid JSON (${(err as Error).message.split('\n')[0]!.replace(/, "[^"]*$/, '')}).`);
  }
  if (summary?.format_version !== RESULTS_FORMAT_VERSION) {
    throw new NnlabError('NNLAB_RESULTS_INVALID', `Reading results ${file} failed: format_version ${JSON.stringify(summary?.format_version)} is not ${RESULTS_FORMAT_VERSION}, the one this nnlab reads.`);
  }
  if (!Array.isArray(summary.variants) || !Array.isArray(summary.columns) || !Array.isArray(summary.factors) || summary.variants.some((v) => !Array.isArray(v?.run_ids))) {
    throw new NnlabError('NNLAB_RESULTS_INVALID', `Reading results ${file} failed: it lacks variants, columns or factors.`);
  }
  return { dir, summary };
}
