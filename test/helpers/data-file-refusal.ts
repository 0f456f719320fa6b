import { expect } from 'vitest';
import { DataFileError } from '../../src/data/data-file-error.js';

/** Run `read`, expecting it to refuse the file: the spec field blamed and the message. */
export function dataFileRefusal(read: () => unknown): { field: string; message: string } {
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(DataFileError);
    return { field: (err as DataFileError).field, message: (err as Error).message };
  }
  throw new Error('expected the file to be refused');
}
