/**
 * The history contract: which columns a run's history has, in which order, and which way each one
 * improves. Training writes these columns, the pre-flight checks let callbacks and thresholds name
 * them, the statistics and reports read them; all of them ask here.
 */

/** One row of a history: `epoch` and one value per column; null where the value was not finite. */
export type HistoryRow = Record<string, number | null>;

/**
 * A history in memory names its value columns (historyColumns); its files (history.csv, history.json)
 * lead them with `epoch`, the key every row carries.
 */
export const historyFileColumns = (columns: readonly string[]): string[] => ['epoch', ...columns];
export const historyValueColumns = (fileColumns: readonly string[]): string[] => fileColumns.filter((c) => c !== 'epoch');

type Task = 'classification' | 'regression';

/** The prediction statistics (how varied the validation predictions are), one per task. */
export const PREDICTION_STAT_COLUMNS: Record<Task, string> = { classification: 'val_top_class_share', regression: 'val_pred_std_ratio' };

/** The column that is a setting, not a result: the learning rate each epoch used (reduce-on-plateau changes it). */
const LEARNING_RATE_COLUMN = 'lr';

/**
 * Every column a run's history has, after `epoch`: loss and metrics, their validation twins, the
 * prediction statistic, regression errors in the target's own units, and the learning rate.
 * @example historyColumns('classification', ['accuracy']) → ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'val_top_class_share', 'lr']
 */
export function historyColumns(task: Task, metrics: readonly string[]): string[] {
  return [...resultColumns(task, metrics), LEARNING_RATE_COLUMN];
}

/** The columns that are results (all but the learning rate): what summaries, thresholds and callbacks can use. */
export function resultColumns(task: Task, metrics: readonly string[]): string[] {
  const train = ['loss', ...metrics];
  return [...train, ...train.map((c) => `val_${c}`), PREDICTION_STAT_COLUMNS[task], ...originalUnitColumns(task, metrics)];
}

/**
 * Regression errors in the target's own units (e.g. metres), whatever data.target_scale the net was
 * trained on, so variants with and without target scaling compare on one scale.
 */
export function originalUnitColumns(task: Task, metrics: readonly string[]): string[] {
  return task === 'regression' ? metrics.filter((m) => m === 'mae' || m === 'mse').map((m) => `val_${m}_original`) : [];
}

/** True for a regression error in the target's own units (val_mae_original): what a user reads first. */
export function isTargetUnitColumn(column: string): boolean {
  return column.endsWith('_original');
}

/** True for the prediction statistics, which describe the predictions rather than score them. */
export function isPredictionStat(column: string): boolean {
  return Object.values(PREDICTION_STAT_COLUMNS).includes(column);
}

/** Accuracy-like columns improve upwards; loss and error columns downwards. @example higherIsBetter('val_accuracy') === true */
export function higherIsBetter(column: string): boolean {
  return /accuracy/.test(column);
}
