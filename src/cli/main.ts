import { NnlabError } from '../shared/errors.js';
import { buildProgram, CommanderError } from './program.js';
import { processTerminal } from './terminal.js';

/** Entry point: run the command, map errors to one-line messages and exit codes. */
export async function main(argv: string[]): Promise<void> {
  const term = processTerminal();
  const debug = argv.includes('--debug');
  let exitCode = 0;
  const abort = new AbortController();
  let interruptedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruptedBy) process.exit(signal === 'SIGINT' ? 130 : 143); // second Ctrl-C: leave now
    interruptedBy = signal;
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const program = buildProgram({ term, setExitCode: (code) => (exitCode = code), signal: abort.signal });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    exitCode = errorExitCode(err, term.stderr, debug);
  }
  if (interruptedBy) exitCode = interruptedBy === 'SIGINT' ? 130 : 143;
  process.exitCode = exitCode;
}

function errorExitCode(err: unknown, print: (text: string) => void, debug: boolean): number {
  if (err instanceof CommanderError) {
    // commander already printed its message; help and --version are successes.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof NnlabError) {
    print(`error: ${err.message}\n`);
    if (debug && err.stack) print(err.stack + '\n');
    return err.exitCode;
  }
  print(`${(err as Error)?.stack ?? String(err)}\nThis is a bug in nnlab; please report it with the command you ran.\n`);
  return 70;
}
