import type { FactorValue } from '../shared/factor-value.js';
import { epochsTo, quantity, type Quantity } from '../shared/quantity.js';
import { pairVariants, type Pairing } from './pairing.js';
import type { RunForSummary } from './summarize.js';
import { decideVerdicts, type Decision, type VerdictOptions } from './verdicts.js';

export type Comparison = Pairing & Decision;

/**
 * Paired comparison along `factor`: within every combination of the other factors, each level
 * against the first (baseline), seed by seed, then verdicts over all of them at once (see
 * decideVerdicts: margins, Holm). Seeds pair up because a seed's data split, batch order and
 * shared-layer weights are the same in every variant.
 * @example compareVariants(variants, runs, 'bn', quantitiesFor(['loss', 'val_loss', 'val_accuracy'], {}))
 */
export function compareVariants(variants: Array<{ factors: Record<string, FactorValue> }>, runs: RunForSummary[], factor: string, quantities: Quantity[], options: VerdictOptions = {}): Comparison[] {
  return decideVerdicts(pairVariants(variants, runs, factor, quantities), options);
}

/** What to compare: the first validation metric's final and best value, final val_loss, epochs to each threshold, and the training loss curve's area. */
export function quantitiesFor(columns: string[], thresholds: Record<string, number> = {}): Quantity[] {
  const validation = columns.filter((c) => c.startsWith('val_'));
  const primary = validation.find((c) => c !== 'val_loss') ?? validation[0] ?? columns[0]!;
  const list: Quantity[] = [quantity('final', primary), quantity('best', primary)];
  if (primary !== 'val_loss' && validation.includes('val_loss')) list.push(quantity('final', 'val_loss'));
  for (const [column, threshold] of Object.entries(thresholds)) list.push(epochsTo(column, threshold));
  // Convergence on the training curve, as users judge it by eye (the first seed question did).
  if (columns.includes('loss')) list.push(quantity('auc', 'loss'));
  return list;
}

