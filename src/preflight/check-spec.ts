import type { SpecIssue } from '../shared/errors.js';
import type { FactorValue } from '../shared/factor-value.js';
import { formatPath } from '../spec/locate.js';
import { validateSpecText, type ValidationResult } from '../spec/validate.js';
import { checkRules, type DataDescriber } from './rules.js';

interface CheckOptions {
  /** Bytes a training may need before it is refused (--max-memory). */
  maxBytes?: number;
  /** What reading a user data file found; without it, the checks that need the file are skipped. */
  describeData?: DataDescriber;
}

/**
 * Validate spec text (YAML, schema, references) and run the pre-flight rules on every variant:
 * everything `nnlab validate` and `nnlab run` check before training, as located issues.
 * @example validateSpec(text, 'x.yaml', ['train.epochs=3']).issues
 */
export function validateSpec(text: string, file: string, overrides: string[] = [], options: CheckOptions = {}): ValidationResult {
  return checkSpec(validateSpecText(text, file, overrides), options);
}

/** The pre-flight rules on a validated spec, their issues located like the validation's own. */
function checkSpec(result: ValidationResult, options: CheckOptions = {}): ValidationResult {
  if (!result.value || !result.locate) return result;
  const grid: Record<string, FactorValue[]> = {};
  for (const f of result.value.factorNames) grid[f] = [...new Map(result.value.variants.map((v) => [JSON.stringify(v.factors[f]), v.factors[f]!])).values()];
  const issues: SpecIssue[] = [...result.issues];
  for (const rule of checkRules(result.value.variants, grid, options.maxBytes, options.describeData)) {
    issues.push({ ...rule, code: 'rule', path: formatPath(rule.path), ...result.locate(rule.path) });
  }
  return issues.some((i) => i.severity === 'error') ? { issues } : { ...result, issues };
}
