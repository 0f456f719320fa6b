import { Command, CommanderError, Option } from 'commander';
import type { Terminal } from './terminal.js';
import { NNLAB_VERSION } from '../shared/version.js';
import { NnlabError } from '../shared/errors.js';
import { BACKEND_CHOICES } from '../train/backend-choices.js';

interface ProgramDeps {
  term: Terminal;
  /** Aborted on Ctrl-C / SIGTERM: stops training workers. */
  signal?: AbortSignal;
  /** Receives each command's exit code. */
  setExitCode: (code: number) => void;
}

// Repeatable options have no default value: commander would print it as "(default: [])" in --help.
const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The commander program; testable without a subprocess by passing a fake terminal. Each command's
 * module is loaded when it runs, so `--version`, `ls` or `diff` do not pay for training's imports.
 */
export function buildProgram({ term, setExitCode, signal }: ProgramDeps): Command {
  const program = new Command('nnlab')
    .description('Seeded, repeatable neural-network training experiments')
    .version(NNLAB_VERSION, '-V, --version', 'print the nnlab version')
    .option('--debug', 'print stack traces for every error')
    .exitOverride()
    .configureOutput({ writeOut: term.stdout, writeErr: term.stderr })
    // Help wraps to the terminal (to 80 columns in a pipe), descriptions under their options.
    .configureHelp({ helpWidth: term.stdoutWidth ?? 80, minWidthToWrap: 20 })
    .showHelpAfterError('(run nnlab --help for usage)');

  program
    .command('run')
    .description('train every run of the sweep, write results, print the comparison')
    .argument('<spec>', 'experiment spec (YAML)')
    .argument('[path=value...]', 'spec fields to change, as with --set (Hydra style: train.epochs=30)')
    .option('--set <path=value>', 'override a spec field (repeatable), e.g. --set train.epochs=30', collect)
    .option('--out <dir>', 'results directory (default: results/<spec name>)')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(BACKEND_CHOICES).default('auto'))
    .option('--workers <n>', 'training processes in parallel (default: number of cores)')
    .option(
      '--shard <i/n|auto>',
      'train only the i-th of n deterministic parts of the sweep; auto: the Slurm array task or Kubernetes completion index this is',
    )
    .option('--force', 'retrain runs that already have results')
    .option('--max-memory <GiB>', 'refuse trainings estimated to need more memory per worker (default 8)')
    .option('--json', 'print one JSON document on stdout and nothing else there')
    .option('--quiet', 'no progress, table or charts')
    .action(async (spec: string, positional: string[], options) => {
      const { runCommand } = await import('./commands/run.js');
      setExitCode(await runCommand(spec, withOverrides(options, positional), term, signal));
    });

  program
    .command('report')
    .description('re-render the comparison from saved results (recomputes summary.json/csv), no training')
    .argument('<dir>', 'results directory, e.g. results/bn-vs-nobn')
    .option('--json', 'print the summary as JSON')
    .option('--metric <m>', 'show this metric in the table and charts, e.g. val_loss')
    .option('--compare <factor>', 'compare along this factor (a grid factor, or a setting such as train.batch_size) instead of report.compare')
    .option('--by <factor>', 'same as --compare')
    .option('--html <file>', 'also write the self-contained HTML report to this file (report.html in DIR is always refreshed)')
    .action(async (dir: string, options) => {
      const { reportCommand } = await import('./commands/report.js');
      setExitCode(await reportCommand(dir, options, term, signal));
    });

  program
    .command('ls')
    .description('list every result set under DIR (default results/): one row per variant with its runs and final validation metrics')
    .argument('[dir]', 'folder to look in (default: results)')
    .option('--sort <column>', 'sort by a metric (best first, e.g. val_accuracy or val_loss), experiment or runs')
    .option('--json', 'print the listing as JSON')
    .action(async (dir: string | undefined, options) => {
      const { lsCommand } = await import('./commands/ls.js');
      setExitCode(await lsCommand(dir, options, term));
    });

  program
    .command('validate')
    .description('check a spec and print the runs it expands to')
    .argument('<spec>', 'experiment spec (YAML)')
    .argument('[path=value...]', 'spec fields to change, as with --set')
    .option('--set <path=value>', 'override a spec field (repeatable)', collect)
    .option('--max-memory <GiB>', 'refuse trainings estimated to need more memory per worker (default 8)')
    .option('--json', 'print the expanded runs as JSON')
    .action(async (spec: string, positional: string[], options) => {
      const { validateCommand } = await import('./commands/validate.js');
      setExitCode(await validateCommand(spec, withOverrides(options, positional), term));
    });

  program
    .command('diff')
    .description('compare two result sets (directories or summary.json); exit 1 when they differ: a CI gate')
    .argument('<a>', 'baseline results directory or summary.json')
    .argument('<b>', 'results to check')
    .option('--atol <x>', 'absolute tolerance (default 0: equal as written)')
    .option('--tolerance <x>', 'same as --atol')
    .option('--rtol <x>', 'relative tolerance, times |A|')
    .option('--cross-machine', 'B was trained elsewhere (other machine or kernels): judge each value against the spread over seeds of both sides')
    .option('--sigma <k>', "tolerance of k times the baseline's std across seeds")
    .option('--metric <m>', 'compare only this metric (repeatable)', collect)
    .addOption(new Option('--format <f>', 'output format').choices(['table', 'md', 'json']).default('table'))
    .option('--allow-missing', 'variants or metrics present on one side only do not fail the diff')
    .option('--allow-other-experiment', 'compare results of two different experiments (by default that is refused)')
    .action(async (a: string, b: string, options) => {
      const { diffCommand } = await import('./commands/diff.js');
      setExitCode(await diffCommand(a, b, options, term));
    });

  program
    .command('doctor')
    .description('diagnose training pathologies in saved histories (nnlab results or a Keras log), with evidence and a fix; exit 1 when found')
    .argument(
      '<dir-or-log>',
      'results directory (results/sigmoid-regression), or a Keras training log: a CSVLogger file, json.dump(history.history) or the output of fit()',
    )
    .option('--spec <file>', 'the spec to name in the suggested commands (default experiments/<name>.yaml)')
    .option('--script <train.py>', "with a Keras log: the script that trained it, so its settings are judged (default: Keras' defaults)")
    .option('--json', 'print the findings as JSON')
    .action(async (dir: string, options) => {
      const { doctorCommand } = await import('./commands/doctor.js');
      setExitCode(await doctorCommand(dir, options, term));
    });

  program
    .command('import')
    .description('turn a Keras training script (.py: read, never run) or model.to_json() output into a spec, naming what it could not map')
    .argument('<file>', 'a Keras script (train.py) or model.json')
    .option('-o, --output <spec>', 'the spec to write (default: <file name>.yaml here)')
    .option('--data <file>', 'the training data: a built-in dataset (mnist), a CSV, a .npz, or two .npy files (features, then labels)', collect)
    .option('--force', 'replace the spec if it exists')
    .action(async (file: string, options) => {
      const { importCommand } = await import('./commands/import.js');
      setExitCode(await importCommand(file, options, term));
    });

  program
    .command('datasets')
    .description('list the built-in datasets with shapes, sizes, task and source')
    .option('--json', 'print the list as JSON')
    .action(async (options) => {
      const { datasetsCommand } = await import('./commands/datasets.js');
      setExitCode(datasetsCommand(options, term));
    });

  return program;
}

/**
 * Hydra users write overrides without a flag: `nnlab run spec.yaml train.epochs=3`. Such arguments
 * are --set overrides; anything else after the spec is a mistake worth one clear line.
 */
function withOverrides<T extends { set?: string[] }>(options: T, positional: string[]): T & { set: string[] } {
  // An option given no value takes the next flag as its value (`--shard --out DIR`): say that, not what follows.
  for (const [name, value] of Object.entries(options as Record<string, unknown>)) {
    if (typeof value === 'string' && value.startsWith('--')) {
      const flag = `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new NnlabError('NNLAB_USAGE', `Reading the arguments failed: ${flag} needs a value, but the next argument is the option ${value}.`);
    }
  }
  for (const arg of positional) {
    if (!/^[A-Za-z_][A-Za-z0-9_.[\]]*=/.test(arg)) {
      throw new NnlabError(
        'NNLAB_USAGE',
        `Reading the arguments failed: "${arg}" is neither the spec nor a path=value override; give one spec, then overrides such as train.epochs=3 (or --set train.epochs=3).`,
      );
    }
  }
  return { ...options, set: [...positional, ...(options.set ?? [])] };
}

export { CommanderError };
