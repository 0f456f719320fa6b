import { canonicalJson } from '../../shared/canonical-json.js';
import type { FactorValue } from '../../shared/factor-value.js';
import type { VariantDiagnosis } from '../diagnose.js';
import { describeWhere } from './where.js';

/** The answer quotes at most this many of the doctor's problems; nnlab doctor lists them all. */
const MOST_FINDINGS = 3;

/**
 * The doctor's causes, as the answer gives them: each problem with where it was found, described by
 * the factors that pick out its variants ("where split=tail"), its headline and how many runs
 * showed it. Problems that follow a compared factor come first: they explain the effect.
 * @example doctorLines(['split'], variants, diagnoses, levels) → ['nnlab doctor finds: where split=tail, the validation split holds other classes than training (validation-classes-differ, 20/20 runs).']
 */
export function doctorLines(
  compare: string[],
  variants: Array<{ factors: Record<string, FactorValue>; metrics?: Record<string, { best_epoch_mean: number | null }> | undefined }>,
  diagnoses: VariantDiagnosis[],
  levels: Record<string, FactorValue[]>,
  most = MOST_FINDINGS,
): string[] {
  // One entry per cause: a code whose headline differs between variants (collapsed-output from a
  // bounded output here, from a tiny learning rate there) is two causes, each with its own place.
  const byCause = new Map<string, { code: string; headline: string; onset?: string; variants: number[]; count: number; runs: number }>();
  for (const d of diagnoses) {
    for (const f of d.findings) {
      if (f.severity !== 'problem') continue;
      const key = `${f.code}\u0000${f.headline}`;
      const entry = byCause.get(key) ?? { code: f.code, headline: f.headline, ...(f.onset ? { onset: f.onset } : {}), variants: [], count: 0, runs: 0 };
      entry.variants.push(d.variant);
      entry.count += f.count;
      entry.runs += d.runs;
      byCause.set(key, entry);
    }
  }
  if (byCause.size === 0) return [];
  const all = variants.map((v) => v.factors);
  const items = [...byCause.values()].map((e) => {
    const code = e.code;
    // "at split=tail" reads as a place; a variant is "with" its settings.
    const where = describeWhere(
      e.variants.map((i) => variants[i]!.factors),
      all,
      levels,
    ).replace(/^at /, 'with ');
    const follows = compare.some((f) => where.includes(`${f}=`));
    return { code, e, where, follows };
  });
  // Stable: findings that follow a compared factor first, then in the doctor's own order.
  const ordered = [...items.filter((i) => i.follows), ...items.filter((i) => !i.follows)];
  const quoted = ordered
    .slice(0, most)
    .map(({ code, e, where }) => `${where ? `${where}, ` : 'in every variant, '}${e.headline}${onsetText(e, variants)} (${code}, ${e.count}/${e.runs} runs)`);
  const more = ordered.length > most ? `; ${ordered.length - most} more in nnlab doctor` : '';
  return [`nnlab doctor finds: ${unique(quoted).join('; ')}${more}.`];
}

/** " after epoch 9–14, its best (mean over seeds)": when the onset column was best, from the variants' summaries, not one run's. */
function onsetText(
  e: { onset?: string; variants: number[] },
  variants: Array<{ metrics?: Record<string, { best_epoch_mean: number | null }> | undefined }>,
): string {
  if (!e.onset) return '';
  const epochs = e.variants
    .map((v) => variants[v]?.metrics?.[e.onset!]?.best_epoch_mean)
    .filter((x): x is number => typeof x === 'number')
    .map((x) => Math.round(x));
  if (epochs.length === 0) return '';
  const lo = Math.min(...epochs);
  const hi = Math.max(...epochs);
  return ` after epoch ${lo === hi ? lo : `${lo}–${hi}`}, where ${e.onset} is lowest (mean over seeds)`;
}

function unique(items: string[]): string[] {
  return [...new Map(items.map((i) => [canonicalJson(i), i])).values()];
}
