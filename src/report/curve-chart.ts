import asciichart from 'asciichart';
import { plotScale, type PlotScale } from './plot-scale.js';

interface ChartSeries {
  label: string;
  values: Array<number | null>;
}

interface ChartOptions {
  title: string;
  color: boolean;
  /** Rows of the plot (default 10). */
  height?: number;
  /** Columns the whole chart may take: tick labels, plot, end-of-line marks, axis and legend. */
  width?: number;
}

const PALETTE = [asciichart.blue, asciichart.red, asciichart.green, asciichart.magenta, asciichart.cyan, asciichart.yellow, asciichart.lightred, asciichart.lightblue, asciichart.lightgreen, asciichart.lightmagenta];
const MARKS = ['●', '■', '▲', '◆', '○', '□', '△', '◇', '+', 'x'];
/** Columns of one tick label's gutter: the label and the axis character after a space. */
const AXIS_GAP = 2;

/**
 * An asciichart of per-epoch curves with a title, an epoch axis and a legend, never wider than
 * `width`. Without colour the lines cannot be told apart, so each series' last point is marked with
 * its own symbol instead. Any values draw: asciichart only ever sees rows 0..height (see plotScale).
 */
export function renderCurveChart(series: ChartSeries[], options: ChartOptions): string {
  const usable = series
    .map((s) => ({ label: s.label, values: s.values.map((v) => (v !== null && Number.isFinite(v) ? v : null)) }))
    .filter((s) => s.values.some((v) => v !== null));
  if (usable.length === 0) return `${options.title}\n  (no data)`;
  const totalWidth = Math.max(24, options.width ?? 76);
  const height = Math.max(2, options.height ?? 10);
  const epochs = Math.max(...usable.map((s) => s.values.length));
  const filled = usable.map((s) => fillGaps(s.values, epochs));
  const scale = plotScale(filled.flat(), height);
  const tick = tickFormat(scale, height);
  const labelWidth = Math.max(...Array.from({ length: height + 1 }, (_, row) => tick(scale.valueAt(row)).length));
  const marks = options.color ? 0 : 2 * usable.length;
  // Long trainings are resampled down to the plot's width, short ones stretched (≤ 8 columns an epoch).
  const plotWidth = Math.max(2, Math.min(totalWidth - labelWidth - AXIS_GAP - marks, epochs * 8));
  const rows = filled.map((values) => resample(values, plotWidth).map(scale.rowOf));
  const lines = asciichart
    .plot(rows, {
      height,
      min: 0,
      max: height,
      colors: options.color ? usable.map((_, i) => PALETTE[i % PALETTE.length]!) : undefined,
      format: (row: number) => tick(scale.valueAt(row)).padStart(labelWidth),
    })
    .split('\n');
  const axisOffset = labelWidth + AXIS_GAP;
  if (!options.color) markLastPoints(lines, rows, height, axisOffset);
  const legend = usable.map((s, i) => {
    const swatch = options.color ? `${PALETTE[i % PALETTE.length]}───${asciichart.reset}` : `${MARKS[i % MARKS.length]}`;
    const last = [...s.values].reverse().find((v) => v !== null);
    const text = `${s.label}${last !== undefined && last !== null ? `  (last ${formatTick(last)})` : ''}`;
    return `  ${swatch} ${truncate(text, totalWidth - (options.color ? 6 : 4))}`;
  });
  return [...options.title.split('\n').map((t) => truncate(t, totalWidth)), ...lines, epochAxis(epochs, plotWidth, axisOffset, totalWidth), ...legend].join('\n');
}

/** A chart's own number format: 3 decimals for fractions, fewer for large values, exponents for huge ones. */
function formatTick(x: number): string {
  const abs = Math.abs(x);
  return abs >= 1e7 ? x.toExponential(2) : abs >= 1000 ? x.toFixed(0) : abs >= 10 ? x.toFixed(1) : x.toFixed(3);
}

/**
 * Axis labels with enough digits that neighbouring ticks differ: a curve moving from 21904.3 to
 * 21903.9 must not be labelled 21904 on every row. Capped at 6 decimals / 6 significant digits.
 */
function tickFormat(scale: PlotScale, rows: number): (x: number) => string {
  const step = (scale.valueAt(rows) - scale.valueAt(0)) / rows;
  const largest = Math.max(Math.abs(scale.valueAt(0)), Math.abs(scale.valueAt(rows)));
  if (!(step > 0) || !Number.isFinite(step)) return formatTick;
  if (largest >= 1e7) {
    const digits = Math.min(6, Math.max(2, Math.ceil(Math.log10(largest / step))));
    return (x) => x.toExponential(digits);
  }
  const decimals = Math.min(6, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
  return (x) => {
    const plain = formatTick(x);
    const fine = x.toFixed(decimals);
    return fine.length > plain.length ? fine : plain;
  };
}

/** Epoch numbers under the plot, at the columns where those epochs are drawn, within `totalWidth`. */
function epochAxis(epochs: number, plotWidth: number, offset: number, totalWidth: number): string {
  const chars = Array.from({ length: totalWidth }, () => ' ');
  const step = Math.max(1, Math.ceil(epochs / 10));
  for (let e = 1; e <= epochs; e += step) placeLabel(chars, offset + columnOf(e, epochs, plotWidth), String(e));
  if ((epochs - 1) % step !== 0) placeLabel(chars, offset + columnOf(epochs, epochs, plotWidth), String(epochs));
  const axis = chars.join('').trimEnd();
  return axis.length + 7 <= totalWidth ? `${axis}  epoch` : axis;
}

function placeLabel(chars: string[], at: number, label: string): void {
  if (at + label.length > chars.length) return;
  if (chars.slice(Math.max(0, at - 1), at + label.length + 1).some((c) => c !== ' ')) return;
  for (let i = 0; i < label.length; i++) chars[at + i] = label[i]!;
}

function columnOf(epoch: number, epochs: number, width: number): number {
  return epochs <= 1 ? 0 : Math.round(((epoch - 1) * (width - 1)) / (epochs - 1));
}

/** Linear interpolation of the points onto `width` columns. */
function resample(values: number[], width: number): number[] {
  if (values.length <= 1) return Array(width).fill(values[0]);
  return Array.from({ length: width }, (_, c) => {
    const pos = (c * (values.length - 1)) / (width - 1);
    const i = Math.floor(pos);
    const frac = pos - i;
    return i + 1 < values.length ? values[i]! * (1 - frac) + values[i + 1]! * frac : values[i]!;
  });
}

/**
 * asciichart cannot draw gaps: carry the last value forward (the first one backward), and hold a
 * series that ended early (early stopping) at its last value to the longest one's length.
 */
function fillGaps(values: Array<number | null>, length: number): number[] {
  const first = values.find((v) => v !== null)!;
  let last = first;
  const filled = values.map((v) => (v === null ? last : (last = v)));
  return [...filled, ...Array<number>(length - filled.length).fill(last)];
}

/**
 * Each series' symbol just right of its last point, on the row asciichart drew that point on (it
 * rounds the plotted value). Series ending on one row get their marks side by side, not on top.
 */
function markLastPoints(lines: string[], rows: number[][], height: number, offset: number): void {
  const used = new Map<number, number>();
  rows.forEach((series, i) => {
    const line = height - Math.round(series[series.length - 1]!);
    if (lines[line] === undefined) return;
    const k = used.get(line) ?? 0;
    used.set(line, k + 1);
    const col = offset + series.length + 2 * k;
    const padded = lines[line]!.padEnd(col + 1);
    lines[line] = padded.slice(0, col) + MARKS[i % MARKS.length] + padded.slice(col + 1);
  });
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
