import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeDataFile } from '../data/data-files.js';
import { NnlabError } from '../shared/errors.js';
import type { ValidationResult } from '../spec/validate.js';
import { validateSpec } from './check-spec.js';

/** Specs larger than this are not experiment descriptions; refusing them bounds parse time and memory. */
const MAX_SPEC_BYTES = 1024 * 1024;

export interface SpecReading {
  /** Refuse trainings estimated to need more memory per worker. */
  maxBytes?: number;
  /** Where converted user data files are kept (none: parse them). */
  cacheDir?: string;
  /** The spec's path as the user typed it, for messages. */
  shown?: string;
}

/**
 * Read a spec file, validate it with overrides and run the pre-flight checks, user data files
 * (relative to the spec's folder) included, through the converted-dataset cache in `cacheDir`.
 * Throws NnlabError only when the file cannot be read; messages name it `shown`, as the user typed it.
 */
export async function readSpec(file: string, overrides: string[] = [], options: SpecReading = {}): Promise<ValidationResult> {
  const { maxBytes, cacheDir, shown = file } = options;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new NnlabError('NNLAB_SPEC_NOT_FOUND', `Reading spec ${shown} failed: ${why}.`);
  }
  if (bytes.length > MAX_SPEC_BYTES) {
    throw new NnlabError('NNLAB_SPEC_INVALID', `Reading spec ${shown} failed: it is ${bytes.length} bytes; specs are limited to ${MAX_SPEC_BYTES}.`);
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return validateSpec(text, file, overrides, {
    ...(maxBytes !== undefined ? { maxBytes } : {}),
    describeData: (data) => describeDataFile(data, dirname(file), cacheDir),
  });
}
