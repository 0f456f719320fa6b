import type { Comparison } from '../analysis/compare.js';
import type { VariantDiagnosis } from '../analysis/diagnose.js';
import { differenceCurve, meanCurve, type SeedCurve } from '../analysis/seed-curves.js';
import type { RunForSummary } from '../analysis/summarize.js';
import type { Trend } from '../analysis/trends.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { shortFactorValue, variantLabel, type FactorValue } from '../shared/factor-value.js';
import { higherIsBetter, isPredictionStat } from '../shared/history-contract.js';
import { renderCurveChart, renderLegend, type ChartSeries } from './curve-chart.js';
import { visibleWidth } from './fit-table.js';
import { wrapText } from '../shared/wrap-text.js';

interface EvidenceInput {
  variants: Array<{ factors: Record<string, FactorValue> }>;
  runs: RunForSummary[];
  columns: string[];
  comparisons: Comparison[];
  trends: Trend[];
  diagnoses: VariantDiagnosis[];
}

/** One chart of the evidence: its title and its series (a difference's mean with the seeds' range, or one line per level). */
interface EvidencePanel {
  title: string;
  series: ChartSeries[];
}

/** Charts of one column for one comparison (or trend), with a heading that says what the lines are. */
export interface EvidenceBlock {
  heading: string;
  column: string;
  panels: EvidencePanel[];
}

/** Beyond this many settings of the other factors, a difference is charted pooled over them, in one panel. */
const MOST_PANELS = 4;
/** A chart without a comparison shows at most this many variants (one line each). */
const MOST_LINES = 5;

/**
 * The charts the verdicts rest on: for each compared level, per column a quantity is about, the
 * paired difference from the baseline per epoch (mean over seeds, the seeds' range dotted, zero
 * dashed), one panel per setting of the other factors, each on its own range; for a trend, each
 * level's mean curve; without a comparison, the first validation metric and val_loss. Diagnostic
 * columns (val_top_class_share …) are charted only where a finding of the doctor rests on them.
 * The terminal and report.html draw the same blocks.
 */
export function planEvidence(input: EvidenceInput): EvidenceBlock[] {
  const columns = chartedColumns(input);
  const blocks: EvidenceBlock[] = [];
  const pairwise = [...new Map(input.comparisons.map((c) => [`${c.factor}\u0000${canonicalJson(c.level)}`, c])).values()];
  for (const first of pairwise) {
    const mine = input.comparisons.filter((c) => c.factor === first.factor && canonicalJson(c.level) === canonicalJson(first.level));
    for (const column of columns) blocks.push(differenceBlock(input, mine, column));
  }
  const trendFactors = [...new Set(input.trends.map((t) => t.factor))];
  for (const factor of trendFactors) for (const column of columns) blocks.push(levelsBlock(input, factor, column));
  if (pairwise.length === 0 && trendFactors.length === 0) for (const column of columns) blocks.push(variantsBlock(input, column));
  return blocks.filter((b) => b.panels.length === 0 || b.panels.some((p) => p.series.some((s) => s.values.some((v) => v !== null))));
}

/** The evidence blocks drawn for a terminal: panels two to a row where they fit, one legend per block. */
export function renderEvidenceCharts(input: EvidenceInput, options: { width: number; color: boolean }): string[] {
  if (Math.max(0, ...input.runs.map((r) => r.history.length)) < 2) return ['(no charts: a curve needs two epochs or more, and these runs have one)'];
  return planEvidence(input).map((b) => layoutPanels(b.heading, b.panels, options));
}

/** The columns the verdicts' quantities are about, then those a doctor's finding rests on; without verdicts, the first validation metric and val_loss. */
function chartedColumns(input: EvidenceInput): string[] {
  const fromVerdicts = [...input.comparisons, ...input.trends].map((c) => c.quantity.column).filter((c) => input.columns.includes(c));
  const fromFindings = input.diagnoses
    .flatMap((d) => d.findings.filter((f) => f.severity === 'problem').flatMap((f) => f.columns ?? []))
    .filter((c) => input.columns.includes(c));
  const validation = input.columns.filter((c) => c.startsWith('val_') && !isPredictionStat(c));
  const fallback = fromVerdicts.length ? [] : [...validation.filter((c) => c !== 'val_loss').slice(0, 1), ...validation.filter((c) => c === 'val_loss')];
  return [...new Set([...fromVerdicts, ...fallback, ...fromFindings])];
}

function differenceBlock(input: EvidenceInput, comparisons: Comparison[], column: string): EvidenceBlock {
  const { factor, level, baseline } = comparisons[0]!;
  const settings = [...new Map(comparisons.map((c) => [canonicalJson(c.others), c.others])).values()];
  const pairOf = (others: Record<string, FactorValue>): [number, number] | undefined => {
    const b = indexOf(input.variants, { ...others, [factor]: baseline });
    const l = indexOf(input.variants, { ...others, [factor]: level });
    return b >= 0 && l >= 0 ? [b, l] : undefined;
  };
  const levels = levelsByFactor(input.variants);
  const short = (f: string, v: FactorValue) => shortFactorValue(v, levels[f] ?? []);
  const name = `${factor}=${short(factor, level)} − ${factor}=${short(factor, baseline)}`;
  const all = settings.map((others) => ({
    others,
    curve: differenceCurve(
      input.runs,
      [pairOf(others)].filter((p): p is [number, number] => p !== undefined),
      column,
    ),
  }));
  // Beyond MOST_PANELS settings: those whose difference ends furthest from zero. (Pooling settings
  // whose effects have opposite signs would chart a mean near zero that stands for none of them.)
  const endOf = (curve: SeedCurve) => Math.abs([...curve.mean].reverse().find((v) => v !== null) ?? 0);
  const chosen = all.length > MOST_PANELS ? [...all].sort((a, b) => endOf(b.curve) - endOf(a.curve)).slice(0, MOST_PANELS) : all;
  const label = (others: Record<string, FactorValue>) =>
    Object.entries(others)
      .map(([f, v]) => `${f}=${short(f, v)}`)
      .join(' ');
  const series = (curve: SeedCurve): ChartSeries[] => [
    { label: `${name}, mean over ${curve.seeds} seeds`, values: curve.mean },
    { label: 'every seed lies between the dotted lines', values: curve.low, style: 'band' },
    { label: '', values: curve.high, style: 'band' },
    { label: 'no difference', values: curve.mean.map((v) => (v === null ? null : 0)), style: 'zero' },
  ];
  const direction = higherIsBetter(column)
    ? `above 0: higher ${column} with ${factor}=${short(factor, level)}`
    : `below 0: lower ${column} with ${factor}=${short(factor, level)}`;
  const subset = chosen.length < all.length ? `; the ${chosen.length} of ${all.length} settings whose difference ends furthest from 0` : '';
  const flat = (curve: SeedCurve) => [curve.mean, curve.low, curve.high].every((values) => values.every((v) => v === null || v === 0));
  if (chosen.every((p) => flat(p.curve))) {
    // E.g. early stopping: the paired runs train alike until one stops. A chart of zeros would say nothing.
    const heading = `${column}: ${name} is 0 at every epoch both runs of a seed trained (they differ in when they stop and which epoch they keep: the verdicts compare what each run ends with)`;
    return { heading, column, panels: [] };
  }
  const heading = `${column}: ${name}, per epoch (${direction}${subset})`;
  return {
    heading,
    column,
    panels: chosen.map((p) => ({ title: Object.keys(p.others).length ? `${column} · ${label(p.others)}` : column, series: series(p.curve) })),
  };
}

function levelsBlock(input: EvidenceInput, factor: string, column: string): EvidenceBlock {
  const trends = input.trends.filter((t) => t.factor === factor && t.quantity.column === column);
  const settings = [
    ...new Map((trends.length ? trends : input.trends.filter((t) => t.factor === factor)).map((t) => [canonicalJson(t.others), t.others])).values(),
  ].slice(0, MOST_PANELS);
  const levels = input.trends.find((t) => t.factor === factor)!.levels;
  const panels = settings.map((others) => ({
    title: Object.keys(others).length ? `${column} · ${variantLabel(others)}` : column,
    series: levels.map((level): ChartSeries => ({
      label: `${factor}=${level}`,
      values: meanCurve(input.runs, indexOf(input.variants, { ...others, [factor]: level }), column).mean,
    })),
  }));
  return { heading: `${column} per epoch, one line per ${factor} (mean over seeds)`, column, panels };
}

function variantsBlock(input: EvidenceInput, column: string): EvidenceBlock {
  const shown = input.variants.slice(0, MOST_LINES);
  const more = input.variants.length - shown.length;
  const series = shown.map((v, i): ChartSeries => ({ label: variantLabel(v.factors), values: meanCurve(input.runs, i, column).mean }));
  return {
    heading: `${column} per epoch (mean over seeds)${more ? `; ${more} more variants in report.html` : ''}`,
    column,
    panels: [{ title: column, series }],
  };
}

/** A heading, the panels two to a row where they fit (one each below 76 columns), and one legend for them all. */
function layoutPanels(heading: string, panels: EvidencePanel[], options: { width: number; color: boolean }): string {
  if (panels.length === 0) return wrapText(heading, options.width);
  const perRow = panels.length > 1 && options.width >= 76 ? 2 : 1;
  const cell = Math.floor(options.width / perRow) - (perRow > 1 ? 2 : 1);
  const height = perRow > 1 ? 6 : 8;
  const epochs = Math.max(1, ...panels.flatMap((p) => p.series.map((s) => s.values.length)));
  const titles = panels.map((p) => wrapText(p.title, cell).split('\n'));
  const titleLines = Math.max(...titles.map((t) => t.length));
  const charts = panels.map((p, i) =>
    renderCurveChart(p.series, {
      title: [...titles[i]!, ...Array(titleLines - titles[i]!.length).fill('')].join('\n'),
      color: options.color,
      width: cell,
      height,
      epochs,
      legend: false,
    }),
  );
  // One legend for every panel: a last value would be only the first panel's.
  const legend = renderLegend(panels[0]?.series ?? [], options.color, options.width, panels.length === 1).filter((l) => l.trim().length > 4);
  return [wrapText(heading, options.width), sideBySide(charts, perRow, cell), ...legend].join('\n');
}

function levelsByFactor(variants: Array<{ factors: Record<string, FactorValue> }>): Record<string, FactorValue[]> {
  const out: Record<string, FactorValue[]> = {};
  for (const v of variants)
    for (const [f, value] of Object.entries(v.factors))
      if (!(out[f] ?? []).some((x) => canonicalJson(x) === canonicalJson(value))) out[f] = [...(out[f] ?? []), value];
  return out;
}

function indexOf(variants: Array<{ factors: Record<string, FactorValue> }>, factors: Record<string, FactorValue>): number {
  return variants.findIndex((v) => Object.keys(factors).every((k) => canonicalJson(v.factors[k]) === canonicalJson(factors[k])));
}

/** Lay out text blocks in rows of `perRow`, each padded to `width` visible columns. */
function sideBySide(blocks: string[], perRow: number, width: number): string {
  const rows: string[] = [];
  for (let i = 0; i < blocks.length; i += perRow) {
    const group = blocks.slice(i, i + perRow).map((b) => b.split('\n'));
    const height = Math.max(...group.map((g) => g.length));
    for (let line = 0; line < height; line++) {
      rows.push(
        group
          .map((g, j) => (j === group.length - 1 ? (g[line] ?? '') : padVisible(g[line] ?? '', width + 2)))
          .join('')
          .trimEnd(),
      );
    }
    if (i + perRow < blocks.length) rows.push('');
  }
  return rows.join('\n');
}

function padVisible(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}
