import { NnlabError } from '../shared/errors.js';
import { buildProgram, CommanderError } from './program.js';
import { fitMessage, processTerminal, type Terminal } from './terminal.js';

/**
 * After Ctrl-C, SIGTERM or SIGHUP (the terminal was closed) a command gets this long to stop cleanly (kill its workers, release its
 * locks, remove its unfinished run folders); then the process leaves anyway. Every file nnlab writes
 * is written atomically, so leaving mid-write loses nothing that was complete.
 */
const STOP_GRACE_MS = 800;

/** Entry point: run the command, map errors to one-line messages and exit codes. */
export async function main(argv: string[]): Promise<void> {
  const term = processTerminal();
  const debug = argv.includes('--debug');
  let exitCode = 0;
  const abort = new AbortController();
  let interruptedBy: NodeJS.Signals | undefined;
  const signalExitCode = (signal: NodeJS.Signals) => 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15);
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruptedBy) process.exit(signalExitCode(signal)); // second Ctrl-C: leave now
    interruptedBy = signal;
    abort.abort();
    setTimeout(() => process.exit(signalExitCode(signal)), STOP_GRACE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed terminal is a Ctrl-C nobody typed: the same clean stop, or unfinished run folders stay behind.
  process.on('SIGHUP', onSignal);
  const program = buildProgram({ term, setExitCode: (code) => (exitCode = code), signal: abort.signal });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    exitCode = errorExitCode(err, term, debug);
  }
  if (interruptedBy) exitCode = signalExitCode(interruptedBy);
  process.exitCode = exitCode;
}

/** How a command's error reaches the user: one line and its exit code, or the stack of a bug (70). */
export function errorExitCode(err: unknown, term: Terminal, debug: boolean): number {
  const print = term.stderr;
  if (err instanceof CommanderError) {
    // commander already printed its message; help and --version are successes.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof NnlabError) {
    // Stopping on the user's Ctrl-C is what they asked for, not an error.
    print(`${fitMessage(err.code === 'NNLAB_INTERRUPTED' ? err.message : `error: ${err.message}`, term)}\n`);
    if (debug && err.stack) print(err.stack + '\n');
    return err.exitCode;
  }
  print(`${(err as Error)?.stack ?? String(err)}\nThis is a bug in nnlab; please report it with the command you ran.\n`);
  return 70;
}
