import { readFileSync } from 'node:fs';
import { availableParallelism, homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { wrapText } from '../shared/wrap-text.js';
import { SCHEDULER_VARIABLES, type SchedulerEnv } from '../exec/shard.js';

/** Where a command writes: the CLI's only view of the process's streams and environment. */
export interface Terminal {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stderr is an interactive terminal: progress lines may be rewritten in place. */
  isTTY: boolean;
  /** Colour allowed: a TTY and NO_COLOR unset. */
  color: boolean;
  cwd: string;
  columns: number;
  /** stdout's width when it is a terminal; undefined when it goes to a file or pipe (nothing to fit). */
  stdoutWidth?: number;
  /** Cores available to this process: the default number of training workers. */
  cores: number;
  /** Converted datasets are cached here: $NNLAB_CACHE_DIR, else $XDG_CACHE_HOME/nnlab, else ~/.cache/nnlab. */
  cacheDir: string;
  /** NNLAB_NATIVE: 0 trains on WebAssembly only even where the native kernels exist, `own` uses nnlab's GEMM instead of the system BLAS. */
  nativeKernels: boolean | 'own';
  /** False when NNLAB_ENGINE=layers: every model through tfjs-layers, none on the dense engine. */
  denseEngine: boolean;
  /** NNLAB_LOCK_STALE_SECONDS: a lock of another host not refreshed for this long is taken over. */
  lockStaleMs?: number;
  /** This process as a lock owner, and whether a process of this host still exists. */
  self: { pid: number; host: string };
  isAlive: (pid: number) => boolean;
  nodeVersion: string;
  /** A scheduler's array task variables, for `--shard auto`. */
  scheduler?: SchedulerEnv;
}

/**
 * A message for stderr: on a terminal each line wraps to its width (continuations indented by
 * `hanging`); to a file or pipe it is left as it is, one line per message, for grep.
 */
export function fitMessage(text: string, term: Pick<Terminal, 'isTTY' | 'columns'>, hanging = '  '): string {
  return term.isTTY
    ? text
        .split('\n')
        .map((line) => wrapText(line, term.columns, hanging))
        .join('\n')
    : text;
}

export function processTerminal(): Terminal {
  const isTTY = Boolean(process.stderr.isTTY);
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY,
    color: isTTY && Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env),
    cwd: process.cwd(),
    // A terminal says its width; piped output takes $COLUMNS where it is set (a user asking for 80), else 100.
    columns: process.stdout.columns || (Number(process.env.COLUMNS) >= 20 ? Math.floor(Number(process.env.COLUMNS)) : 100),
    ...(process.stdout.isTTY && process.stdout.columns ? { stdoutWidth: process.stdout.columns } : {}),
    cores: availableParallelism(),
    nativeKernels: process.env.NNLAB_NATIVE === '0' ? false : process.env.NNLAB_NATIVE === 'own' ? 'own' : true,
    denseEngine: process.env.NNLAB_ENGINE !== 'layers',
    ...(Number(process.env.NNLAB_LOCK_STALE_SECONDS) > 0 ? { lockStaleMs: Number(process.env.NNLAB_LOCK_STALE_SECONDS) * 1000 } : {}),
    self: { pid: process.pid, host: hostname() },
    isAlive: (pid) => {
      try {
        process.kill(pid, 0);
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM';
      }
      return !isZombie(pid);
    },
    nodeVersion: process.versions.node,
    scheduler: Object.fromEntries(SCHEDULER_VARIABLES.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]!])),
    cacheDir: process.env.NNLAB_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nnlab'),
  };
}

/**
 * A killed process its parent has not reaped yet still answers kill(pid, 0), but it holds nothing:
 * its locks are free. Linux says so in /proc; elsewhere the process counts as alive.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
