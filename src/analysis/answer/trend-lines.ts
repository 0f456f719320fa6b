import { canonicalJson } from '../../shared/canonical-json.js';
import type { FactorValue } from '../../shared/factor-value.js';
import type { Trend } from '../trends.js';
import { plainLabel, short } from './effect-phrase.js';
import { describeWhere, everywhere } from './where.js';
import { SIDES, sideOf } from './sides.js';

/** Of a rise (or fall) from the first level to the last, the share after which the answer says "most of it by …". */
const MOST = 0.9;

/**
 * The answer's lines for a factor judged by its trend: per side, each quantity's direction from the
 * first level to the last, in how many seeds, and where most of the change has happened.
 * @example trendLines(trends, levels) → ['Validation — as n grows (500 → 10000): val_accuracy at epoch 1 rises from 0.78 to 0.95 in 3/3 seeds, most of it by n=2000.']
 */
export function trendLines(trends: Trend[], levels: Record<string, FactorValue[]>): string[] {
  const { factor, levels: values } = trends[0]!;
  const all = [...new Map(trends.map((t) => [canonicalJson(t.others), t.others])).values()];
  const out: string[] = [];
  for (const side of SIDES) {
    const mine = trends.filter((t) => sideOf(t.quantity.column) === side);
    if (mine.length === 0) continue;
    const phrases = [...new Set(mine.map((t) => t.quantity.label))].map((label) =>
      quantityPhrase(
        mine.filter((t) => t.quantity.label === label),
        all,
        levels,
      ),
    );
    out.push(`${side} — as ${factor} grows (${values[0]} → ${values[values.length - 1]}): ${phrases.join('; ')}.`);
  }
  return out;
}

function quantityPhrase(trends: Trend[], all: Array<Record<string, FactorValue>>, levels: Record<string, FactorValue[]>): string {
  const q = trends[0]!.quantity;
  const where = (ts: Trend[]) =>
    describeWhere(
      ts.map((t) => t.others),
      all,
      levels,
    ) || everywhere(all);
  const parts: string[] = [];
  for (const outcome of ['rising', 'falling'] as const) {
    const shown = trends.filter((t) => t.outcome === outcome);
    if (shown.length === 0) continue;
    const first = shown.map((t) => t.means[0]).filter((m): m is number => m !== null);
    const last = shown.map((t) => t.means[t.means.length - 1]).filter((m): m is number => m !== null);
    const span = (xs: number[]) =>
      Math.min(...xs) === Math.max(...xs)
        ? short(xs[0]!, q.kind === 'epochs')
        : `${short(Math.min(...xs), q.kind === 'epochs')}–${short(Math.max(...xs), q.kind === 'epochs')}`;
    const fromTo = first.length && last.length ? ` from ${span(first)} to ${span(last)}` : '';
    const seeds = shown.map((t) => `${outcome === 'rising' ? t.stats.rising : t.stats.falling}/${t.stats.n}`);
    const most = shown.length === 1 ? mostBy(shown[0]!) : '';
    parts.push(`${plainLabel(q)} ${outcome === 'rising' ? 'rises' : 'falls'}${fromTo} ${where(shown)} (in ${[...new Set(seeds)].join(', ')} seeds${most})`);
  }
  const flat = trends.filter((t) => t.outcome === 'no trend');
  if (flat.length) parts.push(`${plainLabel(q)} shows no clear trend ${where(flat)}`);
  return parts.map((p) => p.replace(/\s+/g, ' ').trim()).join('; ');
}

/** ", most of it by n=2000" when 90 % of the change from the first level to the last is reached before the last. */
function mostBy(t: Trend): string {
  const m = t.means;
  const first = m[0];
  const last = m[m.length - 1];
  if (first === null || first === undefined || last === null || last === undefined || first === last) return '';
  const at = m.findIndex((v) => v !== null && (v - first) / (last - first) >= MOST);
  return at >= 0 && at < m.length - 1 ? `; most of it by ${t.factor}=${t.levels[at]}` : '';
}
