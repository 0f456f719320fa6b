import { resolve } from 'node:path';
import { diagnoseResults } from '../../pipeline/diagnose-results.js';
import { renderDoctorReport } from '../../report/doctor-report.js';
import type { Terminal } from '../terminal.js';

/** Diagnose saved runs; exit 1 when a problem is found, 0 when clean (notes alone are clean). */
export async function doctorCommand(dir: string, options: { json?: boolean; spec?: string }, term: Terminal): Promise<number> {
  // The spec the suggestions are for: --spec, or the experiment's file in experiments/.
  const specOf = (experiment: string) => options.spec ?? `experiments/${experiment}.yaml`;
  const { experiment, diagnoses } = await diagnoseResults(resolve(term.cwd, dir), options.spec ? resolve(term.cwd, options.spec) : undefined);
  const problems = diagnoses.some((d) => d.findings.some((f) => f.severity === 'problem'));
  if (options.json) term.stdout(JSON.stringify({ experiment, problems, variants: diagnoses }, null, 2) + '\n');
  else term.stdout(renderDoctorReport(experiment, diagnoses, specOf(experiment), term.columns));
  return problems ? 1 : 0;
}
