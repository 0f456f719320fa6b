import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { NnlabError } from '../shared/errors.js';
import { parseNpy, parseNpz } from './numpy.js';

/** What a data file holds, as far as a spec needs to name it: a CSV's columns, a .npz's arrays and shapes, a .npy's shape. */
type PeekedDataFile = { kind: 'csv'; columns: string[] } | { kind: 'npz'; arrays: Record<string, number[]> } | { kind: 'npy'; shape: number[] };

/**
 * Read enough of a user's data file to write a spec for it: a CSV's header, each array of a .npz,
 * a .npy's shape. Problems are one line naming the file (exit 2).
 * @example peekDataFile('cities.csv') → {kind: 'csv', columns: ['lat', 'lon', 'distance']}
 */
export function peekDataFile(path: string, shown = path): PeekedDataFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NnlabError(
      'NNLAB_DATA_NOT_FOUND',
      `Reading ${shown} failed: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message}.`,
    );
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') {
    const header =
      bytes
        .subarray(0, Math.min(bytes.length, 1 << 16))
        .toString('utf8')
        .split(/\r?\n/)[0] ?? '';
    const columns = header
      .split(',')
      .map((c) => c.trim().replace(/^"(.*)"$/, '$1'))
      .filter(Boolean);
    if (columns.length < 2)
      throw new NnlabError(
        'NNLAB_DATA_INVALID',
        `Reading ${shown} failed: its first line (${header.slice(0, 60) || 'empty'}) is not a header of two or more columns.`,
      );
    return { kind: 'csv', columns };
  }
  if (ext === '.npz')
    return {
      kind: 'npz',
      arrays: Object.fromEntries(
        Object.entries(parseNpz(bytes, shown, 'path')).map(([name, entry]) => [name, parseNpy(entry, `${shown}:${name}.npy`, 'path').shape]),
      ),
    };
  if (ext === '.npy') return { kind: 'npy', shape: parseNpy(bytes, shown, 'x').shape };
  throw new NnlabError(
    'NNLAB_USAGE',
    `Reading ${shown} failed: nnlab reads data from .csv, .npz and .npy files (or a built-in dataset: nnlab datasets), not ${ext || 'files without an extension'}.`,
  );
}
