import { fmt, MIN_TREND_EPOCHS, values, type Finding, type RunForDiagnosis } from './finding.js';

/** Validation loss below training loss in at least 80 % of the epochs. */
const VAL_BETTER_SHARE = 0.8;
/** The first epoch already reaches 97 % of the best validation accuracy. */
const FIRST_EPOCH_SHARE = 0.97;

export function validationBetterThanTraining(run: RunForDiagnosis): Finding | undefined {
  const rows = run.history.filter((r) => typeof r.val_loss === 'number' && typeof r.loss === 'number');
  const regularized = run.config.model.layers.some((l) => l.enabled && l.type === 'dropout' && l.rate > 0);
  if (run.status !== 'ok' || rows.length < MIN_TREND_EPOCHS || !regularized) return undefined;
  const better = rows.filter((r) => r.val_loss! < r.loss!).length;
  if (better / rows.length < VAL_BETTER_SHARE) return undefined;
  return {
    code: 'validation-better-than-training',
    severity: 'note',
    headline: 'validation beats training because dropout is off at validation',
    seen: `val_loss was below the training loss in ${better} of ${rows.length} epochs`,
    why: 'expected with dropout: the training loss is measured with units dropped, the validation loss with the full net (and the training loss averages over an epoch of improving weights)',
    fix: 'nothing to fix; compare losses with dropout off if you need them on the same footing',
  };
}

export function highFirstEpoch(run: RunForDiagnosis): Finding | undefined {
  const acc = values(run.history, 'val_accuracy');
  if (run.status !== 'ok' || acc.length < MIN_TREND_EPOCHS) return undefined;
  const best = Math.max(...acc);
  // Only when the first epoch is good, not merely as bad as the best (chance-level runs).
  const chance = 1 / (run.numClasses ?? 2);
  if (acc[0]! < FIRST_EPOCH_SHARE * best || best < chance + (1 - chance) * 0.6) return undefined;
  return {
    code: 'high-first-epoch-accuracy',
    severity: 'note',
    headline: 'one epoch already learns most of what the data holds',
    seen: `epoch 1 already reached val_accuracy ${fmt(acc[0]!)}, ${fmt((acc[0]! / best) * 100)} % of the best (${fmt(best)})`,
    why: 'the training set is redundant for this model: one pass holds most of what it can learn, later epochs add little',
    fix: 'see how much data one epoch needs: sweep data.samples (sweep.grid.n with data.samples: ${n}) and compare epoch-1 accuracy',
  };
}
