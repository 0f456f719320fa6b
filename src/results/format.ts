import { NnlabError } from '../shared/errors.js';
import { roundForOutput } from '../shared/numbers.js';

/** Version of the results layout; readers refuse files with another. */
export const RESULTS_FORMAT_VERSION = 1;

/** Refuse a results file (parsed JSON) of another layout version, naming the file and the version it has. */
export function requireFormatVersion(doc: unknown, file: string): void {
  const version = (doc as { format_version?: unknown } | null)?.format_version;
  if (version !== RESULTS_FORMAT_VERSION) {
    throw new NnlabError(
      'NNLAB_RESULTS_INVALID',
      `Reading results ${file} failed: format_version ${JSON.stringify(version)} is not ${RESULTS_FORMAT_VERSION}, the one this nnlab reads; nothing was changed.`,
    );
  }
}

/**
 * CSV with a header row; numbers rounded to the documented precision, missing values empty.
 * @example toCsv(['a', 'b'], [{a: 1, b: null}]) === 'a,b\n1,\n'
 */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<object>): string {
  return [columns.join(','), ...rows.map((r) => csvLine(columns.map((c) => (r as Record<string, unknown>)[c])))].join('\n') + '\n';
}

/** One CSV line of values, as toCsv writes them (for files of many rows, written without a record per row). */
export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(',');
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  // Whole numbers of up to six digits are already as rounded as they get (epochs, layers, counts).
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  if (typeof v === 'number') return String(roundForOutput(v) ?? '');
  const text = String(v);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Deep copy with every number rounded to the documented precision (non-finite → null). */
export function roundNumbers<T>(value: T): T {
  if (typeof value === 'number') return (Number.isInteger(value) ? value : roundForOutput(value)) as T;
  if (Array.isArray(value)) return value.map(roundNumbers) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundNumbers(v)])) as T;
  }
  return value;
}
