import { mean, sampleStd } from '../shared/numbers.js';
import { quantity, type Quantity } from '../shared/quantity.js';
import { matchVariants, withDirection, type DiffRow, type ResultsDiff } from './diff-results.js';
import { pairedStats } from './paired-stats.js';
import { valuesBySeed } from './pairing.js';
import type { RunForSummary, VariantSummary } from './summarize.js';
import { fisherExact, welch, type TwoSampleStats } from './two-sample-stats.js';
import { ALPHA, holm } from './verdicts.js';

/**
 * A significant difference smaller than this share of the spread over seeds is not a change: a
 * tenth of what changing the seed does (float rounding can shift a value systematically by far less).
 */
const NEGLIGIBLE = 0.1;

/** One result set as the cross-machine diff needs it: its variants and every run with its history. */
export interface ResultsSide {
  summaries: VariantSummary[];
  runs: RunForSummary[];
}

interface CrossMachineOptions {
  /** Quantities besides final, best and auc of each metric (e.g. "loss at epoch 3"). */
  extra?: Quantity[];
  /** A difference also has to exceed atol + rtol·|A| to count. */
  atol?: number;
  rtol?: number;
}

interface Candidate {
  variant: string;
  metric: string;
  what: string;
  stats: TwoSampleStats;
  floor: number;
  /** Judged exactly, outside the family (a run that crashed is not rounding noise). */
  exact?: boolean;
}

/**
 * Two result sets of one spec, trained on different machines or kernels, judged as samples over
 * seeds rather than as numbers: float rounding makes training take another path, so every value
 * moves a little, by up to as much as another seed would move it. Per variant and metric, the final,
 * best and mean-over-epochs (auc) values are compared seed by seed (paired t), the diverged-run
 * counts by Fisher's exact test, and Holm's correction holds the chance that any value of an
 * unchanged rerun is called different at 5 %. A significant difference also has to exceed a tenth of
 * the spread over seeds and the metric's resolution (1/n for an accuracy on n samples: one sample
 * more or less is no change).
 * @example diffAcrossMachines({summaries, runs}, {summaries: rerun, runs: rerunRuns}, ['val_accuracy'])
 */
export function diffAcrossMachines(a: ResultsSide, b: ResultsSide, metrics: string[], options: CrossMachineOptions = {}): ResultsDiff {
  const matched = matchVariants(a.summaries, b.summaries);
  const resolution = resolutions([...a.runs, ...b.runs], metrics);
  const floorFor = (column: string, reference: number | null, valuesA: number[], valuesB: number[]) =>
    Math.max(resolution.get(column) ?? 0, NEGLIGIBLE * seedSpread(valuesA, valuesB), (options.atol ?? 0) + (options.rtol ?? 0) * Math.abs(reference ?? 0));
  const quantities = [
    ...metrics.flatMap((m) => (['final', 'best', 'auc'] as const).map((k) => quantity(k, m))),
    ...(options.extra ?? []).filter((q) => metrics.includes(q.column) && q.kind === 'at'),
  ];
  const candidates: Candidate[] = [];
  const missing = [...matched.missing];
  const notes: string[] = [];
  for (const { name, a: va, b: vb } of matched.pairs) {
    const runsA = a.runs.filter((r) => r.variant === va.variant);
    const runsB = b.runs.filter((r) => r.variant === vb.variant);
    if (va.missing || vb.missing)
      missing.push(
        `${name}: ${[va.missing ? `${va.missing} run(s) not trained in A` : '', vb.missing ? `${vb.missing} run(s) not trained in B` : ''].filter(Boolean).join(', ')}`,
      );
    const seedNote = oneSidedSeeds(name, runsA, runsB);
    if (seedNote) notes.push(seedNote);
    candidates.push({
      variant: name,
      metric: '—',
      what: 'runs failed',
      stats: { nA: va.runs, nB: vb.runs, meanA: va.failed, meanB: vb.failed, p: null, method: 'too few values' },
      floor: 0,
      exact: true,
    });
    candidates.push({
      variant: name,
      metric: '—',
      what: 'runs diverged',
      stats: {
        nA: va.ok + va.diverged,
        nB: vb.ok + vb.diverged,
        meanA: va.diverged,
        meanB: vb.diverged,
        p: fisherExact(va.diverged, va.ok + va.diverged, vb.diverged, vb.ok + vb.diverged),
        method: "Fisher's exact",
      },
      floor: 0,
    });
    candidates.push({ variant: name, metric: '—', what: 'epochs trained', stats: seedBySeed(epochsTrained(runsA), epochsTrained(runsB)), floor: 0 });
    for (const metric of metrics) {
      if (!va.metrics[metric] || !vb.metrics[metric]) {
        missing.push(`metric ${metric} of ${name} is only in ${va.metrics[metric] ? 'A' : 'B'}`);
        continue;
      }
    }
    for (const q of quantities) {
      if (!va.metrics[q.column] || !vb.metrics[q.column]) continue;
      const valuesA = valuesBySeed(runsA, va.variant, q);
      const valuesB = valuesBySeed(runsB, vb.variant, q);
      const stats = seedBySeed(valuesA, valuesB);
      candidates.push({
        variant: name,
        metric: q.column,
        what: describe(q),
        stats,
        floor: floorFor(q.column, stats.meanA, [...valuesA.values()], [...valuesB.values()]),
      });
    }
    for (const test of [...new Set([...Object.keys(va.test ?? {}), ...Object.keys(vb.test ?? {})])].sort()) {
      if (!va.test?.[test] || !vb.test?.[test]) {
        missing.push(`metric ${test} of ${name} is only in ${va.test?.[test] ? 'A' : 'B'}`);
        continue;
      }
      const valuesA = testValues(runsA, test);
      const valuesB = testValues(runsB, test);
      const stats = seedBySeed(valuesA, valuesB);
      candidates.push({
        variant: name,
        metric: test,
        what: 'held-out',
        stats,
        floor: floorFor(test, stats.meanA, [...valuesA.values()], [...valuesB.values()]),
      });
    }
  }

  const family = candidates.filter((c) => !c.exact && c.stats.p !== null);
  const adjusted = new Map(family.map((c, i) => [c, holm(family.map((f) => f.stats.p!))[i]!]));
  const rows = candidates.map((c) => withDirection(toRow(c, adjusted.get(c) ?? null)));
  return {
    rows,
    missing,
    compared: { variants: matched.pairs.length, metrics: metrics.length },
    mode: 'cross-machine',
    judged: judged(family.length, resolution),
    notes,
    settings: [],
  };
}

function toRow(c: Candidate, pAdjusted: number | null): Omit<DiffRow, 'delta' | 'direction'> {
  const { meanA: a, meanB: b } = c.stats;
  const difference = a === null || b === null ? null : Math.abs(b - a);
  const beyondFloor = difference === null ? a !== b : difference > c.floor + 1e-12;
  // Without a test (a crash count, or under two seeds a side) a difference beyond the floor counts.
  const significant = c.exact || pAdjusted === null ? true : pAdjusted < ALPHA;
  return {
    variant: c.variant,
    metric: c.metric,
    what: c.what,
    a,
    b,
    difference,
    tolerance: c.floor,
    within: !(beyondFloor && significant),
    test: { method: c.exact ? 'exact' : c.stats.method, p: c.stats.p, pAdjusted, seeds: [c.stats.nA, c.stats.nB] },
  };
}

function describe(q: Quantity): string {
  if (q.kind === 'at') return `at epoch ${q.epoch}, mean`;
  return q.kind === 'auc' ? 'mean over epochs (auc)' : `${q.kind} mean`;
}

/**
 * The same seed on both sides starts from the same weights and batch order, so where two or more
 * seeds are on both sides their differences are tested (paired t): far more sensitive than
 * comparing the two spreads, and still centred on 0 when only rounding changed. Otherwise Welch.
 */
function seedBySeed(a: Map<number, number>, b: Map<number, number>): TwoSampleStats {
  const common = [...a.keys()].filter((seed) => b.has(seed));
  if (common.length < 2) return welch([...a.values()], [...b.values()]);
  const stats = pairedStats(common.map((seed) => b.get(seed)! - a.get(seed)!));
  return {
    nA: common.length,
    nB: common.length,
    meanA: mean(common.map((seed) => a.get(seed)!)),
    meanB: mean(common.map((seed) => b.get(seed)!)),
    p: stats.p,
    method: 'paired t',
  };
}

/** Spread over seeds of one value, both sides pooled: what another seed would move it by. */
function seedSpread(a: number[], b: number[]): number {
  const variances = [sampleStd(a), sampleStd(b)].filter((s): s is number => s !== null).map((s) => s * s);
  return variances.length ? Math.sqrt(variances.reduce((x, y) => x + y, 0) / variances.length) : 0;
}

function epochsTrained(runs: RunForSummary[]): Map<number, number> {
  return new Map(runs.filter((r) => r.status === 'ok').map((r) => [r.seed, r.history.length]));
}

function testValues(runs: RunForSummary[], name: string): Map<number, number> {
  return new Map(runs.filter((r) => r.status === 'ok' && typeof r.test?.[name] === 'number').map((r) => [r.seed, r.test![name]!]));
}

/**
 * Per column, the smallest step between distinct values seen in either result set: for an accuracy
 * on n samples that is 1/n (or a multiple); for a loss it is negligible.
 */
function resolutions(runs: RunForSummary[], columns: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const column of columns) {
    const values = [...new Set(runs.flatMap((r) => r.history.map((h) => h[column]).filter((v): v is number => typeof v === 'number')))].sort((x, y) => x - y);
    let step = Infinity;
    for (let i = 1; i < values.length; i++) step = Math.min(step, values[i]! - values[i - 1]!);
    const lattice = latticeStep(values, step);
    if (lattice !== null) out.set(column, lattice);
  }
  return out;
}

/**
 * 1/n when every value is a whole number of n-ths (an accuracy on n samples, written to six
 * digits), taking n from the smallest gap seen (one sample, or a few when no two values are
 * neighbours); null for a continuous metric such as a loss.
 */
function latticeStep(values: number[], smallestGap: number): number | null {
  // Too few values, or a lattice as fine as six written digits, says nothing.
  if (values.length < 10 || !Number.isFinite(smallestGap) || smallestGap <= 0) return null;
  for (let samples = 1; samples <= 4; samples++) {
    const n = Math.round(samples / smallestGap);
    if (n >= 1 && n <= 1e5 && values.every((v) => Math.abs(v * n - Math.round(v * n)) < 1e-6 * n + 1e-3)) return 1 / n;
  }
  return null;
}

function oneSidedSeeds(name: string, a: RunForSummary[], b: RunForSummary[]): string | null {
  const seedsA = new Set(a.filter((r) => r.status !== 'missing').map((r) => r.seed));
  const seedsB = new Set(b.filter((r) => r.status !== 'missing').map((r) => r.seed));
  const onlyA = [...seedsA].filter((s) => !seedsB.has(s));
  const onlyB = [...seedsB].filter((s) => !seedsA.has(s));
  if (!onlyA.length && !onlyB.length) return null;
  const list = (side: string, seeds: number[]) => (seeds.length ? `seed${seeds.length === 1 ? '' : 's'} ${seeds.join(', ')} only in ${side}` : '');
  return `${name}: ${[list('A', onlyA), list('B', onlyB)].filter(Boolean).join('; ')} (compared as ${seedsA.size} vs ${seedsB.size} seeds)`;
}

function judged(family: number, resolution: Map<string, number>): string {
  const steps = [...resolution].map(([column, step]) => `${column} 1/${Math.round(1 / step)}`);
  return (
    `across machines: each value's seeds on A against B by a paired t test (Welch's where seeds do not pair; diverged runs by Fisher's exact test), Holm over ${family} values at ${ALPHA * 100} %; ` +
    `a difference must also exceed a tenth of the spread over seeds and one step of the metric's resolution${steps.length ? ` (${steps.join(', ')})` : ''}`
  );
}
