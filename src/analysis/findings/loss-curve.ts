import { updateSize } from './step-sizes.js';
import { fmt, lrOf, MIN_TREND_EPOCHS, setLr, values, type Finding, type RunForDiagnosis } from './finding.js';
import { BOUNDED_ACTIVATIONS, outputLayer } from '../../model/output-checks.js';

/** Training loss that moved less than 1 % from its first to its last epoch did not train. */
const FLAT_LOSS_CHANGE = 0.01;

export function tooFewEpochs(run: RunForDiagnosis): Finding | undefined {
  if (run.status !== 'ok' || run.history.length >= MIN_TREND_EPOCHS) return undefined;
  return {
    code: 'too-few-epochs',
    severity: 'note',
    headline: 'too few epochs to judge trends',
    seen: `${run.history.length} epoch${run.history.length === 1 ? '' : 's'} of history`,
    why: `trends need at least ${MIN_TREND_EPOCHS} epochs: overfitting, a flat loss, accuracy peaking early, validation better than training and a redundant training set were not judged`,
    fix: `train for ${MIN_TREND_EPOCHS} epochs or more to have them judged`,
    sets: [`train.epochs=${MIN_TREND_EPOCHS}`],
  };
}

export function diverged(run: RunForDiagnosis): Finding | undefined {
  if (run.status !== 'diverged') return undefined;
  const lr = lrOf(run.config.train);
  return {
    code: 'diverged',
    severity: 'problem',
    headline: 'the loss diverged: the learning rate is too high',
    seen: `the loss became NaN or infinite at epoch ${run.diverged_epoch ?? '?'}`,
    why: `the updates are too large for this loss surface: learning rate ${lr} with ${run.config.train.optimizer.type} overshoots and the weights blow up`,
    fix: 'lower the learning rate tenfold',
    sets: [setLr(run.config.train, lr / 10)],
  };
}

export function flatLoss(run: RunForDiagnosis): Finding | undefined {
  const loss = values(run.history, 'loss');
  if (run.status !== 'ok' || loss.length < MIN_TREND_EPOCHS) return undefined;
  // A saturated bounded output on unscaled targets also flattens the loss; collapsed-output names that cause.
  const { activation } = outputLayer(run.config.model.layers);
  if (run.task === 'regression' && activation && BOUNDED_ACTIVATIONS.includes(activation) && run.config.data.target_scale !== 'minmax') return undefined;
  // Steps too small to move the weights, measured per layer: updates-too-small says so with its evidence and a fitting rate.
  if (updateSize(run)?.code === 'updates-too-small') return undefined;
  const change = Math.abs(loss[loss.length - 1]! - loss[0]!) / Math.max(Math.abs(loss[0]!), 1e-12);
  if (change >= FLAT_LOSS_CHANGE) return undefined;
  return {
    code: 'flat-loss',
    severity: 'problem',
    headline: 'the training loss stayed flat: the steps are too small',
    seen: `the training loss moved ${fmt(change * 100)} % in ${loss.length} epochs (${fmt(loss[0]!)} → ${fmt(loss[loss.length - 1]!)})`,
    why: `with learning rate ${lrOf(run.config.train)} the steps are too small (or the gradients vanish)`,
    fix: 'raise the learning rate tenfold',
    sets: [setLr(run.config.train, lrOf(run.config.train) * 10)],
  };
}
