import { variantLabel } from '../shared/factor-value.js';
import { batchNormPlacement, batchNormStatisticsLag } from './findings/batch-norm.js';
import { validationClassesDiffer } from './findings/data-split.js';
import { highFirstEpoch, validationBetterThanTraining } from './findings/expected-behaviour.js';
import type { Detector, Finding, RunForDiagnosis } from './findings/finding.js';
import { diverged, flatLoss, tooFewEpochs } from './findings/loss-curve.js';
import { collapsedOutput, lossActivationMismatch } from './findings/output.js';
import { batchNormMovingGap, deadRelus, gradientFlow, saturatedUnits, updateSize } from './findings/layer-signals.js';
import { accuracyPeaksEarly, overfitting } from './findings/overfitting.js';
import { lossSpikes } from './findings/loss-spikes.js';

export type { Finding, RunForDiagnosis } from './findings/finding.js';

/** Every check, in the order findings are listed. */
const DETECTORS: Detector[] = [
  tooFewEpochs, diverged, validationClassesDiffer, collapsedOutput, lossActivationMismatch, saturatedUnits, updateSize, deadRelus, gradientFlow,
  flatLoss, lossSpikes, overfitting, accuracyPeaksEarly, validationBetterThanTraining, batchNormPlacement, batchNormStatisticsLag, batchNormMovingGap, highFirstEpoch,
];

/**
 * Findings that explain others away, in one run: a validation split of other classes makes the
 * validation curves fall however well the net learns, so they are not diagnosed again as
 * overfitting or a too-high learning rate.
 */
const EXPLAINS: Record<string, string[]> = {
  'validation-classes-differ': ['overfitting', 'accuracy-peaks-early'],
  'training-loss-spikes': ['accuracy-peaks-early'],
};

export interface VariantDiagnosis {
  variant: number;
  label: string;
  runs: number;
  findings: Array<Finding & { count: number }>;
}

/**
 * Run every detector on every run; a finding is reported for a variant when it fires on at least
 * half of that variant's runs (one seed's quirk is not the variant's behaviour), with the evidence of
 * the first run that shows it.
 * @example diagnoseRuns(runs)[0].findings[0].code === 'overfitting'
 */
export function diagnoseRuns(runs: RunForDiagnosis[]): VariantDiagnosis[] {
  const variants = [...new Set(runs.map((r) => r.variant))].sort((a, b) => a - b);
  return variants.map((variant) => {
    const mine = runs.filter((r) => r.variant === variant);
    const byCode = new Map<string, { finding: Finding; count: number }>();
    for (const run of mine) {
      const found = DETECTORS.map((detect) => detect(run)).filter((f): f is Finding => f !== undefined);
      const explained = new Set(found.flatMap((f) => EXPLAINS[f.code] ?? []));
      for (const f of found.filter((x) => !explained.has(x.code))) {
        const entry = byCode.get(f.code);
        // The evidence is one run's: say which, so its figures are not read as the variant's means.
        const named = run.seed !== undefined && mine.length > 1 ? { ...f, seen: `seed ${run.seed}: ${f.seen}` } : f;
        if (entry) entry.count++;
        else byCode.set(f.code, { finding: named, count: 1 });
      }
    }
    const findings = [...byCode.values()].filter((e) => e.count * 2 >= mine.length).map((e) => ({ ...e.finding, count: e.count }));
    const label = variantLabel(mine[0]?.factors ?? {});
    return { variant, label, runs: mine.length, findings };
  });
}
