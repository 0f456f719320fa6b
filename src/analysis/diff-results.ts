import type { VariantSummary } from './summarize.js';
import { variantLabel, type FactorValue } from '../shared/factor-value.js';
import { higherIsBetter } from '../shared/history-contract.js';

interface Tolerance {
  atol: number;
  rtol: number;
  /** Allowed difference in units of the baseline's std across seeds. */
  sigma?: number;
}

export interface DiffRow {
  variant: string;
  metric: string;
  /** 'final mean', 'best mean', 'curve (max per-epoch deviation)', 'runs ok' … */
  what: string;
  a: number | null;
  b: number | null;
  difference: number | null;
  /** B − A, signed. */
  delta: number | null;
  /** Whether B moved the better or the worse way (by the metric's direction); absent when it did not move or has none. */
  direction?: 'better' | 'worse';
  tolerance: number;
  within: boolean;
  /** Cross-machine mode: the test over seeds that judged this value. */
  test?: { method: string; p: number | null; pAdjusted: number | null; seeds: [number, number] };
}

export interface ResultsDiff {
  rows: DiffRow[];
  /** Variants or metrics present on one side only. */
  missing: string[];
  compared: { variants: number; metrics: number };
  mode: 'exact' | 'tolerance' | 'cross-machine';
  /** The rule values were judged by, as one line for the output. */
  judged: string;
  /** What a reader should know that is not a difference (e.g. seeds on one side only). */
  notes: string[];
  /** Settings the two sides were trained with that differ (by spec path); filled in by the caller, who has the configs. */
  settings: Array<{ setting: string; a: Array<FactorValue | null>; b: Array<FactorValue | null> }>;
}

/**
 * Compare two result sets variant by variant (matched on factor values) and metric by metric:
 * final and best means, whole mean curves (largest per-epoch deviation) and run counts by status.
 * Tolerance: max(atol + rtol·|A|, sigma·std_A); zero tolerance means equal as written.
 * @example diffResults(baseline, candidate, ['val_accuracy'], {atol: 0.01, rtol: 0})
 */
export function diffResults(a: VariantSummary[], b: VariantSummary[], metrics: string[], tol: Tolerance): ResultsDiff {
  const matched = matchVariants(a, b);
  const rows: UndirectedRow[] = [];
  const missing = [...matched.missing];
  for (const { name, a: va, b: vb } of matched.pairs) {
    for (const [what, key] of [
      ['runs ok', 'ok'],
      ['runs diverged', 'diverged'],
      ['runs failed', 'failed'],
    ] as const) {
      rows.push(row(name, '—', what, va[key], vb[key], { atol: 0, rtol: 0 }, null));
    }
    for (const metric of metrics) {
      const ma = va.metrics[metric];
      const mb = vb.metrics[metric];
      if (!ma || !mb) {
        missing.push(`metric ${metric} of ${name} is only in ${ma ? 'A' : 'B'}`);
        continue;
      }
      rows.push(row(name, metric, 'final mean', ma.final_mean, mb.final_mean, tol, ma.final_std));
      rows.push(row(name, metric, 'best mean', ma.best_mean, mb.best_mean, tol, ma.best_std));
      const ca = va.curves[metric] ?? [];
      const cb = vb.curves[metric] ?? [];
      if (ca.length && cb.length) rows.push(curveRow(name, metric, ca, cb, tol, ma.final_std));
    }
    // Held-out test metrics (data.test_split) are results like any other; one side without them is a difference.
    for (const test of [...new Set([...Object.keys(va.test ?? {}), ...Object.keys(vb.test ?? {})])].sort()) {
      const ta = va.test?.[test];
      const tb = vb.test?.[test];
      if (!ta || !tb) missing.push(`metric ${test} of ${name} is only in ${ta ? 'A' : 'B'}`);
      else rows.push(row(name, test, 'held-out mean', ta.mean, tb.mean, tol, ta.std));
    }
  }
  return {
    rows: rows.map(withDirection),
    missing,
    compared: { variants: matched.pairs.length, metrics: metrics.length },
    mode: tol.atol === 0 && tol.rtol === 0 && !tol.sigma ? 'exact' : 'tolerance',
    judged: judgedBy(tol),
    notes: [],
    settings: [],
  };
}

/**
 * The variants of two result sets matched on their factor values (in A's order), and a line for each
 * variant of one side only: both diffs compare variant by variant.
 */
export function matchVariants<V extends { factors: Record<string, FactorValue> }>(
  a: V[],
  b: V[],
): { pairs: Array<{ name: string; a: V; b: V }>; missing: string[] } {
  const byLabel = new Map(b.map((v) => [variantLabel(v.factors), v]));
  const inA = new Set(a.map((v) => variantLabel(v.factors)));
  const pairs = a.flatMap((va) => {
    const name = variantLabel(va.factors);
    const vb = byLabel.get(name);
    return vb ? [{ name, a: va, b: vb }] : [];
  });
  const missing = [
    ...[...inA].filter((name) => !byLabel.has(name)).map((name) => `variant ${name} is only in A`),
    ...[...byLabel.keys()].filter((name) => !inA.has(name)).map((name) => `variant ${name} is only in B`),
  ];
  return { pairs, missing };
}

/** The signed change B − A and which way it went: up is better for accuracies and ok runs, worse for losses and failed runs. */
export function withDirection<R extends Omit<DiffRow, 'delta' | 'direction'>>(row: R): R & Pick<DiffRow, 'delta' | 'direction'> {
  // The largest per-epoch deviation has no sign; a curve's length (epochs) has one, but no better way.
  const delta = row.a === null || row.b === null || row.what.startsWith('curve (') ? null : row.b - row.a;
  const upIsBetter = row.what.startsWith('curve')
    ? undefined
    : row.metric === '—'
      ? ({ 'runs ok': true, 'runs diverged': false, 'runs failed': false } as Record<string, boolean>)[row.what]
      : higherIsBetter(row.metric);
  const direction = delta === null || delta === 0 || upIsBetter === undefined ? undefined : delta > 0 === upIsBetter ? 'better' : 'worse';
  return { ...row, delta, ...(direction ? { direction } : {}) };
}

function judgedBy(tol: Tolerance): string {
  if (tol.atol === 0 && tol.rtol === 0 && !tol.sigma) return 'exact: a value passes only if it is equal as written (for a rerun with the same kernels)';
  const parts = [tol.atol ? `${tol.atol}` : '', tol.rtol ? `${tol.rtol}·|A|` : ''].filter(Boolean).join(' + ') || '0';
  return `tolerance: |B − A| ≤ ${tol.sigma ? `max(${parts}, ${tol.sigma}·std_A)` : parts}`;
}

function tolerance(reference: number, tol: Tolerance, std: number | null): number {
  return Math.max(tol.atol + tol.rtol * Math.abs(reference), tol.sigma !== undefined && std !== null ? tol.sigma * std : 0);
}

type UndirectedRow = Omit<DiffRow, 'delta' | 'direction'>;

function row(variant: string, metric: string, what: string, a: number | null, b: number | null, tol: Tolerance, std: number | null): UndirectedRow {
  if (a === null || b === null) return { variant, metric, what, a, b, difference: null, tolerance: 0, within: a === b };
  const t = tolerance(a, tol, std);
  const difference = Math.abs(b - a);
  return { variant, metric, what, a, b, difference, tolerance: t, within: difference <= t + 1e-12 };
}

function curveRow(variant: string, metric: string, a: Array<number | null>, b: Array<number | null>, tol: Tolerance, std: number | null): UndirectedRow {
  const what = 'curve (max per-epoch deviation)';
  if (a.length !== b.length)
    return { variant, metric, what: `curve length (epochs)`, a: a.length, b: b.length, difference: Math.abs(a.length - b.length), tolerance: 0, within: false };
  let worst = { difference: 0, within: true, a: a[0] ?? null, b: b[0] ?? null, tolerance: 0 };
  a.forEach((va, i) => {
    const vb = b[i];
    if (va === null || vb === null || vb === undefined) {
      if (va !== vb) worst = { difference: Number.POSITIVE_INFINITY, within: false, a: va, b: vb ?? null, tolerance: 0 };
      return;
    }
    const t = tolerance(va, tol, std);
    const d = Math.abs(vb - va);
    if (d - t > worst.difference - worst.tolerance) worst = { difference: d, within: d <= t + 1e-12, a: va, b: vb, tolerance: t };
  });
  return { variant, metric, what, ...worst, difference: Number.isFinite(worst.difference) ? worst.difference : null };
}
