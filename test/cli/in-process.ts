import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
// As built (npm test builds first): training forks dist/exec/worker-main.js, which must match.
import { errorExitCode } from '../../dist/cli/main.js';
import { buildProgram } from '../../dist/cli/program.js';
import type { Terminal } from '../../src/cli/terminal.js';
import { ROOT } from './run-cli.js';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run a command the way bin/nnlab.js does, in this process, with an injected terminal: what a user
 * sees on stdout and stderr and the exit code (errors mapped as main maps them). `tty` makes the
 * terminal interactive at that width (progress redrawn in place, tables fitted); `cacheDir` replaces
 * the project's dataset cache (for tests that convert files of their own); `columns` is the width piped
 * output takes, as $COLUMNS gives it to bin/nnlab.js (100 unless set).
 */
export async function runInProcess(
  args: string[],
  cwd: string,
  options: { tty?: number; columns?: number; signal?: AbortSignal; cacheDir?: string } = {},
): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const term: Terminal = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: options.tty !== undefined,
    color: false,
    cwd,
    columns: options.tty ?? options.columns ?? 100,
    ...(options.tty !== undefined ? { stdoutWidth: options.tty } : {}),
    cores: Math.min(2, availableParallelism()),
    cacheDir: options.cacheDir ?? join(ROOT, '.nnlab-cache'),
    nativeKernels: process.env.NNLAB_NATIVE === '0' ? false : true,
    denseEngine: true,
    self: { pid: process.pid, host: hostname() },
    isAlive: () => false,
    nodeVersion: process.versions.node,
  };
  let code = 0;
  try {
    await buildProgram({ term, setExitCode: (c) => (code = c), ...(options.signal ? { signal: options.signal } : {}) }).parseAsync(['node', 'nnlab', ...args]);
  } catch (err) {
    code = errorExitCode(err, term, false);
  }
  return { code, stdout, stderr };
}
