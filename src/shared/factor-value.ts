/**
 * A factor's value in one variant: a grid value (a scalar, or a mapping such as
 * {sgd: {learning_rate: 1e-8}} substituted whole), or a setting's value; null where a run has none.
 */
export type FactorValue = string | number | boolean | { [key: string]: unknown } | null;

/**
 * How a factor value is written in labels, tables and run ids: scalars as they are, mappings compactly.
 * @example formatFactorValue({sgd: {learning_rate: 1e-8}}) === 'sgd(learning_rate=1e-8)'
 */
export function formatFactorValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(formatFactorValue).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && entries[0]![1] !== null && typeof entries[0]![1] === 'object' && !Array.isArray(entries[0]![1])) {
    const [key, inner] = entries[0]!;
    return `${key}(${Object.entries(inner as Record<string, unknown>)
      .map(([k, v]) => `${k}=${formatFactorValue(v)}`)
      .join(',')})`;
  }
  return `{${entries.map(([k, v]) => `${k}=${formatFactorValue(v)}`).join(',')}}`;
}

/**
 * A factor's level by a shorter name where its levels are mappings told apart by their one key
 * ({sgd: {…}} and {adam: {…}}: `sgd`, `adam`); the full text otherwise. Tables and the answer use it,
 * with the full text said once beside them.
 * @example shortFactorValue({adam: {learning_rate: 0.001}}, [{sgd: {}}, {adam: {}}]) === 'adam'
 */
export function shortFactorValue(value: unknown, levels: readonly unknown[]): string {
  const keyOf = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 ? Object.keys(v)[0]! : undefined);
  const keys = levels.map(keyOf);
  const own = keyOf(value);
  if (own !== undefined && keys.every((k) => k !== undefined) && new Set(keys).size === levels.length) return own;
  return formatFactorValue(value);
}

/**
 * `hidden=50 bn=true` — how a variant (or any set of factor values) is named in tables, verdicts,
 * logs and findings; `all` when there are none.
 * @example variantLabel({hidden: 50, bn: true}) === 'hidden=50 bn=true'
 */
export function variantLabel(factors: Record<string, unknown>, separator = ' '): string {
  const parts = Object.entries(factors).map(([k, v]) => `${k}=${formatFactorValue(v)}`);
  return parts.length ? parts.join(separator) : 'all';
}
