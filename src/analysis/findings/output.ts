import { BOUNDED_ACTIVATIONS, lossOutputMismatch, outputLayer } from '../../model/output-checks.js';
import { fmt, lrOf, setLr, type Finding, type RunForDiagnosis } from './finding.js';

/** Predictions whose spread is under 10 % of the targets' spread are, for practical purposes, one constant. */
const COLLAPSE_STD_RATIO = 0.1;
/** One class predicted for 95 % of the validation samples (when classes are roughly balanced). */
const COLLAPSE_CLASS_SHARE = 0.95;

export function collapsedOutput(run: RunForDiagnosis): Finding | undefined {
  const last = run.history[run.history.length - 1];
  if (!last) return undefined;
  const { index, activation } = outputLayer(run.config.model.layers);
  if (run.task === 'regression') {
    const ratio = last.val_pred_std_ratio;
    if (typeof ratio !== 'number' || ratio >= COLLAPSE_STD_RATIO) return undefined;
    const seen = `predictions vary ${fmt(ratio * 100)} % as much as the targets (val_pred_std_ratio ${fmt(ratio)} at epoch ${last.epoch}): the net predicts nearly the same number for every input`;
    if (activation && BOUNDED_ACTIVATIONS.includes(activation) && run.config.data.target_scale !== 'minmax') {
      return {
        code: 'collapsed-output',
        severity: 'problem',
        columns: ['val_pred_std_ratio'],
        headline: `the ${activation} output cannot reach the unscaled targets, so it predicts one number`,
        seen,
        why: `the ${activation} output is bounded, the targets are not: every prediction saturates at the bound`,
        fix: 'use a linear output for regression',
        sets: [`model.layers[${index}].dense.activation=linear`],
      };
    }
    if (run.config.train.optimizer.type === 'sgd' && lrOf(run.config.train) < 1e-5) {
      return {
        code: 'collapsed-output',
        severity: 'problem',
        columns: ['val_pred_std_ratio'],
        headline: `SGD at learning rate ${lrOf(run.config.train)} leaves the output nearly constant`,
        seen,
        why: `SGD with learning rate ${lrOf(run.config.train)} barely moves the weights from their initial, near-constant output`,
        fix: 'use Adam (or a learning rate around 0.01)',
        sets: ['train.optimizer={adam: {learning_rate: 0.001}}'],
      };
    }
    if (run.config.data.target_scale === 'none') {
      return {
        code: 'collapsed-output',
        severity: 'problem',
        columns: ['val_pred_std_ratio'],
        headline: 'the unscaled target leaves the output nearly constant',
        seen,
        why: 'the targets are unscaled: the output has to grow by orders of magnitude, and until then the loss is dominated by the mean',
        fix: 'scale the target (and the inputs)',
        sets: ['data.target_scale=standardize', 'data.scale=standardize'],
      };
    }
    return {
      code: 'collapsed-output',
      severity: 'problem',
      columns: ['val_pred_std_ratio'],
      headline: 'the net predicts nearly the same number for every input',
      seen,
      why: 'the hidden units may be dead (ReLUs stuck at zero) or the learning rate too small',
      fix: 'try a higher learning rate or leaky activations',
      sets: [setLr(run.config.train, lrOf(run.config.train) * 10)],
    };
  }
  const share = last.val_top_class_share;
  if (typeof share !== 'number' || share < COLLAPSE_CLASS_SHARE) return undefined;
  // A validation set of (nearly) one class should get one class: that is no collapse.
  const validation = run.class_counts?.validation;
  if (validation && Math.max(...validation) >= COLLAPSE_CLASS_SHARE * validation.reduce((s, x) => s + x, 0)) return undefined;
  return {
    code: 'collapsed-output',
    severity: 'problem',
    columns: ['val_top_class_share'],
    headline: 'the net predicts one class for nearly every sample',
    seen: `${fmt(share * 100)} % of the validation samples get the same class at epoch ${last.epoch}`,
    why: 'the net has collapsed onto one class: often a learning rate too small to leave the initial state, or too large so the ReLUs died',
    fix: 'compare learning rates around the current one',
    sets: [setLr(run.config.train, lrOf(run.config.train) * 10)],
  };
}

export function lossActivationMismatch(run: RunForDiagnosis): Finding | undefined {
  const { index, activation = 'linear', type } = outputLayer(run.config.model.layers);
  const loss = run.config.train.loss;
  const setActivation = (a: string) =>
    type === 'activation' ? `model.layers[${index}].activation.activation=${a}` : `model.layers[${index}].dense.activation=${a}`;
  switch (lossOutputMismatch(loss, activation, run.task, run.numClasses)) {
    case 'cross-entropy-without-softmax':
      return {
        code: 'loss-activation-mismatch',
        severity: 'problem',
        headline: 'the loss does not fit the output activation',
        seen: `${loss} on a ${activation} output`,
        why: 'cross-entropy expects a probability distribution; a non-softmax output makes the loss (and its gradients) meaningless',
        fix: 'end the model with a softmax',
        sets: [setActivation('softmax')],
      };
    case 'binary-without-sigmoid':
      return {
        code: 'loss-activation-mismatch',
        severity: 'problem',
        headline: 'the loss does not fit the output activation',
        seen: `binary_crossentropy on a ${activation} output`,
        why: 'binary cross-entropy expects one probability per sample, which a sigmoid gives',
        fix: 'end the model with a sigmoid',
        sets: [setActivation('sigmoid')],
      };
    case 'squared-error-on-classes':
      return {
        code: 'loss-activation-mismatch',
        severity: 'problem',
        headline: 'a regression loss on class labels',
        seen: `${loss} on one-hot class labels`,
        why: 'a squared or absolute error on one-hot targets gives weak gradients once outputs are near 0 or 1: training is slow and the outputs are poorly calibrated',
        fix: 'use categorical cross-entropy with a softmax output',
        sets: ['train.loss=categorical_crossentropy', setActivation('softmax')],
      };
    default:
      return undefined;
  }
}
