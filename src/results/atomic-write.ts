import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { makeDirectory } from '../shared/make-directory.js';
import { dirname, basename, join } from 'node:path';
import { asWriteFailure } from '../shared/errors.js';

// Temp names must not collide between processes writing one folder; a random part needs no pid.
const PROCESS_TAG = randomBytes(6).toString('hex');
let counter = 0;

/**
 * Write a file so readers see either the old or the complete new content: write a temp file in the
 * same directory (same file system), then rename over the target.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${PROCESS_TAG}.${counter++}.tmp`);
  await makeDirectory(dirname(path));
  try {
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => {});
    throw asWriteFailure(err, path);
  }
}
