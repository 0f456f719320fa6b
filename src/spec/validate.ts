import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { SpecIssue } from '../shared/errors.js';
import { formatPath, locatePath, type SpecPath } from './locate.js';
import { isUnderPath, parseOverride, type Override } from './overrides.js';
import { findVariables, gridCombinations, substituteVariables } from './substitute.js';
import { specSchema, sweepSchema, type Spec } from './schema.js';
import type { FactorValue } from '../shared/factor-value.js';
import { describeZodIssue } from './describe-issue.js';
import { checkRules, unusedFactors, type DataDescriber } from './rules.js';
import type { VariableField } from './retarget-override.js';
import { formatFactorValue } from '../shared/factor-value.js';
import { findUnquotedFlowVariables } from './flow-variables.js';
import { normalizeKerasNames } from './keras-names.js';
import { closest } from './closest-name.js';

/** One point of the grid: the factor values and the spec with them substituted. */
export interface Variant {
  factors: Record<string, FactorValue>;
  spec: Spec;
}

export interface ValidatedSpec {
  file: string;
  name: string;
  question?: string;
  factorNames: string[];
  seeds: number[];
  report: Spec['report'];
  variants: Variant[];
  /** Fields whose whole value is `${factor}` (after --set), for turning suggestions into grid changes. */
  variables: VariableField[];
  /** The grid as the file writes it, before --set: the level order every invocation of this spec shares. */
  fileGrid: Record<string, FactorValue[]>;
}

export interface ValidationResult {
  value?: ValidatedSpec;
  /** Errors and warnings; `value` is absent when any is an error. */
  issues: SpecIssue[];
}

/** YAML is small; this many alias expansions is far more than any real spec uses. */
const MAX_ALIAS_COUNT = 1000;

/** A sweep larger than this is a typo, not a plan (it would also be expanded in memory). */
export const MAX_RUNS = 10_000;

/**
 * Parse and validate spec text with `--set` overrides applied. Never throws: every problem becomes a
 * located issue, and all of them are reported at once.
 * @example validateSpecText('name: x\n...', 'x.yaml', ['train.epochs=3'])
 */
export function validateSpecText(text: string, file: string, overrideTexts: string[] = [], limits: { maxBytes?: number; describeData?: DataDescriber } = {}): ValidationResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const issues: SpecIssue[] = [];
  // Later YAML errors are almost always consequences of the first; one located message is clearer.
  const syntax = doc.errors[0];
  const unquoted = syntax ? findUnquotedFlowVariables(text) : [];
  if (unquoted.length > 0) {
    for (const v of unquoted) {
      issues.push({ code: 'yaml', severity: 'error', path: '', message: `invalid YAML: \${${v.name}} inside {…} or […] must be quoted, "\${${v.name}}" (standard YAML, as in Hydra and OmegaConf; block style needs no quotes)`, file, line: v.line, col: v.col });
    }
    return { issues };
  }
  if (syntax) {
    const pos = syntax.linePos?.[0];
    const message = syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    issues.push({ code: 'yaml', severity: 'error', path: '', message: `invalid YAML: ${message}`, file, line: pos?.line, col: pos?.col });
    return { issues };
  }

  const fileGrid = gridAsWritten(doc);
  const overrides = applyOverrides(doc, overrideTexts, issues);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    issues.push({ code: 'yaml', severity: 'error', path: '', message: (err as Error).message.split('\n')[0]!, file });
    return { issues };
  }
  const place = (path: SpecPath, atKey = false): Pick<SpecIssue, 'file' | 'line' | 'col' | 'origin'> => {
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
  const runCount = Object.values(grid).reduce((n, values) => n * values.length, sweep.data.seeds.length);
  if (runCount > MAX_RUNS) {
    issues.push({ code: 'schema', severity: 'error', path: 'sweep', message: `the sweep expands to ${runCount.toLocaleString('en-US')} runs (grid × seeds); the limit is ${MAX_RUNS.toLocaleString('en-US')}`, ...place(['sweep']) });
    return { issues };
  }
  const { sweep: _sweep, report: _report, ...templated } = spec;
  for (const ref of findVariables(templated)) {
    if (!(ref.name in grid)) {
      const known = Object.keys(grid);
      issues.push({
        code: 'schema', severity: 'error', path: formatPath(ref.path),
        message: `\${${ref.name}} is not a sweep.grid factor${known.length ? ` (factors: ${known.join(', ')})` : '; add it under sweep.grid'}`,
        ...place(ref.path),
      });
    }
  }
  if (issues.length > 0) return { issues };
  const variablePaths = findVariables(templated).map((r) => formatPath(r.path));
  const variants: Variant[] = [];
  for (const factors of gridCombinations(grid)) {
    const parsed = specSchema.safeParse(normalizeKerasNames(substituteVariables(spec, factors)), { reportInput: true });
    if (parsed.success) {
      variants.push({ factors, spec: parsed.data });
      continue;
    }
    const byVariable = parsed.error.issues.filter((i) => variablePaths.some((p) => formatPath(i.path as SpecPath).startsWith(p)));
    fromZod(parsed.error.issues.filter((i) => !byVariable.includes(i)), []);
    fromZod(byVariable, [], ` (with ${Object.entries(factors).map(([k, v]) => `${k}=${formatFactorValue(v)}`).join(', ')})`);
  }
  if (issues.some((i) => i.severity === 'error')) return { issues };

  const referenced = [...new Set(findVariables(templated).map((r) => r.name))];
  for (const factor of unusedFactors(templated, grid)) {
    const path = ['sweep', 'grid', factor];
    const where = place(path, true);
    // A factor a --set brought in that nothing uses is a typo of the command line, not a plan.
    const near = closest(factor, referenced);
    const message = `no field uses \${${factor}}, so its values only repeat the same training${near ? ` (did you mean "${near}"?)` : ''}`;
    issues.push({ code: 'rule', severity: where.origin ? 'error' : 'warning', path: formatPath(path), message, ...where });
  }
  for (const rule of checkRules(variants, grid, limits.maxBytes, limits.describeData)) issues.push({ ...rule, code: 'rule', path: formatPath(rule.path), ...place(rule.path) });
  const first = variants[0]!.spec;
  const value: ValidatedSpec = {
    file,
    name: first.name,
    question: first.question,
    factorNames: Object.keys(grid),
    seeds: sweep.data.seeds,
    report: first.report,
    variants,
    variables: findVariables(templated, [], true),
    fileGrid,
  };
  return issues.some((i) => i.severity === 'error') ? { issues } : { value, issues };
}

function gridAsWritten(doc: Document): Record<string, FactorValue[]> {
  try {
    const sweep = sweepSchema.safeParse((doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as { sweep?: unknown } | null)?.sweep ?? {});
    return sweep.success ? sweep.data.grid : {};
  } catch {
    return {};
  }
}

function applyOverrides(doc: Document, texts: string[], issues: SpecIssue[]): Override[] {
  const applied: Override[] = [];
  for (const text of texts) {
    const parsed = parseOverride(text);
    if ('error' in parsed) {
      issues.push({ code: 'override', severity: 'error', path: '', message: parsed.error, origin: `--set ${text}` });
      continue;
    }
    const outOfRange = indexBeyondList(doc, parsed.path);
    if (outOfRange) {
      issues.push({ code: 'override', severity: 'error', path: formatPath(parsed.path), message: outOfRange, origin: `--set ${text}` });
      continue;
    }
    try {
      doc.setIn(parsed.path as Array<string | number>, doc.createNode(parsed.value));
      applied.push(parsed);
    } catch {
      issues.push({ code: 'override', severity: 'error', path: formatPath(parsed.path), message: 'cannot set this path: a parent of it is not a mapping or list', origin: `--set ${text}` });
    }
  }
  return applied;
}

/** Why `path` cannot be set when one of its indexes lies past the end of its list (setting it would leave holes). */
function indexBeyondList(doc: Document, path: SpecPath): string | undefined {
  let node: unknown = doc.contents;
  for (const [i, seg] of path.entries()) {
    if (isSeq(node) && typeof seg === 'number') {
      if (seg > node.items.length) {
        const list = formatPath(path.slice(0, i));
        const size = node.items.length;
        return `${list} has ${size} item${size === 1 ? '' : 's'}${size ? ` ([0] to [${size - 1}])` : ''}; there is no [${seg}] to set (a new item goes at [${size}])`;
      }
      node = node.items[seg];
    } else if (isMap(node)) {
      node = node.get(seg, true);
    } else return undefined;
  }
  return undefined;
}
