import type { PlannedRun, RunRecord } from '../../run/run-chain.js';
import type { Spec } from '../../spec/schema.js';
import type { FactorValue } from '../../shared/factor-value.js';
import type { HistoryRow } from '../../shared/history-contract.js';
import type { LayerSignalRow } from '../../shared/layer-signals.js';

/**
 * What diagnosis needs of a run: its config, how it ended (run.json's diverged epoch and, where the
 * split does not keep classes in proportion, the samples per class in each split) and its history.
 */
export interface RunForDiagnosis extends Pick<PlannedRun, 'id' | 'variant'>, Pick<RunRecord, 'diverged_epoch' | 'class_counts'> {
  /** The run's seed, named with the evidence quoted from it. */
  seed?: number;
  factors: Record<string, FactorValue>;
  config: Pick<Spec, 'data' | 'model' | 'train'>;
  status: 'ok' | 'diverged' | 'failed' | 'missing';
  history: HistoryRow[];
  task: 'classification' | 'regression';
  /** Classes of a classification dataset (chance accuracy is 1 / numClasses). */
  numClasses?: number;
  /** Per-layer signals per epoch (layers.csv), where the run's engine recorded them. */
  layers?: LayerSignalRow[];
}

export interface Finding {
  code: string;
  /** problem: something to fix; note: expected behaviour worth explaining. */
  severity: 'problem' | 'note';
  /** The cause in a few words, as the answer quotes it: "the sigmoid output cannot reach the targets". */
  headline: string;
  seen: string;
  why: string;
  /** The change to try, as `--set` overrides when one exists. */
  fix: string;
  sets?: string[];
  /** History columns the evidence is in, which reports then chart (val_pred_std_ratio for a collapsed output). */
  columns?: string[];
  /** A column whose best epoch marks when the problem starts (val_loss for overfitting): the answer quotes it over seeds. */
  onset?: string;
}

/** A check on one run; each family of findings has a file of its own, with its thresholds beside it. */
export type Detector = (run: RunForDiagnosis) => Finding | undefined;

/**
 * Findings about a trend (a flat or rising loss, a peak, a redundant training set) need this many
 * epochs; shorter runs get a note saying they were not judged, rather than a conclusion from 3 points.
 */
export const MIN_TREND_EPOCHS = 5;

export const lrOf = (t: Spec['train']) => t.optimizer.learning_rate;
export const values = (h: HistoryRow[], c: string) => h.map((r) => r[c]).filter((v): v is number => typeof v === 'number');
/** Numbers as findings quote them: whole for large values, three significant digits for small ones. */
export const fmt = (x: number) => (Math.abs(x) >= 1000 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(2) : x.toPrecision(3));
/** The --set that changes a run's learning rate to `lr`. */
export const setLr = (t: Spec['train'], lr: number) => `train.optimizer.${t.optimizer.type}.learning_rate=${Number(lr.toPrecision(2))}`;
