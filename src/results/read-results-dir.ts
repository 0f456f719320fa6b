import type { RunConfig, SavedRun } from '../run/run-chain.js';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runHash } from '../sweep/expand.js';
import { readSavedRun } from './read-run.js';

interface RunOnDisk extends SavedRun {
  id: string;
  config: RunConfig;
}

export interface RunsOnDisk {
  runs: RunOnDisk[];
  /** Folders without a finished run: being trained by some process, or interrupted (nnlab run finishes them). */
  unfinished: string[];
  /** Finished runs whose config no longer hashes to their folder name: trained by an nnlab whose training differed (nnlab run retrains them). */
  outdated: string[];
}

/**
 * Every run folder under `dir/runs`, in name order. Damaged files are refused in `strict` mode (the
 * message names the file) and counted as unfinished otherwise.
 * @example const { runs } = await readRunsOnDisk('results/bn-vs-nobn')
 */
export async function readRunsOnDisk(dir: string, strict = false): Promise<RunsOnDisk> {
  const names = (await readdir(join(dir, 'runs'), { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
  const out: RunsOnDisk = { runs: [], unfinished: [], outdated: [] };
  for (const id of names) {
    const saved = await readSavedRun(dir, id, strict);
    if (!saved?.config) out.unfinished.push(id);
    else if (!id.endsWith(`-${runHash(saved.config)}`)) out.outdated.push(id);
    else out.runs.push({ ...saved, id, config: saved.config });
  }
  return out;
}
