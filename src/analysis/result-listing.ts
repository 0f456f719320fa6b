import { higherIsBetter, isPredictionStat } from '../shared/history-contract.js';
import { variantLabel } from '../shared/factor-value.js';
import type { VariantSummary } from './summarize.js';
import { NnlabError } from '../shared/errors.js';

/** A variant's factors and run counts by status, as summary.json keeps them. */
type Counted = Pick<VariantSummary, 'factors' | 'runs' | 'ok' | 'diverged' | 'failed' | 'missing'>;

/** What `nnlab ls` needs of one saved variant (summary.json's entry). */
interface SavedVariant extends Counted {
  metrics?: Record<string, { final_mean: number | null; final_std: number | null }>;
}

/** One row of `nnlab ls`: a variant of a result set with its final validation metrics over seeds. */
export interface ListedVariant extends Counted {
  experiment: string;
  dir: string;
  variant: string;
  /** Final value over seeds of every validation metric (the prediction statistics and original-unit errors aside). */
  metrics: Record<string, { mean: number | null; std: number | null }>;
}

/** The validation metrics worth a column: val_loss and the metrics beside it, not the descriptive statistics. */
const headline = (column: string) => column.startsWith('val_') && !isPredictionStat(column) && !column.endsWith('_original');

/**
 * Every variant of every result set, in the order given (sets) and saved (variants).
 * @example listVariants([{experiment: 'bn-vs-nobn', dir: 'results/bn-vs-nobn', variants}])[0].variant === 'hidden=5 bn=false'
 */
export function listVariants(sets: ReadonlyArray<{ experiment: string; dir: string; variants: readonly SavedVariant[] }>): ListedVariant[] {
  return sets.flatMap((set) =>
    set.variants.map((v) => ({
      experiment: set.experiment,
      dir: set.dir,
      variant: variantLabel(v.factors),
      factors: v.factors,
      runs: v.runs,
      ok: v.ok,
      diverged: v.diverged,
      failed: v.failed,
      missing: v.missing,
      metrics: Object.fromEntries(
        Object.entries(v.metrics ?? {})
          .filter(([c]) => headline(c))
          .map(([c, s]) => [c, { mean: s.final_mean, std: s.final_std }]),
      ),
    })),
  );
}

/** The metric columns of a listing: the non-loss metrics first (accuracy, mae), then val_loss. */
export function metricColumns(rows: readonly ListedVariant[]): string[] {
  const all = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))];
  return [...all.filter((c) => c !== 'val_loss').sort(), ...all.filter((c) => c === 'val_loss')];
}

/**
 * Rows sorted by `key`: a metric (best first: highest accuracy, lowest loss; variants without it
 * last), `experiment`, or `runs` (most first). Ties keep their order.
 */
export function sortVariants(rows: readonly ListedVariant[], key: string): ListedVariant[] {
  const metrics = metricColumns(rows);
  if (key === 'experiment') return [...rows].sort((a, b) => (a.experiment < b.experiment ? -1 : a.experiment > b.experiment ? 1 : 0));
  if (key === 'runs') return [...rows].sort((a, b) => b.runs - a.runs);
  if (!metrics.includes(key))
    throw new NnlabError('NNLAB_USAGE', `--sort ${key}: not a column here; sort by ${['experiment', 'runs', ...metrics].join(', ')}.`);
  const sign = higherIsBetter(key) ? -1 : 1;
  const value = (r: ListedVariant) => r.metrics[key]?.mean ?? null;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
    return sign * (x - y);
  });
}
