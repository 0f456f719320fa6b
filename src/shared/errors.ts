/** A problem the user can fix: printed as one line, never with a stack. */
export class NnlabError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'NnlabError';
  }
}

export type ErrorCode =
  | 'NNLAB_USAGE'
  | 'NNLAB_SPEC_INVALID'
  | 'NNLAB_SPEC_NOT_FOUND'
  | 'NNLAB_DATA_NOT_FOUND'
  | 'NNLAB_DATA_INVALID'
  | 'NNLAB_BACKEND_UNAVAILABLE'
  | 'NNLAB_RESULTS_INVALID'
  | 'NNLAB_RESULTS_CONFLICT'
  | 'NNLAB_LOCKED'
  | 'NNLAB_WRITE_FAILED'
  | 'NNLAB_INTERRUPTED';

/** One located problem in a spec; `file`/`line`/`col` are absent for problems with no place in the file. */
export interface SpecIssue {
  code: 'yaml' | 'schema' | 'rule' | 'override';
  severity: 'error' | 'warning';
  path: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
  /** Where the value came from when it was not the file, e.g. `--set train.epochs=abc`. */
  origin?: string;
}

/** `experiments/x.yaml:12:5 sweep.grid.lr[2]: expected a number, got "fast"` */
export function formatIssue(issue: SpecIssue): string {
  const where = issue.origin ?? [issue.file, issue.line, issue.col].filter((p) => p !== undefined).join(':');
  const label = issue.severity === 'warning' ? 'warning: ' : '';
  const path = issue.path ? `${issue.path}: ` : '';
  return `${where ? where + ' ' : ''}${label}${path}${issue.message}`;
}

/** Why writing can fail through no fault of nnlab's: the user's disk, quota or permissions. */
const ENVIRONMENT_WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
};

/**
 * A failed write of `path` as the user's problem to fix, or the error unchanged when it is not one
 * of theirs. Every nnlab file is written atomically, so what was written before is intact.
 * @example asWriteFailure(Object.assign(new Error('x'), {code: 'ENOSPC'}), 'results/x/run.json').exitCode === 1
 */
export function asWriteFailure(err: unknown, path: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const misplaced = code ? MISPLACED_WRITES[code] : undefined;
  if (misplaced)
    return new NnlabError('NNLAB_USAGE', `Writing ${path} failed: ${misplaced} (${code}); nothing was written there. Name another file or folder.`);
  const why = code ? ENVIRONMENT_WRITE_FAILURES[code] : undefined;
  if (!why) return err;
  return new NnlabError(
    'NNLAB_WRITE_FAILED',
    `Writing ${path} failed: ${why} (${code}). Everything written before is intact and finished runs are kept; make room (or fix the permissions) and run the same command again to go on.`,
    1,
  );
}

/** Writes aimed at the wrong kind of thing: the user named a folder for a file, or a path through a file (exit 2). */
const MISPLACED_WRITES: Record<string, string> = {
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
};
