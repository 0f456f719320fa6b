import { describe, expect, it } from 'vitest';
import type { VariantDiagnosis } from '../../src/analysis/diagnose.js';
import { renderDoctorReport } from '../../src/report/doctor-report.js';

const finding = (code: string, seen: string, sets: string[]) => ({
  code,
  severity: 'note' as const,
  headline: code,
  seen,
  why: 'why it happens',
  fix: 'what to try',
  sets,
  count: 2,
});
const variant = (i: number, label: string, findings: VariantDiagnosis['findings']): VariantDiagnosis => ({ variant: i, label, runs: 2, findings });

describe('the doctor report', () => {
  it('says a finding every variant has, with the same fix, once for all of them', () => {
    const text = renderDoctorReport(
      'e',
      [
        variant(0, 'bn=false', [finding('too-few-epochs', 'seed 1: 3 epochs', ['train.epochs=5'])]),
        variant(1, 'bn=true', [finding('too-few-epochs', 'seed 1: 3 epochs', ['train.epochs=5']), finding('batch-norm-moving-gap', 'seed 2: off', ['m=0.9'])]),
      ],
      'spec.yaml',
      80,
    );
    expect(text.match(/too-few-epochs/g)).toHaveLength(1);
    expect(text).toContain('every variant (2)\n  i too-few-epochs (4/4 runs)\n    seen: bn=false, seed 1: 3 epochs');
    expect(text).toContain('bn=true\n  i batch-norm-moving-gap (2/2 runs)');
    expect(text).not.toContain('bn=false\n');
    expect(text).toMatch(/e: 0 problems and 3 notes in 2 of 2 variants\.\n$/);
  });

  it('keeps findings per variant where their fixes differ', () => {
    const text = renderDoctorReport(
      'e',
      [variant(0, 'lr=0.1', [finding('diverged', 'seed 1', ['lr=0.01'])]), variant(1, 'lr=1', [finding('diverged', 'seed 1', ['lr=0.1'])])],
      'spec.yaml',
      80,
    );
    expect(text).not.toContain('every variant');
    expect(text.match(/diverged/g)).toHaveLength(2);
  });
});
