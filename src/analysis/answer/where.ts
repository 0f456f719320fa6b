import { canonicalJson } from '../../shared/canonical-json.js';
import { shortFactorValue, type FactorValue } from '../../shared/factor-value.js';

type Setting = Record<string, FactorValue>;

/**
 * Where something holds, in words, among `all` settings of the other factors: "" when it holds in
 * all of them; "at hidden=50–1024" (levels that follow each other in the grid joined); "where
 * output=sigmoid and target=none" when one or two factors' levels pick out exactly these settings;
 * otherwise "in 5 of 16 settings". `levels` gives each factor's levels in the grid's order.
 * @example describeWhere([{hidden: 50}, {hidden: 100}, {hidden: 1024}], [{hidden: 5}, {hidden: 50}, {hidden: 100}, {hidden: 1024}], {hidden: [5, 50, 100, 1024]}) === 'at hidden=50–1024'
 */
export function describeWhere(subset: Setting[], all: Setting[], levels: Record<string, FactorValue[]>): string {
  const keys = new Set(subset.map(canonicalJson));
  if (keys.size === 0) return 'nowhere';
  if (keys.size >= new Set(all.map(canonicalJson)).size) return '';
  const factors = Object.keys(all[0] ?? {});
  if (factors.length === 1)
    return `at ${levelList(
      factors[0]!,
      subset.map((s) => s[factors[0]!]!),
      all.map((s) => s[factors[0]!]!),
      levels,
      'and',
    )}`;
  const picks = (f: string) => [...new Map(subset.map((s) => [canonicalJson(s[f]), s[f]!])).values()];
  const picked = (chosen: string[]) => {
    const allowed = chosen.map((f) => new Set(picks(f).map(canonicalJson)));
    return all.filter((s) => chosen.every((f, i) => allowed[i]!.has(canonicalJson(s[f]))));
  };
  const text = (chosen: string[]) =>
    chosen
      .map((f) =>
        levelList(
          f,
          picks(f),
          all.map((s) => s[f]!),
          levels,
          'or',
        ),
      )
      .join(' and ');
  for (const chosen of combinations(factors)) {
    const hit = picked(chosen);
    if (new Set(hit.map(canonicalJson)).size === keys.size) return `where ${text(chosen)}`;
  }
  // No factors pick out exactly these settings: the largest group one or two of them pick out inside it.
  const total = new Set(all.map(canonicalJson)).size;
  let best: { chosen: string[]; count: number } | undefined;
  for (const chosen of combinations(factors).filter((c) => c.length <= 2)) {
    for (const values of valueTuples(chosen, subset)) {
      const inside = all.filter((s) => chosen.every((f, i) => canonicalJson(s[f]) === canonicalJson(values[i])));
      const count = new Set(inside.map(canonicalJson)).size;
      if (count > 1 && count * 2 > keys.size && inside.every((s) => keys.has(canonicalJson(s))) && (!best || count > best.count))
        best = { chosen: chosen.map((f, i) => `${f}=${formatLevel(f, values[i]!, levels)}`), count };
    }
  }
  return `in ${keys.size} of ${total} settings${best ? ` (all ${best.count} where ${best.chosen.join(' and ')}, and ${keys.size - best.count} more)` : ''}`;
}

/** Every non-empty set of factors, smallest first (in the factors' order within a size). */
function combinations(factors: string[]): string[][] {
  const out: string[][] = [];
  for (let mask = 1; mask < 2 ** factors.length; mask++) out.push(factors.filter((_, i) => mask & (2 ** i)));
  return out.sort((a, b) => a.length - b.length);
}

/** The combinations of `chosen` factors' values that occur in `settings`. */
function valueTuples(chosen: string[], settings: Setting[]): FactorValue[][] {
  return [...new Map(settings.map((s) => [canonicalJson(chosen.map((f) => s[f])), chosen.map((f) => s[f]!)])).values()];
}

/** Every setting, in words: "at every hidden value" (or "at any hidden value", after a negation), "in every setting of the other factors". */
export function everywhere(all: Setting[], word: 'every' | 'any' = 'every'): string {
  const factors = Object.keys(all[0] ?? {});
  if (factors.length === 0) return '';
  return factors.length === 1 ? `at ${word} ${factors[0]} value` : `in ${word} setting of the other factors`;
}

/**
 * A level as the answer names it: as tables do, but a mapping such as {adam: {learning_rate: 0.001}}
 * by its key alone when that tells the factor's levels apart ("optimizer=adam").
 * @example formatLevel('optimizer', {adam: {learning_rate: 0.001}}, {optimizer: [{sgd: {}}, {adam: {}}]}) === 'adam'
 */
export function formatLevel(factor: string, value: FactorValue, levels: Record<string, FactorValue[]>): string {
  return shortFactorValue(value, levels[factor] ?? []);
}

/**
 * `hidden=50–1024`, `lr=0.01 and 0.1` (`or` in a where-clause), `split=tail`: a factor's chosen
 * levels in the grid's order, runs of neighbours (among the levels present) joined by a dash.
 */
function levelList(factor: string, chosen: FactorValue[], present: FactorValue[], levels: Record<string, FactorValue[]>, joiner: 'and' | 'or'): string {
  const order = orderOf(factor, present, levels);
  const wanted = new Set(chosen.map(canonicalJson));
  const runs: FactorValue[][] = [];
  let current: FactorValue[] = [];
  for (const level of order) {
    if (wanted.has(canonicalJson(level))) current.push(level);
    else if (current.length) {
      runs.push(current);
      current = [];
    }
  }
  if (current.length) runs.push(current);
  const name = (v: FactorValue) => formatLevel(factor, v, levels);
  const parts = runs.flatMap((r) => (r.length >= 3 ? [`${name(r[0]!)}–${name(r[r.length - 1]!)}`] : r.map(name)));
  const joined = parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} ${joiner} ${parts[parts.length - 1]}`;
  return `${factor}=${joined}`;
}

/** The levels present, in the grid's order (those the grid does not list after, in order of appearance). */
function orderOf(factor: string, present: FactorValue[], levels: Record<string, FactorValue[]>): FactorValue[] {
  const seen = new Map(present.map((v) => [canonicalJson(v), v]));
  const grid = (levels[factor] ?? []).filter((v) => seen.has(canonicalJson(v)));
  const rest = [...seen.values()].filter((v) => !grid.some((g) => canonicalJson(g) === canonicalJson(v)));
  return [...grid, ...rest];
}
