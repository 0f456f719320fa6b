import type { FactorValue } from '../shared/factor-value.js';
import type { SpecPath } from './locate.js';

const VARIABLE = /\$\{([^}]*)\}/g;
/** A string that is exactly one reference: substituted, it takes the value's type. */
const WHOLE_VARIABLE = /^\$\{([^}]*)\}$/;

/**
 * Every `${name}` reference in a plain value, with where it is; with `wholeOnly`, only the fields
 * whose whole value is one reference.
 */
export function findVariables(value: unknown, path: SpecPath = [], wholeOnly = false): Array<{ name: string; path: SpecPath }> {
  if (typeof value === 'string') {
    const refs = wholeOnly ? [WHOLE_VARIABLE.exec(value)].filter((m) => m !== null) : [...value.matchAll(VARIABLE)];
    return refs.map((m) => ({ name: m[1]!.trim(), path }));
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findVariables(v, [...path, i], wholeOnly));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => findVariables(v, [...path, k], wholeOnly));
  return [];
}

/**
 * Replace `${name}` with grid values. A string that is exactly one reference takes the value's type
 * (`units: ${hidden}` becomes a number); a reference inside longer text is interpolated.
 * @example substituteVariables({units: '${h}'}, {h: 50}) → {units: 50}
 */
export function substituteVariables(value: unknown, bindings: Record<string, FactorValue>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_VARIABLE.exec(value);
    if (whole && whole[1]!.trim() in bindings) return bindings[whole[1]!.trim()];
    return value.replace(VARIABLE, (ref, name: string) => (name.trim() in bindings ? String(bindings[name.trim()]) : ref));
  }
  if (Array.isArray(value)) return value.map((v) => substituteVariables(v, bindings));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteVariables(v, bindings)]));
  }
  return value;
}

/**
 * All combinations of the grid, first factor slowest, values in spec order.
 * @example gridCombinations({a: [1, 2], b: [true]}) → [{a: 1, b: true}, {a: 2, b: true}]
 */
export function gridCombinations(grid: Record<string, FactorValue[]>): Array<Record<string, FactorValue>> {
  return Object.entries(grid).reduce<Array<Record<string, FactorValue>>>(
    (combos, [name, values]) => combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v }))),
    [{}],
  );
}

/** Grid factors no `${...}` refers to: sweeping them only repeats the same training. */
export function unusedFactors(rawSpec: unknown, grid: Record<string, FactorValue[]>): string[] {
  const used = new Set(findVariables(rawSpec).map((r) => r.name));
  return Object.keys(grid).filter((f) => !used.has(f));
}
