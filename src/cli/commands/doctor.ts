import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diagnoseResults } from '../../pipeline/diagnose-results.js';
import { renderDoctorReport } from '../../report/doctor-report.js';
import type { Terminal } from '../terminal.js';

/** Diagnose saved runs; exit 1 when a problem is found, 0 when clean (notes alone are clean). */
export async function doctorCommand(dir: string, options: { json?: boolean; spec?: string }, term: Terminal): Promise<number> {
  const { experiment, diagnoses } = await diagnoseResults(resolve(term.cwd, dir), options.spec ? resolve(term.cwd, options.spec) : undefined);
  const problems = diagnoses.some((d) => d.findings.some((f) => f.severity === 'problem'));
  if (options.json) term.stdout(JSON.stringify({ experiment, problems, variants: diagnoses }, null, 2) + '\n');
  else term.stdout(renderDoctorReport(experiment, diagnoses, suggestedRun(experiment, dir, options.spec, term.cwd), term.columns));
  return problems ? 1 : 0;
}

/**
 * The `nnlab run …` the suggested fixes extend, pasteable from here: the spec (--spec, else the
 * experiment's file in experiments/ where it exists, else a placeholder to replace) and --out when
 * the results are not in results/<experiment>.
 */
function suggestedRun(experiment: string, dir: string, spec: string | undefined, cwd: string): string {
  const known = join('experiments', `${experiment}.yaml`);
  const file = spec ?? (existsSync(resolve(cwd, known)) ? known : 'YOUR-SPEC.yaml');
  const out = resolve(cwd, dir) === resolve(cwd, 'results', experiment) ? '' : ` --out ${dir}`;
  return `${file}${out}`;
}
