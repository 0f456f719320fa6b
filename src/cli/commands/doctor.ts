import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { diagnoseResults } from '../../pipeline/diagnose-results.js';
import { renderDoctorReport } from '../../report/doctor-report.js';
import { NnlabError } from '../../shared/errors.js';
import { wrapText } from '../../shared/wrap-text.js';
import type { Terminal } from '../terminal.js';

interface DoctorOptions {
  json?: boolean;
  spec?: string;
  script?: string;
}

/** Diagnose saved runs, or a Keras training log; exit 1 when a problem is found, 0 when clean (notes alone are clean). */
export async function doctorCommand(dir: string, options: DoctorOptions, term: Terminal): Promise<number> {
  const full = resolve(term.cwd, dir);
  if (isTrainingLog(full, dir)) return doctorOnLog(full, dir, options, term);
  const rerunOf = (experiment: string) => suggestedRun(experiment, dir, options.spec, term.cwd);
  const { experiment, diagnoses, overrides } = await diagnoseResults(full, options.spec ? resolve(term.cwd, options.spec) : undefined, (name) => {
    const file = rerunOf(name).spec;
    return file ? resolve(term.cwd, file) : undefined;
  });
  const rerun = rerunOf(experiment);
  const problems = diagnoses.some((d) => d.findings.some((f) => f.severity === 'problem'));
  if (options.json) term.stdout(JSON.stringify({ experiment, problems, variants: diagnoses }, null, 2) + '\n');
  else term.stdout(renderDoctorReport(experiment, diagnoses, rerun.command, term.columns, overrides));
  return problems ? 1 : 0;
}

/** A file other than nnlab's summary.json: what Keras wrote. */
function isTrainingLog(path: string, shown: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
  } catch {
    // Not there: a name like history.csv was meant as a log, and is said to be missing as one.
    if (/\.(csv|txt|log|json)$/i.test(path) && basename(path) !== 'summary.json')
      throw new NnlabError('NNLAB_USAGE', `Reading ${shown} failed: no such file; expected a results directory or a Keras training log.`);
    return false;
  }
  if (extname(path).toLowerCase() !== '.json') return true;
  return !/"format_version"\s*:/.test(readFileSync(path, 'utf8').slice(0, 4096));
}

async function doctorOnLog(full: string, shown: string, options: DoctorOptions, term: Terminal): Promise<number> {
  const { diagnoseLog } = await import('../../pipeline/diagnose-log.js');
  const script = options.script ? { path: resolve(term.cwd, options.script), shown: options.script } : undefined;
  const { log, diagnoses, settings, needsRun } = await diagnoseLog(full, shown, script);
  const problems = diagnoses.some((d) => d.findings.some((f) => f.severity === 'problem'));
  const spec = script ? `${basename(script.shown, extname(script.shown))}.yaml` : undefined;
  if (options.json) {
    term.stdout(
      JSON.stringify(
        {
          log: shown,
          format: log.format,
          epochs: log.rows.length,
          task: log.task,
          settings,
          problems,
          findings: diagnoses[0]?.findings ?? [],
          not_judged: needsRun,
        },
        null,
        2,
      ) + '\n',
    );
    return problems ? 1 : 0;
  }
  const say = (text: string) => wrapText(text, term.columns, '  ');
  const loggedLr = typeof log.rows[0]?.lr === 'number';
  const callbacks = log.earlyStopped !== undefined ? `early stopping at epoch ${log.earlyStopped}, as logged` : 'no callbacks';
  const from =
    settings.from === 'script'
      ? `settings from ${settings.script}`
      : `settings: Keras' defaults assumed (Adam at learning rate ${settings.learningRate}${loggedLr ? ', as logged' : ''}, ${callbacks})${settings.why ? ` because ${settings.why}` : ''}`;
  const ignored = log.ignored.length ? `; not read: ${log.ignored.join(', ')}` : '';
  const header = say(
    `${shown}: a Keras ${log.format} log of ${log.rows.length} epoch${log.rows.length === 1 ? '' : 's'}${log.divergedEpoch ? ` (the loss became NaN or infinite at epoch ${log.divergedEpoch})` : ''}, ${log.task}; ${from}${ignored}.`,
  );
  // One log is one run: the findings need no "(1/1 runs)" and no variant count.
  const report = renderDoctorReport(
    shown,
    diagnoses.map((d) => ({ ...d, label: 'findings:' })),
    spec,
    term.columns,
  )
    .replace(/ \(1\/1 runs\)/g, '')
    .replace(/ in \d+ of \d+ variants\.\n$/, '.\n');
  const byEvidence = needsRun.filter((g) => g.needs !== 'settings').map((g) => `${g.needs}: ${g.looksFor.join(', ')}`);
  const settingsChecks = needsRun.find((g) => g.needs === 'settings');
  const importLine = `nnlab import ${script?.shown ?? 'train.py'} --data YOUR-DATA, nnlab run ${spec ?? 'train.yaml'}, then nnlab doctor results/${spec ? basename(spec, '.yaml') : 'train'}`;
  const notes = [
    ...(log.trainings ? [`The log holds ${log.trainings} trainings (fit() output one after another); the last one is read.`] : []),
    ...(!log.rows.some((r) => Object.keys(r).some((k) => k.startsWith('val_')))
      ? [
          'The log has no validation columns (Keras logs them with validation_split or validation_data): overfitting and the other checks on validation curves could not be judged.',
        ]
      : []),
    ...(settings.from !== 'script' && !loggedLr && diagnoses.some((d) => d.findings.some((f) => /learning rate/.test(`${f.seen} ${f.why}`)))
      ? [`The learning rate in these findings is Keras' default, assumed: the log does not record it. --script train.py reads the script's.`]
      : []),
  ].map(say);
  const next = [
    ...(settingsChecks ? [say(`With --script train.py the doctor also judges the script's settings: ${settingsChecks.looksFor.join(', ')}.`)] : []),
    say(`Not judged from a log, because only an nnlab run records what they need — ${byEvidence.join('; ')}. To have them: ${importLine}.`),
  ].join('\n');
  term.stdout(`${header}\n\n${report}${notes.length ? `${notes.join('\n')}\n` : ''}\n${next}\n`);
  return problems ? 1 : 0;
}

/**
 * The `nnlab run …` the suggested fixes extend, pasteable from here: the spec (--spec, else the
 * experiment's file in experiments/ or here where it exists, else a placeholder to replace) and --out when
 * the results are not in results/<experiment>.
 */
function suggestedRun(experiment: string, dir: string, spec: string | undefined, cwd: string): { spec?: string; command: string } {
  const known = [join('experiments', `${experiment}.yaml`), `${experiment}.yaml`].find((f) => existsSync(resolve(cwd, f)));
  const file = spec ?? known;
  const out = resolve(cwd, dir) === resolve(cwd, 'results', experiment) ? '' : ` --out ${dir}`;
  return { ...(file ? { spec: file } : {}), command: `${file ?? 'YOUR-SPEC.yaml'}${out}` };
}
