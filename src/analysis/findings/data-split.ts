import { fmt, values, type Finding, type RunForDiagnosis } from './finding.js';

/**
 * The validation classes differ from the training classes by at least this total variation
 * distance (half the summed absolute differences of the class shares: 0 same, 1 disjoint).
 */
const SHIFT = 0.2;

/**
 * A validation set whose classes are not the training set's (Keras' validation_split on data stored
 * in class or time order): the net learns the training set's classes, so validation accuracy can
 * fall below chance as it does, however well it trains.
 */
export function validationClassesDiffer(run: RunForDiagnosis): Finding | undefined {
  const counts = run.class_counts;
  if (!counts || run.status !== 'ok') return undefined;
  const share = (c: number[]) => {
    const total = c.reduce((s, x) => s + x, 0);
    return c.map((x) => (total ? x / total : 0));
  };
  const train = share(counts.train);
  const validation = share(counts.validation);
  const distance = train.reduce((s, t, i) => s + Math.abs(t - (validation[i] ?? 0)), 0) / 2;
  if (distance < SHIFT) return undefined;
  const percent = (p: number[]) => p.map((x, i) => `${Number((x * 100).toFixed(1))} % class ${i}`).join(', ');
  const accuracy = values(run.history, 'val_accuracy');
  const chance = 1 / (run.numClasses ?? train.length);
  const last = accuracy[accuracy.length - 1];
  const best = accuracy.length ? Math.max(...accuracy) : undefined;
  const peak = best !== undefined && last !== undefined && best > last ? `peaked at ${fmt(best)} (epoch ${accuracy.indexOf(best) + 1}) and ` : '';
  const curve = last !== undefined ? `; val_accuracy ${peak}ended at ${fmt(last)}${last < chance ? `, below chance (${fmt(chance)})` : ''}` : '';
  return {
    code: 'validation-classes-differ',
    severity: 'problem',
    headline: 'the validation split holds other classes than training',
    seen: `validation holds ${percent(validation)}; training ${percent(train)}${curve}`,
    why: "data.split: tail took the last share of the data as given (Keras' validation_split), and the data is not in random order (synthetic sets and many files list one class after another): the net learns the training set's classes, so accuracy on a validation set of other classes falls as it learns",
    fix: 'split with every class in proportion (or shuffle the data before a tail split)',
    sets: ['data.split=stratified'],
  };
}
