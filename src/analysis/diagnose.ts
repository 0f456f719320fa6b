import { variantLabel } from '../shared/factor-value.js';
import { batchNormPlacement, batchNormStatisticsLag } from './findings/batch-norm.js';
import { validationClassesDiffer } from './findings/data-split.js';
import { highFirstEpoch, validationBetterThanTraining } from './findings/expected-behaviour.js';
import type { Detector, Finding, RunForDiagnosis } from './findings/finding.js';
import { diverged, flatLoss, tooFewEpochs } from './findings/loss-curve.js';
import { collapsedOutput, lossActivationMismatch } from './findings/output.js';
import { deadRelus, saturatedUnits } from './findings/activations.js';
import { batchNormMovingGap } from './findings/batch-norm-gap.js';
import { gradientFlow, updateSize } from './findings/step-sizes.js';
import { accuracyPeaksEarly, overfitting } from './findings/overfitting.js';
import { lossSpikes } from './findings/loss-spikes.js';

export type { Finding, RunForDiagnosis } from './findings/finding.js';

/**
 * What a check reads besides the history: the run's settings (spec), per-layer signals
 * (layers.csv), the spread of the validation predictions (val_top_class_share,
 * val_pred_std_ratio) or the classes in each split. A Keras log has the history alone.
 */
export type Evidence = 'history' | 'settings' | 'layer signals' | 'prediction spread' | 'class counts';

/** Every check, in the order findings are listed, with what it looks for and the evidence it needs. */
const DETECTORS: Array<{ detect: Detector; looksFor: string; needs: Evidence }> = [
  { detect: tooFewEpochs, looksFor: 'too few epochs', needs: 'history' },
  { detect: diverged, looksFor: 'divergence', needs: 'history' },
  { detect: validationClassesDiffer, looksFor: 'validation classes unlike training', needs: 'class counts' },
  { detect: collapsedOutput, looksFor: 'a collapsed output (one prediction for every input)', needs: 'prediction spread' },
  { detect: lossActivationMismatch, looksFor: 'a loss that does not fit the output', needs: 'settings' },
  { detect: saturatedUnits, looksFor: 'saturated units', needs: 'layer signals' },
  { detect: updateSize, looksFor: 'steps too small or too large', needs: 'layer signals' },
  { detect: deadRelus, looksFor: 'dead ReLUs', needs: 'layer signals' },
  { detect: gradientFlow, looksFor: 'vanishing or exploding gradients', needs: 'layer signals' },
  { detect: flatLoss, looksFor: 'a flat loss', needs: 'history' },
  { detect: lossSpikes, looksFor: 'loss spikes', needs: 'history' },
  { detect: overfitting, looksFor: 'overfitting', needs: 'history' },
  { detect: accuracyPeaksEarly, looksFor: 'accuracy peaking early', needs: 'history' },
  { detect: validationBetterThanTraining, looksFor: 'validation better than training (dropout)', needs: 'settings' },
  { detect: batchNormPlacement, looksFor: 'batch norm placement', needs: 'settings' },
  { detect: batchNormStatisticsLag, looksFor: "batch norm's lagging statistics", needs: 'settings' },
  { detect: batchNormMovingGap, looksFor: "batch norm's moving statistics", needs: 'layer signals' },
  { detect: highFirstEpoch, looksFor: 'a high first epoch', needs: 'history' },
];

const ALL_EVIDENCE: readonly Evidence[] = ['history', 'settings', 'layer signals', 'prediction spread', 'class counts'];

/** What the checks that need evidence beyond `available` look for, grouped by that evidence. */
export function checksNeeding(available: readonly Evidence[]): Array<{ needs: Evidence; looksFor: string[] }> {
  const missing = ALL_EVIDENCE.filter((e) => !available.includes(e));
  return missing.map((needs) => ({ needs, looksFor: DETECTORS.filter((d) => d.needs === needs).map((d) => d.looksFor) })).filter((g) => g.looksFor.length > 0);
}

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
 * Run every detector whose evidence is `available` on every run; a finding is reported for a variant
 * when it fires on at least half of that variant's runs (one seed's quirk is not the variant's
 * behaviour), with the evidence of the first run that shows it.
 * @example diagnoseRuns(runs)[0].findings[0].code === 'overfitting'
 */
export function diagnoseRuns(runs: RunForDiagnosis[], available: readonly Evidence[] = ALL_EVIDENCE): VariantDiagnosis[] {
  const detectors = DETECTORS.filter((d) => available.includes(d.needs)).map((d) => d.detect);
  const variants = [...new Set(runs.map((r) => r.variant))].sort((a, b) => a - b);
  return variants.map((variant) => {
    const mine = runs.filter((r) => r.variant === variant);
    const byCode = new Map<string, { finding: Finding; count: number }>();
    for (const run of mine) {
      const found = detectors.map((detect) => detect(run)).filter((f): f is Finding => f !== undefined);
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
