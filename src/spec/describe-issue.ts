import { closest } from './closest-name.js';
import type { z } from 'zod';
import type { SpecPath } from './locate.js';
import { LAYER_TYPES, layerBodySchemas, OPTIMIZERS, optimizerBodySchemas, specSchema } from './schema.js';

/**
 * Turn a zod issue into nnlab messages: what was expected, then what was given
 * (`expected a positive integer, got -3`). Unknown keys become one issue per key, at the key.
 */
export function describeZodIssue(issue: z.core.$ZodIssue): Array<{ path: SpecPath; message: string; atKey?: boolean }> {
  const path = issue.path as SpecPath;
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key "${key}"${suggestKey(key, issue)}`, atKey: true }));
  }
  const input = (issue as { input?: unknown }).input;
  const expected = issue.message.startsWith('expected') ? issue.message : `expected ${defaultExpectation(issue)}`;
  if (input === undefined && issue.code === 'invalid_type') return [{ path, message: `missing; ${expected}` }];
  if (issue.code === 'custom') return [{ path, message: issue.message, atKey: issue.message.startsWith('unknown ') }];
  if (input === undefined) return [{ path, message: expected }];
  const options = issue.code === 'invalid_value' ? issue.values.map(String) : [];
  const near = typeof input === 'string' ? closest(input, options) : undefined;
  return [{ path, message: `${expected}, got ${showValue(input)}${near ? ` (did you mean "${near}"?)` : ''}` }];
}

function defaultExpectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'too_small':
      return `a value ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `a value ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message.toLowerCase();
  }
}

/** A short, unambiguous rendering of a given value for a message. */
function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** Every key the spec schema knows, for "did you mean" (zod's issue does not say which keys were allowed). */
const KNOWN_KEYS: string[] = (() => {
  const keys = new Set<string>();
  const walk = (schema: unknown, depth: number): void => {
    const def = (schema as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
    if (!def || depth > 30) return;
    if (def.type === 'object') {
      for (const [key, inner] of Object.entries(def.shape as Record<string, unknown>)) {
        keys.add(key);
        walk(inner, depth + 1);
      }
    } else if (['optional', 'default', 'nullable', 'prefault'].includes(def.type as string)) walk(def.innerType, depth + 1);
    else if (def.type === 'array') walk(def.element, depth + 1);
    else if (def.type === 'union') for (const option of def.options as unknown[]) walk(option, depth + 1);
    else if (def.type === 'pipe') {
      walk(def.in, depth + 1);
      walk(def.out, depth + 1);
    } else if (def.type === 'record') walk(def.valueType, depth + 1);
  };
  walk(specSchema, 0);
  for (const body of [...Object.values(layerBodySchemas), ...Object.values(optimizerBodySchemas)]) walk(body, 0);
  return [...keys, ...LAYER_TYPES, ...OPTIMIZERS];
})();

function suggestKey(key: string, _issue: z.core.$ZodIssue): string {
  const best = closest(key, KNOWN_KEYS);
  return best ? ` (did you mean "${best}"?)` : '';
}
