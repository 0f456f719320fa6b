import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { asWriteFailure, NnlabError } from './errors.js';

/**
 * Create a folder and its missing parents, one level at a time, so that a place where no folder can
 * be made fails at once with one clear line: a file in the way (exit 2), a read-only or full file
 * system or no permission (exit 1, see asWriteFailure), or a file system that refuses new folders
 * such as /proc (exit 2), where Node's recursive mkdir loops forever.
 * @example await makeDirectory('results/bn-vs-nobn/runs/x')
 */
export async function makeDirectory(path: string): Promise<void> {
  const target = resolve(path);
  const missing: string[] = [];
  for (let at = target; ; at = dirname(at)) {
    const found = await kindOf(at);
    if (found === 'folder') break;
    if (found === 'file') throw notAFolder(at, target);
    if (found === 'blocked') throw notAFolder(await firstFile(at), target);
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await kindOf(dir)) === 'folder') continue;
      if (code === 'EEXIST' || code === 'ENOTDIR') throw notAFolder(dir, target);
      if (code === 'ENOENT')
        throw new NnlabError(
          'NNLAB_USAGE',
          `Creating the folder ${target} failed: the file system at ${dirname(dir)} does not allow new folders (${code}); choose another place.`,
        );
      throw asWriteFailure(err, dir);
    }
  }
}

type Kind = 'folder' | 'file' | 'missing' | 'blocked';

/** What is at a path: a folder, something else, nothing, or nothing reachable (a file earlier on the path). */
async function kindOf(path: string): Promise<Kind> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') return 'blocked';
    throw asWriteFailure(err, path);
  }
}

/** The first path component of `path` that is a file (the one that blocks it). */
async function firstFile(path: string): Promise<string> {
  let at = path;
  while (dirname(at) !== at && (await kindOf(dirname(at))) !== 'folder') at = dirname(at);
  return (await kindOf(at)) === 'file' ? at : dirname(at);
}

function notAFolder(file: string, target: string): NnlabError {
  return new NnlabError('NNLAB_USAGE', `Creating the folder ${target} failed: ${file} is a file, not a folder; choose another place.`);
}

/**
 * Make sure results can be written into `dir` before anything is trained: create it (see
 * makeDirectory), then write and remove a small file there. A read-only mount, a full disk or
 * missing permissions fail here, in one line, not after the first run has trained.
 */
export async function checkWritableFolder(dir: string): Promise<void> {
  await makeDirectory(dir);
  const probe = join(resolve(dir), `.nnlab-write-check.${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(probe, '');
  } catch (err) {
    throw asWriteFailure(err, dir);
  } finally {
    await rm(probe, { force: true }).catch(() => {});
  }
}
