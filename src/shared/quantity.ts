import { higherIsBetter } from './history-contract.js';

/**
 * A number per run that comparisons pair across seeds: a metric's final or best value, its value at
 * an epoch, the area under its curve (its mean over epochs: level and speed in one number), or the
 * epochs it takes to reach a threshold (convergence speed). Specs name them in report.quantities.
 */
export type Quantity =
  | { kind: 'final' | 'best' | 'auc'; column: string; label: string }
  | { kind: 'at'; column: string; epoch: number; label: string }
  | { kind: 'epochs'; column: string; threshold: number; label: string };

const FORMS = 'final COLUMN, best COLUMN, auc COLUMN, COLUMN at epoch N, epochs to COLUMN ≥ VALUE (≤ for losses)';

/**
 * Read a quantity as a spec writes it; an error message (naming the forms) when it is none.
 * @example parseQuantity('epochs to accuracy >= 0.95') → {kind: 'epochs', column: 'accuracy', threshold: 0.95, label: 'epochs to accuracy ≥ 0.95'}
 */
export function parseQuantity(text: string): Quantity | { error: string } {
  const words = text.trim().split(/\s+/);
  const simple = /^(final|best|auc)$/.exec(words[0] ?? '');
  if (simple && words.length === 2) return quantity(simple[1] as 'final' | 'best' | 'auc', words[1]!);
  if (words.length === 4 && words[1] === 'at' && words[2] === 'epoch' && /^[1-9]\d*$/.test(words[3]!)) return atEpoch(words[0]!, Number(words[3]));
  const epochs = /^epochs to (\S+) *(>=|≥|<=|≤) *(\S+)$/.exec(words.join(' '));
  if (epochs && Number.isFinite(Number(epochs[3]))) {
    const [, column, op, value] = epochs;
    const wanted = higherIsBetter(column!) ? '≥' : '≤';
    if ((op === '>=' || op === '≥') !== (wanted === '≥'))
      return { error: `"${text}": ${column} ${wanted === '≥' ? 'rises' : 'falls'} as training improves, so the threshold is reached at ${wanted}` };
    return epochsTo(column!, Number(value));
  }
  return { error: `"${text}" is not a quantity; expected one of: ${FORMS}` };
}

export function quantity(kind: 'final' | 'best' | 'auc', column: string): Quantity {
  return { kind, column, label: `${kind} ${column}` };
}

function atEpoch(column: string, epoch: number): Quantity {
  return { kind: 'at', column, epoch, label: `${column} at epoch ${epoch}` };
}

export function epochsTo(column: string, threshold: number): Quantity {
  return { kind: 'epochs', column, threshold, label: `epochs to ${column} ${higherIsBetter(column) ? '≥' : '≤'} ${threshold}` };
}

/**
 * Whether a quantity needs an epoch a run of `epochs` epochs will not have ("loss at epoch 3" in a
 * quick one-epoch try): such quantities are left out, with a warning, rather than refusing the run.
 * @example isBeyondTraining(parseQuantity('loss at epoch 3'), 1) === true
 */
export function isBeyondTraining(q: Quantity, epochs: number): boolean {
  return q.kind === 'at' && q.epoch > epochs;
}

/** For a quantity, whether a larger value is the better outcome (fewer epochs to a threshold is better). */
export function largerIsBetter(q: Quantity): boolean {
  return q.kind === 'epochs' ? false : higherIsBetter(q.column);
}

/** The margin that applies to a quantity: report.margins by its column, or `epochs` for epochs-to-threshold. */
export function marginFor(q: Quantity, margins: Record<string, number>): number | undefined {
  return q.kind === 'epochs' ? margins.epochs : margins[q.column];
}
