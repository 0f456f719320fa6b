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
