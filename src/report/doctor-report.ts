import type { VariantDiagnosis } from '../analysis/diagnose.js';
import { wrapText } from '../shared/wrap-text.js';

/**
 * Findings grouped by variant: what was seen, why it happens, what to try (a pasteable `nnlab run
 * <spec> --set` line; without a spec, as for a Keras log, the change is said in words only).
 */
export function renderDoctorReport(
  experiment: string,
  diagnoses: VariantDiagnosis[],
  spec: string | undefined,
  width: number,
  overrides: string[] = [],
): string {
  const withFindings = diagnoses.filter((d) => d.findings.length > 0);
  if (withFindings.length === 0) {
    const runs = diagnoses.reduce((n, d) => n + d.runs, 0);
    return `${experiment}: no training pathologies found in ${runs} run${runs === 1 ? '' : 's'}.\n`;
  }
  // `    seen: text…` with continuation lines under the text, all within `width`.
  const indent = (label: string, text: string) => wrapText(`${label} ${text}`, width - 4, '     ').replace(/^/gm, '    ');
  const out: string[] = [];
  const print = (f: VariantFinding, runs: number, seen: string) => {
    out.push(`  ${f.severity === 'problem' ? '✗' : 'i'} ${f.code} (${f.count}/${runs} runs)`);
    out.push(indent('seen:', seen), indent('why: ', f.why), indent('try: ', f.fix));
    if (f.sets?.length && spec !== undefined) {
      // The runs' own overrides first (what they were trained with), then the fix, which replaces any of the same setting.
      const fixed = new Set(f.sets.map(settingOf));
      const sets = [...overrides.filter((o) => !fixed.has(settingOf(o))), ...f.sets];
      out.push(pasteableCommand([`nnlab run ${spec}`, ...sets.map((s) => `--set '${s}'`)], width, '         '));
    }
  };
  // A finding every variant has, with the same fix, is said once for all of them.
  const shared = diagnoses.length > 1 ? sharedFindings(diagnoses) : new Set<string>();
  if (shared.size) {
    out.push(`every variant (${diagnoses.length})`);
    for (const key of shared) {
      const first = diagnoses[0]!.findings.find((f) => findingKey(f) === key)!;
      const count = diagnoses.reduce((n, d) => n + d.findings.find((f) => findingKey(f) === key)!.count, 0);
      print(
        { ...first, count },
        diagnoses.reduce((n, d) => n + d.runs, 0),
        `${diagnoses[0]!.label}, ${first.seen}`,
      );
    }
    out.push('');
  }
  for (const d of withFindings) {
    const own = d.findings.filter((f) => !shared.has(findingKey(f)));
    if (own.length === 0) continue;
    out.push(`${d.label}`);
    for (const f of own) print(f, d.runs, f.seen);
    out.push('');
  }
  const problems = withFindings.reduce((n, d) => n + d.findings.filter((f) => f.severity === 'problem').length, 0);
  const notes = withFindings.reduce((n, d) => n + d.findings.filter((f) => f.severity === 'note').length, 0);
  out.push(
    `${experiment}: ${problems} problem${problems === 1 ? '' : 's'} and ${notes} note${notes === 1 ? '' : 's'} in ${withFindings.length} of ${diagnoses.length} variants.`,
  );
  return out.join('\n') + '\n';
}

type VariantFinding = VariantDiagnosis['findings'][number];

const settingOf = (set: string) => set.slice(0, set.indexOf('='));

/** Findings (by code and fix) that every variant has. */
function sharedFindings(diagnoses: VariantDiagnosis[]): Set<string> {
  const [first, ...rest] = diagnoses.map((d) => new Set(d.findings.map(findingKey)));
  return new Set([...first!].filter((key) => rest.every((keys) => keys.has(key))));
}

const findingKey = (f: VariantFinding) => JSON.stringify([f.code, f.fix, f.sets ?? []]);

/** The short version printed after nnlab run and report: how many problems where, and the command that explains them. */
export function renderDoctorSummary(diagnoses: VariantDiagnosis[], dir: string, width: number): string {
  const problems = diagnoses.reduce((n, d) => n + d.findings.filter((f) => f.severity === 'problem').length, 0);
  if (problems === 0) return '';
  const variants = diagnoses.filter((d) => d.findings.some((f) => f.severity === 'problem')).length;
  return (
    wrapText(
      `nnlab doctor found ${problems} problem${problems === 1 ? '' : 's'} in ${variants} of ${diagnoses.length} variants (evidence, causes and fixes: nnlab doctor ${dir})`,
      width,
      '  ',
    ) + '\n'
  );
}

/** A shell command on one line, or when too long, one part a line joined by ` \` (still pasteable). */
function pasteableCommand(parts: string[], width: number, indent: string): string {
  const line = indent + parts.join(' ');
  if (line.length <= width) return line;
  // One part per line; a part too long for the hanging indent starts at the margin instead (a
  // quoted --set cannot be broken and stay pasteable).
  const lines = parts.map((p, i) => `${indent}${i ? '  ' : ''}${p}`);
  const fits = lines.every((l, i) => l.length + (i < lines.length - 1 ? 2 : 0) <= width);
  return (fits ? lines : parts.map((p, i) => `${i ? '  ' : ''}${p}`)).join(' \\\n');
}
