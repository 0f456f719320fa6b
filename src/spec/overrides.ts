import { parse as parseYaml } from 'yaml';
import type { SpecPath } from './locate.js';

export interface Override {
  text: string;
  path: SpecPath;
  value: unknown;
}

/**
 * `--set path=value`; the path is dotted with `[i]` indexes, the value is YAML.
 * @example parseOverride('sweep.grid.hidden=[10,20]') → {path: ['sweep','grid','hidden'], value: [10, 20]}
 */
export function parseOverride(text: string): Override | { error: string } {
  const eq = text.indexOf('=');
  if (eq <= 0) return { error: 'expected path=value, e.g. --set train.epochs=30' };
  const pathText = text.slice(0, eq).trim();
  const path: Array<string | number> = [];
  for (const part of pathText.split('.')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)$/.exec(part);
    if (!m)
      return {
        error: `"${pathText}" is not a field path; expected names separated by dots, e.g. train.optimizer.adam.learning_rate or model.layers[2].dense.units`,
      };
    path.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) path.push(Number(idx[1]));
  }
  try {
    const raw = text.slice(eq + 1);
    return { text, path, value: raw.trim() === '' ? null : parseYaml(raw) };
  } catch (err) {
    return { error: `the value is not valid YAML (${(err as Error).message.split('\n')[0]})` };
  }
}

/** True when `inner` is `outer` or lies under it. */
export function isUnderPath(inner: SpecPath, outer: SpecPath): boolean {
  return outer.length <= inner.length && outer.every((seg, i) => inner[i] === seg);
}
