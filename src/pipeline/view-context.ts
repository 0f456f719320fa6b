import type { FactorOrder } from '../analysis/group-variants.js';
import { NnlabError } from '../shared/errors.js';
import { isBeyondTraining, parseQuantity, type Quantity } from '../shared/quantity.js';
import type { AdaptiveSeeds } from '../spec/schema.js';
import type { SavedSummary } from '../results/read-summary.js';
import type { FactorValue } from '../shared/factor-value.js';
import type { ValidatedSpec } from '../spec/validate.js';
import type { RunPlan } from '../sweep/expand.js';
import type { ViewContext } from './results-view.js';

/**
 * What `nnlab run` summarizes: the experiment as its spec says, the runs its plan expects (every
 * shard's), and the spec file's own grid order (before --set), which every invocation shares.
 */
export function contextFromSpec(spec: ValidatedSpec, plan: RunPlan): ViewContext {
  const lastEpoch = Math.max(...spec.variants.map((v) => v.spec.train.epochs));
  // Factors a --set added keep the order of the variants; sampled ones sort by value (levelRank's canonical order).
  const sampled = new Set((spec.sampled ?? []).map((f) => f.name));
  const levels = { ...spec.fileGrid };
  for (const v of spec.variants) {
    for (const [f, value] of Object.entries(v.factors)) if (!(f in spec.fileGrid) && !sampled.has(f)) levels[f] = [...new Set([...(levels[f] ?? []), value])];
  }
  return {
    experiment: spec.name,
    ...(spec.question !== undefined ? { question: spec.question } : {}),
    order: { factors: [...Object.keys(spec.fileGrid), ...spec.factorNames.filter((f) => !(f in spec.fileGrid))], levels },
    compare: spec.report.compare ?? [],
    thresholds: spec.report.threshold ?? {},
    // Quantities and epochs after the last one trained are left out (pre-flight warns of it).
    atEpochs: (spec.report.at_epochs ?? []).filter((e) => e <= lastEpoch),
    ...(spec.report.quantities ? { quantities: spec.report.quantities.map(readQuantity).filter((q) => !isBeyondTraining(q, lastEpoch)) } : {}),
    margins: spec.report.margins ?? {},
    looks: spec.adaptiveSeeds ? roundsOf(spec.adaptiveSeeds) : 1,
    ...(spec.adaptiveSeeds ? { seedsMax: spec.adaptiveSeeds.max } : {}),
    variables: spec.variables,
    ...(spec.sampled ? { sampled: spec.sampled } : {}),
    planned: plan.runs.map((r) => ({ id: r.id, config: r.config })),
  };
}

/** What `nnlab report` re-summarizes: the experiment as its last summary.json describes it. */
export function contextFromSummary(saved: SavedSummary, compare: string[] = saved.compare ?? []): ViewContext {
  return {
    experiment: saved.experiment,
    ...(saved.question !== undefined ? { question: saved.question } : {}),
    order: savedOrder(saved),
    compare,
    thresholds: Object.fromEntries((saved.variants[0]?.thresholds ?? []).map((t) => [t.column, t.threshold])),
    atEpochs: [...new Set((saved.variants[0]?.at_epochs ?? []).map((a) => a.epoch))],
    ...(saved.quantities ? { quantities: saved.quantities.map(readQuantity) } : {}),
    margins: saved.margins ?? {},
    looks: saved.looks ?? 1,
    ...(saved.seeds_max !== undefined ? { seedsMax: saved.seeds_max } : {}),
    variables: saved.variables ?? [],
    ...(saved.sampled ? { sampled: saved.sampled } : {}),
    planned: [],
    saved: saved.variants,
  };
}

/** The grid order a summary was written with; summaries older than that field: its variants' order. */
function savedOrder(saved: SavedSummary): FactorOrder {
  if (saved.grid) return { factors: saved.factors.filter((f) => f in saved.grid!), levels: saved.grid };
  const levels: Record<string, FactorValue[]> = {};
  for (const f of saved.factors) levels[f] = [...new Map(saved.variants.map((v) => [JSON.stringify(v.factors[f]), v.factors[f]!])).values()];
  return { factors: saved.factors, levels };
}

/** The most rounds an adaptive sweep can take: the first (min seeds), then one per step up to max. */
export function roundsOf(adaptive: AdaptiveSeeds): number {
  return 1 + Math.ceil((adaptive.max - adaptive.min) / adaptive.step);
}

/** A quantity the spec (or a summary it wrote) names; both were validated when written. */
function readQuantity(text: string): Quantity {
  const q = parseQuantity(text);
  if ('error' in q) throw new NnlabError('NNLAB_RESULTS_INVALID', `Reading report.quantities failed: ${q.error}.`);
  return q;
}
