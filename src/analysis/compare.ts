import type { FactorValue } from '../shared/factor-value.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { epochsTo, quantity, type Quantity } from '../shared/quantity.js';
import { isPredictionStat, isTargetUnitColumn } from '../shared/history-contract.js';
import { pairVariants, type Pairing } from './pairing.js';
import type { RunForSummary } from './summarize.js';
import { isTrendFactor, pairTrends, type Trend, type TrendPairing } from './trends.js';
import { decideAll, decideVerdicts, type Decision, type VerdictOptions } from './verdicts.js';

export type Comparison = Pairing & Decision;

/** Everything a report concludes: paired comparisons (a level against the baseline) and trends (along a numeric factor). */
export interface Verdicts {
  comparisons: Comparison[];
  trends: Trend[];
}

/**
 * Paired comparison along `factor`: within every combination of the other factors, each level
 * against the first (baseline), seed by seed, then verdicts over all of them at once (see
 * decideVerdicts: margins, Holm). Seeds pair up because a seed's data split, batch order and
 * shared-layer weights are the same in every variant.
 * @example compareVariants(variants, runs, 'bn', quantitiesFor(['loss', 'val_loss', 'val_accuracy'], {}))
 */
export function compareVariants(
  variants: Array<{ factors: Record<string, FactorValue> }>,
  runs: RunForSummary[],
  factor: string,
  quantities: Quantity[],
  options: VerdictOptions = {},
): Comparison[] {
  return decideVerdicts(pairVariants(variants, runs, factor, quantities), options);
}

/**
 * Every factor the question names, each judged within the others and all decided together (one
 * Holm family): a numeric factor of three or more levels by its trend, any other by each level
 * against its first.
 * @example compareFactors(variants, runs, ['output', 'optimizer'], quantities).comparisons.length
 */
export function compareFactors(
  variants: Array<{ factors: Record<string, FactorValue> }>,
  runs: RunForSummary[],
  factors: string[],
  quantities: Quantity[],
  options: VerdictOptions = {},
): Verdicts {
  const pairings: Pairing[] = [];
  const trends: TrendPairing[] = [];
  for (const factor of factors) {
    const levels = [...new Map(variants.map((v) => [canonicalJson(v.factors[factor]), v.factors[factor]!])).values()];
    if (isTrendFactor(levels)) trends.push(...pairTrends(variants, runs, factor, quantities));
    else pairings.push(...pairVariants(variants, runs, factor, quantities));
  }
  return decideAll(pairings, trends, options);
}

/**
 * What to compare by default: the first validation metric's final and best value (a regression
 * error in the target's own units before the scaled one), final val_loss, epochs to each
 * threshold, and the training loss curve's area.
 */
export function quantitiesFor(columns: string[], thresholds: Record<string, number> = {}): Quantity[] {
  const validation = columns.filter((c) => c.startsWith('val_') && !isPredictionStat(c));
  const primary = validation.find(isTargetUnitColumn) ?? validation.find((c) => c !== 'val_loss') ?? validation[0] ?? columns[0]!;
  const list: Quantity[] = [quantity('final', primary), quantity('best', primary)];
  if (primary !== 'val_loss' && validation.includes('val_loss')) list.push(quantity('final', 'val_loss'));
  for (const [column, threshold] of Object.entries(thresholds)) list.push(epochsTo(column, threshold));
  // Convergence on the training curve, as users judge it by eye (the first seed question did).
  if (columns.includes('loss')) list.push(quantity('auc', 'loss'));
  return list;
}
