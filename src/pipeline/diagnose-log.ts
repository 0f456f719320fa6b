import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { checksNeeding, diagnoseRuns, type Evidence, type RunForDiagnosis, type VariantDiagnosis } from '../analysis/diagnose.js';
import { readKerasScript } from '../keras/read-script.js';
import { readTrainingLog, type TrainingLog } from '../keras/read-training-log.js';
import { scriptToSpec } from '../keras/script-to-spec.js';
import { renderImportedSpec } from '../keras/spec-yaml.js';
import { NnlabError } from '../shared/errors.js';
import { validateSpecText } from '../spec/validate.js';

/** Larger files are not a training log. */
const MAX_LOG_BYTES = 64 * 1024 * 1024;

interface LogDiagnosis {
  log: TrainingLog;
  diagnoses: VariantDiagnosis[];
  /** Where the settings came from: the script, or Keras' defaults (Adam at 0.001 or the logged rate, no callbacks). */
  settings: { from: 'script'; script: string } | { from: 'keras defaults'; learningRate: number; why?: string };
  /** The checks that need what only an nnlab run records. */
  needsRun: Array<{ needs: Evidence; looksFor: string[] }>;
}

/**
 * The doctor on a Keras training log (CSVLogger, history JSON or fit's console output): the checks
 * that read curves, judged against the script's settings when `scriptFile` is given (read with
 * nnlab import's reader, never run) or Keras' defaults otherwise; and the checks that would need an
 * nnlab run, by the evidence they need.
 */
export async function diagnoseLog(logFile: string, shown: string, scriptFile?: { path: string; shown: string }): Promise<LogDiagnosis> {
  const log = readTrainingLog(await readText(logFile, shown), shown);
  const settings = scriptFile ? await settingsFromScript(scriptFile, log.task) : undefined;
  const config = settings?.config ?? kerasDefaults(log.task, firstLearningRate(log), log.earlyStopped !== undefined);
  const run: RunForDiagnosis = {
    id: basename(logFile, extname(logFile)),
    variant: 0,
    factors: {},
    config,
    status: log.divergedEpoch ? 'diverged' : 'ok',
    ...(log.divergedEpoch ? { diverged_epoch: log.divergedEpoch } : {}),
    history: log.rows,
    task: log.task,
  };
  const available: Evidence[] = settings?.config ? ['history', 'settings'] : ['history'];
  return {
    log,
    diagnoses: diagnoseRuns([run], available),
    settings: settings?.config
      ? { from: 'script', script: scriptFile!.shown }
      : { from: 'keras defaults', learningRate: config.train.optimizer.learning_rate, ...(settings?.why ? { why: settings.why } : {}) },
    needsRun: checksNeeding(available),
  };
}

async function readText(file: string, shown: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NnlabError(
      'NNLAB_USAGE',
      `Reading ${shown} failed: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message}.`,
    );
  }
  if (bytes.length > MAX_LOG_BYTES)
    throw new NnlabError('NNLAB_USAGE', `Reading ${shown} failed: it is ${Math.round(bytes.length / 1024 ** 2)} MB; a training log is far smaller.`);
  if (bytes.includes(0))
    throw new NnlabError(
      'NNLAB_USAGE',
      `Reading ${shown} failed: it is a binary file; expected a CSVLogger file, json.dump(history.history) or the output of fit().`,
    );
  return bytes.toString('utf8');
}

/** The spec nnlab import would write for the script, validated: the settings the log was trained with. */
async function settingsFromScript(
  script: { path: string; shown: string },
  task: TrainingLog['task'],
): Promise<{ config?: RunForDiagnosis['config']; why?: string }> {
  const imported = scriptToSpec(readKerasScript(await readText(script.path, script.shown)), { name: 'log' });
  // Data the script loads from files stays unknown: a placeholder that no check reads as a built-in dataset.
  if (imported.needsData) imported.spec.data = { ...(imported.spec.data as object), dataset: 'csv', path: 'data.csv', target: 'y', task };
  const { value, issues } = validateSpecText(renderImportedSpec(imported, script.shown), `${script.shown} (imported)`);
  if (!value) return { why: `${script.shown} did not import to a valid spec (${issues.find((i) => i.severity === 'error')?.message ?? 'unknown'})` };
  return { config: value.variants[0]!.spec };
}

/** The learning rate the log recorded for its first epoch (Keras logs lr with a learning-rate callback). */
function firstLearningRate(log: TrainingLog): number | undefined {
  const lr = log.rows[0]?.lr;
  return typeof lr === 'number' && lr > 0 ? lr : undefined;
}

/** Keras' defaults where the script is not given: Adam at 0.001 (or the logged rate), no callbacks but the early stopping the log shows, the layers unknown. */
function kerasDefaults(task: TrainingLog['task'], learningRate = 0.001, earlyStopping = false): RunForDiagnosis['config'] {
  const text = [
    'name: log',
    `data: {dataset: csv, path: data.csv, target: y, task: ${task}}`,
    'model: {input_shape: [1], layers: [{dense: {units: 1}}]}',
    `train: {optimizer: {adam: {learning_rate: ${learningRate}}}, loss: ${task === 'classification' ? 'categorical_crossentropy' : 'mse'}, epochs: 1, batch_size: 32${earlyStopping ? ', callbacks: {early_stopping: {monitor: val_loss}}' : ''}}`,
  ].join('\n');
  return validateSpecText(text, 'keras-defaults.yaml').value!.variants[0]!.spec;
}
