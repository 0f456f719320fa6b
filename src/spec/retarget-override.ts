import { stringify } from 'yaml';
import type { SpecPath } from './locate.js';
import { isUnderPath, parseOverride } from './overrides.js';
import type { FactorValue } from '../shared/factor-value.js';

/** A spec field whose whole value is `${name}`, name being a grid factor (see findVariables). */
export interface VariableField {
  name: string;
  path: SpecPath;
}

/**
 * A `--set` worked out on one variant's resolved config, rewritten for the spec it came from. Where
 * the path is a `${factor}` field, setting it would replace the variable in every variant (and under
 * a templated mapping such as `optimizer: ${opt}` it cannot be set at all), so the suggestion narrows
 * that factor's grid to the changed value instead; other paths are returned unchanged.
 * @example retargetOverride('model.layers[2].dense.activation=linear', [{name: 'output', path: ['model', 'layers', 2, 'dense', 'activation']}], {output: 'sigmoid'})
 *   → 'sweep.grid.output=[linear]'
 */
export function retargetOverride(text: string, variables: VariableField[], factors: Record<string, FactorValue>): string {
  const parsed = parseOverride(text);
  if ('error' in parsed) return text;
  const field = variables.find((v) => isUnderPath(parsed.path, v.path));
  if (!field || !(field.name in factors)) return text;
  const rest = parsed.path.slice(field.path.length);
  const value = rest.length === 0 ? parsed.value : setIn(factors[field.name], rest, parsed.value);
  if (value === undefined) return text;
  return `sweep.grid.${field.name}=${stringify([value], { collectionStyle: 'flow', flowCollectionPadding: false }).trim()}`;
}

/** A copy of `base` with `value` at `path`, or undefined when `base` has no such place. */
function setIn(base: unknown, path: SpecPath, value: unknown): unknown {
  if (path.length === 0) return value;
  if (!base || typeof base !== 'object') return undefined;
  const [key, ...rest] = path;
  const inner = setIn((base as Record<string | number, unknown>)[key!], rest, value);
  if (inner === undefined) return undefined;
  return Array.isArray(base) ? base.map((v, i) => (i === key ? inner : v)) : { ...base, [key!]: inner };
}
