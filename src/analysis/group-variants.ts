import type { RunConfig } from '../run/run-chain.js';
import { canonicalJson } from '../shared/canonical-json.js';
import type { FactorValue } from '../shared/factor-value.js';

/** The spec's own order of its grid factors and their levels; what is not in it sorts after, canonically. */
export interface FactorOrder {
  factors: string[];
  levels: Record<string, FactorValue[]>;
}

interface Grouping {
  /** Grid factors, then settings that differ between runs beyond the grid, named by their spec path. */
  factorNames: string[];
  variants: Array<{ factors: Record<string, FactorValue | null> }>;
  /** Index of each config's variant, in the order the configs were given. */
  variantOf: number[];
}

/**
 * Group runs into variants: runs whose configs are equal but for the seed are one variant. When runs
 * differ in a setting no grid factor explains (a shell loop's `--set train.batch_size=$bs`), that
 * setting becomes a factor named by its spec path (`train.batch_size`), so runs are never pooled
 * across settings. Variants are ordered by their factors' levels, so the grouping depends only on the
 * set of runs, not on the order they were trained in.
 * @example groupRuns([a, b], {factors: ['bn'], levels: {bn: [false, true]}}).factorNames → ['bn', 'train.batch_size']
 */
export function groupRuns(given: RunConfig[], order: FactorOrder): Grouping {
  const configs = withInferredFactors(given);
  const keyOf = (c: RunConfig) => canonicalJson({ factors: c.factors, settings: settingsOf(c) });
  const keys = [...new Set(configs.map(keyOf))];
  const representative = keys.map((k) => configs.find((c) => keyOf(c) === k)!);
  const grid = [
    ...order.factors.filter((f) => representative.some((c) => f in c.factors)),
    ...[...new Set(representative.flatMap((c) => Object.keys(c.factors)))].filter((f) => !order.factors.includes(f)).sort(),
  ];
  const derived = derivedFactors(representative, grid);
  const factorNames = [...grid, ...derived.map((d) => d.name)];
  const unsorted = representative.map((c, i) => ({
    key: keys[i]!,
    factors: Object.fromEntries([...grid.map((f) => [f, c.factors[f] ?? null] as const), ...derived.map((d) => [d.name, d.values[i]!] as const)]),
  }));
  const rank = factorNames.map((f) =>
    levelRank(
      unsorted.map((v) => v.factors[f]!),
      order.levels[f] ?? [],
    ),
  );
  const sorted = [...unsorted].sort((a, b) => {
    for (const [i, f] of factorNames.entries()) {
      const d = rank[i]!(a.factors[f]!) - rank[i]!(b.factors[f]!);
      if (d !== 0) return d;
    }
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  const index = new Map(sorted.map((v, i) => [v.key, i]));
  return { factorNames, variants: sorted.map((v) => ({ factors: v.factors })), variantOf: configs.map((c) => index.get(keyOf(c))!) };
}

/**
 * Runs trained before a grid factor existed (a plain `nnlab run`, then the same spec with
 * `sweep.grid.lr=[…]`) lack that factor, though their settings say its value: where one setting
 * determines the factor among the runs that have it, and the factor it (each level one value, each
 * value one level), a run without the factor takes the level its setting has — or, for a factor of
 * plain values, the setting's value itself, a level of its own. Otherwise the factor stays missing.
 */
function withInferredFactors(configs: RunConfig[]): RunConfig[] {
  const names = [...new Set(configs.flatMap((c) => Object.keys(c.factors)))];
  const leaves = configs.map((c) => flatten(settingsOf(c)));
  let out = configs;
  for (const f of names) {
    const having = configs.map((c, i) => i).filter((i) => f in configs[i]!.factors);
    if (having.length === configs.length) continue;
    const levelOf = (i: number) => canonicalJson(configs[i]!.factors[f] ?? null);
    const key = [...leaves[having[0]!]!.keys()].find((k) => {
      const byLevel = new Map<string, string>();
      const byValue = new Map<string, string>();
      return (
        new Set(having.map(levelOf)).size > 1 &&
        having.every((i) => {
          const value = canonicalJson(leaves[i]!.get(k)?.value ?? null);
          const level = levelOf(i);
          if ((byLevel.get(level) ?? value) !== value || (byValue.get(value) ?? level) !== level) return false;
          byLevel.set(level, value);
          byValue.set(value, level);
          return true;
        })
      );
    });
    if (key === undefined) continue;
    const levels = new Map(having.map((i) => [canonicalJson(leaves[i]!.get(key)?.value ?? null), configs[i]!.factors[f]!]));
    const plain = having.every((i) => typeof configs[i]!.factors[f] !== 'object' || configs[i]!.factors[f] === null);
    out = out.map((c, i) => {
      if (f in c.factors) return c;
      const value = leaves[i]!.get(key)?.value;
      const level =
        levels.get(canonicalJson(value ?? null)) ??
        (plain && value !== undefined && (typeof value !== 'object' || value === null) ? (value as FactorValue) : undefined);
      return level === undefined ? c : { ...c, factors: { ...c.factors, [f]: level } };
    });
  }
  return out;
}

/**
 * The settings two result sets were trained with that differ between them (not merely between
 * variants within each), by spec path, with each side's values: what `diff` says changed.
 * @example settingsThatDiffer(baselineConfigs, rerunConfigs) → [{setting: 'train.epochs', a: [20], b: [19]}]
 */
export function settingsThatDiffer(a: RunConfig[], b: RunConfig[]): Array<{ setting: string; a: Array<FactorValue | null>; b: Array<FactorValue | null> }> {
  const distinct = (configs: RunConfig[]) => [...new Map(configs.map((c) => [canonicalJson(settingsOf(c)), c])).values()];
  const sideA = distinct(a);
  const both = [...sideA, ...distinct(b)];
  if (sideA.length === 0 || both.length === sideA.length) return [];
  // Each side's levels in the canonical order (numbers by value: 5, 50, 100, 1024).
  const levels = (values: Array<FactorValue | null>) => {
    const rank = levelRank(values, []);
    return [...new Map(values.map((v) => [canonicalJson(v), v])).values()].sort((x, y) => rank(x) - rank(y));
  };
  return derivedFactors(both, [])
    .map((d) => ({ setting: d.name, a: levels(d.values.slice(0, sideA.length)), b: levels(d.values.slice(sideA.length)) }))
    .filter((d) => canonicalJson(d.a.map((v) => canonicalJson(v)).sort()) !== canonicalJson(d.b.map((v) => canonicalJson(v)).sort()));
}

/**
 * The --set lines that take a spec's single-valued settings to what every run on disk was trained
 * with (data.samples=2000 where the spec has 60000): a suggested rerun keeps what its user chose.
 * Grid factors, and settings the runs do not agree on, are left as the spec has them.
 * @example overridesOf(configsOfSpec, configsOnDisk) → ['data.samples=2000', 'train.epochs=3']
 */
export function overridesOf(specConfigs: RunConfig[], runConfigs: RunConfig[]): string[] {
  const text = (v: FactorValue | null) => (typeof v === 'string' && /^[\w.-]+$/.test(v) ? v : JSON.stringify(v));
  return settingsThatDiffer(specConfigs, runConfigs)
    .filter((d) => d.a.length === 1 && d.b.length === 1 && !d.setting.startsWith('data_files'))
    .map((d) => `${d.setting}=${text(d.b[0]!)}`);
}

/** What determines training besides the seed (and the factor labels). */
function settingsOf(c: RunConfig): Record<string, unknown> {
  return { data: c.data, ...(c.data_files ? { data_files: c.data_files } : {}), model: c.model, train: c.train };
}

interface DerivedFactor {
  name: string;
  values: Array<FactorValue | null>;
}

/**
 * Settings whose values differ between variants in a way the grid factors do not explain. Leaves
 * that always change together under one parent (an optimizer's type and its defaults) become one
 * factor named after the parent.
 */
function derivedFactors(variants: RunConfig[], grid: string[]): DerivedFactor[] {
  const leaves = variants.map((c) => flatten(settingsOf(c)));
  const paths = new Map<string, Path>();
  for (const l of leaves) for (const [key, { path }] of l) paths.set(key, path);
  const gridKey = variants.map((c) => canonicalJson(grid.map((f) => c.factors[f] ?? null)));
  const groups = new Map<string, Path[]>();
  for (const [key, path] of paths) {
    const values = leaves.map((l) => canonicalJson(l.get(key)?.value ?? null));
    if (new Set(values).size < 2 || explainedByGrid(values, gridKey)) continue;
    const partition = canonicalJson(values.map((v) => values.indexOf(v)));
    const group = `${partition}|${canonicalJson(path.slice(0, -1))}`;
    groups.set(group, [...(groups.get(group) ?? []), path]);
  }
  const factors = [...groups.values()].map((members) => {
    const path = members.length > 1 ? members[0]!.slice(0, -1) : members[0]!;
    return { name: specPathOf(path, variants[0]!), values: variants.map((c) => specForm(valueAt(settingsOf(c), path), path)) };
  });
  return factors.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Variants with the same grid values always agree on the setting: the grid explains it. */
function explainedByGrid(values: string[], gridKey: string[]): boolean {
  const seen = new Map<string, string>();
  return values.every((v, i) => {
    const known = seen.get(gridKey[i]!);
    if (known === undefined) seen.set(gridKey[i]!, v);
    return known === undefined || known === v;
  });
}

type Path = Array<string | number>;

/** Leaf values by path, keyed by the path's canonical JSON (file names in data_files hold dots). */
function flatten(value: unknown, path: Path = [], out = new Map<string, { path: Path; value: unknown }>()): Map<string, { path: Path; value: unknown }> {
  const entries = value !== null && typeof value === 'object' ? (Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)) : [];
  if (entries.length === 0) out.set(canonicalJson(path), { path, value });
  for (const [k, v] of entries) flatten(v, [...path, k], out);
  return out;
}

function valueAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, seg) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined), root);
}

const isTyped = (path: Path) =>
  (path.length === 3 && path[0] === 'model' && path[1] === 'layers' && typeof path[2] === 'number') ||
  (path.length === 2 && path[0] === 'train' && path[1] === 'optimizer');

/**
 * The spec path a user would --set for a config path: a layer's or optimizer's fields sit under their
 * type in the spec (`model.layers[2].dense.units`, `train.optimizer.adam.learning_rate`).
 */
function specPathOf(path: Path, sample: RunConfig): string {
  let out = '';
  path.forEach((seg, i) => {
    out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
    const prefix = path.slice(0, i + 1);
    if (isTyped(prefix) && i < path.length - 1 && path[i + 1] !== 'type') {
      const type = (valueAt(settingsOf(sample), prefix) as { type?: string } | undefined)?.type;
      if (type) out += `.${type}`;
    }
  });
  return out;
}

/** A layer or optimizer subtree in the spec's own form, `{adam: {learning_rate: 0.01}}`; other values as they are. */
function specForm(value: unknown, path: Path): FactorValue | null {
  if (value === undefined || value === null) return null;
  if (isTyped(path) && typeof value === 'object' && 'type' in value) {
    const { type, ...rest } = value as { type: string };
    return { [type]: rest };
  }
  return value as FactorValue;
}

/** A sort key for a factor's levels: the spec's order first, then null, false/true, numbers, text, mappings. */
function levelRank(values: Array<FactorValue | null>, specOrder: FactorValue[]): (v: FactorValue | null) => number {
  const known = specOrder.map((v) => canonicalJson(v));
  const rest = [...new Set(values.map((v) => canonicalJson(v)))].filter((k) => !known.includes(k)).sort(compareCanonical);
  const order = [...known, ...rest];
  return (v) => order.indexOf(canonicalJson(v));
}

function compareCanonical(a: string, b: string): number {
  const kind = (s: string) => (s === 'null' ? 0 : s === 'false' || s === 'true' ? 1 : /^-?[\d.]/.test(s) ? 2 : s.startsWith('"') ? 3 : 4);
  if (kind(a) !== kind(b)) return kind(a) - kind(b);
  if (kind(a) === 2) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
