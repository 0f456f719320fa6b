import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { NnlabError } from '../shared/errors.js';
import { readSummary, type SavedSummary } from './read-summary.js';

/** Result sets are looked for this many folders below the one given (results/<name>, or a nested --out). */
const MAX_DEPTH = 3;

/**
 * Every folder at or below `root` (down to MAX_DEPTH) that holds a summary.json, read; the ones that
 * cannot be read are named in `skipped` with why, and the rest are still listed. Sorted by path.
 */
export async function findResultSets(root: string): Promise<{ sets: Array<{ dir: string; summary: SavedSummary }>; skipped: string[] }> {
  try {
    if (!(await stat(root)).isDirectory()) throw new Error();
  } catch {
    throw new NnlabError('NNLAB_RESULTS_INVALID', `Listing ${root} failed: no such directory; nnlab run writes results to results/<spec name>.`);
  }
  const sets: Array<{ dir: string; summary: SavedSummary }> = [];
  const skipped: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    if (entries.some((e) => e.isFile() && e.name === 'summary.json')) {
      try {
        sets.push(await readSummary(dir));
      } catch (err) {
        skipped.push(`${relative(root, dir) || '.'}: ${(err as Error).message}`);
      }
      return;
    }
    if (depth === MAX_DEPTH) return;
    for (const e of entries.filter((e) => e.isDirectory() && e.name !== 'runs' && !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1)))
      await visit(join(dir, e.name), depth + 1);
  };
  await visit(root, 0);
  return { sets, skipped };
}
