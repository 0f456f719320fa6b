import type { Document } from 'yaml';
import type { z } from 'zod';
import type { SpecIssue } from '../shared/errors.js';
import { formatPath, locatePath, type SpecPath } from './locate.js';
import { isUnderPath } from './overrides.js';
import { findVariables, gridCombinations, substituteVariables, unusedFactors } from './substitute.js';
import { specSchema, sweepSchema, type AdaptiveSeeds, type Spec } from './schema.js';
import type { FactorValue } from '../shared/factor-value.js';
import { describeZodIssue } from './describe-issue.js';
import type { VariableField } from './retarget-override.js';
import { variantLabel } from '../shared/factor-value.js';
import { applyOverrides } from './apply-overrides.js';
import { MAX_ALIAS_COUNT, parseSpecYaml } from './parse-yaml.js';
import { normalizeKerasNames } from './keras-names.js';
import { closest } from './closest-name.js';
import { sampleSpace } from './random-space.js';

/** One point of the grid: the factor values and the spec with them substituted. */
interface Variant {
  factors: Record<string, FactorValue>;
  spec: Spec;
}

export interface ValidatedSpec {
  file: string;
  name: string;
  question?: string;
  factorNames: string[];
  /** Every variant's seeds; with adaptive seeds the first round's (1..min). */
  seeds: number[];
  /** sweep.seeds: {min, max, until: decided}: more seeds, round by round, where comparisons are undecided. */
  adaptiveSeeds?: AdaptiveSeeds;
  report: Spec['report'];
  variants: Variant[];
  /** Fields whose whole value is `${factor}` (after --set), for turning suggestions into grid changes. */
  variables: VariableField[];
  /** The grid as the file writes it, before --set: the level order every invocation of this spec shares. */
  fileGrid: Record<string, FactorValue[]>;
  /** sweep.random's factors, in the space's order (log: drawn log-uniformly, so plotted on a log axis). */
  sampled?: SampledFactor[];
}

export interface SampledFactor {
  name: string;
  log: boolean;
}

/** Where a spec path is: its line and column in the file, or the --set it came from. */
type Locate = (path: SpecPath, atKey?: boolean) => Pick<SpecIssue, 'file' | 'line' | 'col' | 'origin'>;

export interface ValidationResult {
  value?: ValidatedSpec;
  /** Errors and warnings; `value` is absent when any is an error. */
  issues: SpecIssue[];
  /** Locates later checks' issues (the pre-flight rules) the way these were located. */
  locate?: Locate;
}

/** A sweep larger than this is a typo, not a plan (it would also be expanded in memory). */
const MAX_RUNS = 10_000;

/**
 * Parse and validate spec text with `--set` overrides applied: YAML, the schema for every grid point,
 * `${factor}` references. Never throws: every problem becomes a located issue, and all of them are
 * reported at once. The cross-field checks that need data and model facts are preflight/'s.
 * @example validateSpecText('name: x\n...', 'x.yaml', ['train.epochs=3'])
 */
export function validateSpecText(text: string, file: string, overrideTexts: string[] = []): ValidationResult {
  const { doc, lines, issues } = parseSpecYaml(text, file);
  if (issues.length > 0) return { issues };
  const fileGrid = gridAsWritten(doc);
  const overrides = applyOverrides(doc, overrideTexts, issues);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    issues.push({ code: 'yaml', severity: 'error', path: '', message: (err as Error).message.split('\n')[0]!, file });
    return { issues };
  }
  const place: Locate = (path, atKey = false) => {
    const override = [...overrides].reverse().find((o) => isUnderPath(path, o.path));
    if (override) return { origin: `--set ${override.text}` };
    return { file, ...locatePath(doc, lines, path, atKey) };
  };
  const reported = new Set<string>();
  const fromZod = (zodIssues: z.core.$ZodIssue[], prefix: SpecPath, note = '') => {
    for (const zi of zodIssues) {
      for (const d of describeZodIssue(zi)) {
        const path = [...prefix, ...d.path];
        // The same problem in several grid points is reported once, for the first of them.
        const key = `${formatPath(path)}|${d.message}`;
        if (reported.has(key)) continue;
        reported.add(key);
        issues.push({ code: 'schema', severity: 'error', path: formatPath(path), message: d.message + note, ...place(path, d.atKey) });
      }
    }
  };

  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    issues.push({ code: 'schema', severity: 'error', path: '', message: 'expected a mapping with name, data, model, train and sweep', file, line: 1, col: 1 });
    return { issues };
  }
  const spec = raw as Record<string, unknown>;
  const sweep = sweepSchema.safeParse(spec.sweep ?? {}, { reportInput: true });
  if (!sweep.success) {
    fromZod(sweep.error.issues, ['sweep']);
    return { issues };
  }
  const grid = sweep.data.grid;
  const random = sweep.data.random;
  for (const name of Object.keys(random?.space ?? {}).filter((n) => n in grid)) {
    const path = ['sweep', 'random', 'space', name];
    issues.push({
      code: 'schema',
      severity: 'error',
      path: formatPath(path),
      message: `${name} is a sweep.grid factor already; a factor is either a grid of values or sampled`,
      ...place(path, true),
    });
  }
  if (issues.length > 0) return { issues };
  const points = random ? sampleSpace(random.space, random.samples, random.seed) : [{}];
  const factors = { ...grid, ...Object.fromEntries(Object.keys(random?.space ?? {}).map((n) => [n, []])) };
  const runCount = Object.values(grid).reduce(
    (n, values) => n * values.length,
    points.length * (sweep.data.seeds.adaptive?.max ?? sweep.data.seeds.list.length),
  );
  if (runCount > MAX_RUNS) {
    issues.push({
      code: 'schema',
      severity: 'error',
      path: 'sweep',
      message: `the sweep expands to ${runCount.toLocaleString('en-US')} runs (grid × seeds); the limit is ${MAX_RUNS.toLocaleString('en-US')}`,
      ...place(['sweep']),
    });
    return { issues };
  }
  const { sweep: _sweep, report: _report, ...templated } = spec;
  for (const ref of findVariables(templated)) {
    if (!(ref.name in factors)) {
      const known = Object.keys(factors);
      issues.push({
        code: 'schema',
        severity: 'error',
        path: formatPath(ref.path),
        message: `\${${ref.name}} is not a sweep.grid factor${known.length ? ` (factors: ${known.join(', ')})` : '; add it under sweep.grid (or sweep.random.space)'}`,
        ...place(ref.path),
      });
    }
  }
  if (issues.length > 0) return { issues };
  const variablePaths = findVariables(templated).map((r) => formatPath(r.path));
  const variants: Variant[] = [];
  // Every grid point with every sampled point: the grid's comparisons are paired at the same samples.
  for (const values of gridCombinations(grid).flatMap((g) => points.map((p) => ({ ...g, ...p })))) {
    const parsed = specSchema.safeParse(normalizeKerasNames(substituteVariables(spec, values)), { reportInput: true });
    if (parsed.success) {
      variants.push({ factors: values, spec: parsed.data });
      continue;
    }
    const byVariable = parsed.error.issues.filter((i) => variablePaths.some((p) => formatPath(i.path as SpecPath).startsWith(p)));
    fromZod(
      parsed.error.issues.filter((i) => !byVariable.includes(i)),
      [],
    );
    fromZod(byVariable, [], ` (with ${variantLabel(values, ', ')})`);
  }
  if (issues.some((i) => i.severity === 'error')) return { issues };

  const referenced = [...new Set(findVariables(templated).map((r) => r.name))];
  for (const factor of unusedFactors(templated, factors)) {
    const path = factor in grid ? ['sweep', 'grid', factor] : ['sweep', 'random', 'space', factor];
    const where = place(path, true);
    // A factor a --set brought in that nothing uses is a typo of the command line, not a plan.
    const near = closest(factor, referenced);
    const message = `no field uses \${${factor}}, so its values only repeat the same training${near ? ` (did you mean "${near}"?)` : ''}`;
    issues.push({ code: 'rule', severity: where.origin ? 'error' : 'warning', path: formatPath(path), message, ...where });
  }
  const first = variants[0]!.spec;
  const value: ValidatedSpec = {
    file,
    name: first.name,
    question: first.question,
    factorNames: Object.keys(factors),
    seeds: sweep.data.seeds.list,
    ...(sweep.data.seeds.adaptive ? { adaptiveSeeds: sweep.data.seeds.adaptive } : {}),
    report: first.report,
    variants,
    variables: findVariables(templated, [], true),
    fileGrid,
    ...(random ? { sampled: Object.entries(random.space).map(([name, d]) => ({ name, log: d.type === 'loguniform' })) } : {}),
  };
  return issues.some((i) => i.severity === 'error') ? { issues } : { value, issues, locate: place };
}

function gridAsWritten(doc: Document): Record<string, FactorValue[]> {
  try {
    const sweep = sweepSchema.safeParse((doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as { sweep?: unknown } | null)?.sweep ?? {});
    return sweep.success ? sweep.data.grid : {};
  } catch {
    return {};
  }
}
