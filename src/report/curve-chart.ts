import asciichart from 'asciichart';
import { plotScale, type PlotScale } from './plot-scale.js';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  /** line (default): a curve; band: a seed range's edge, drawn dotted; zero: the no-difference line, dashed. */
  style?: 'line' | 'band' | 'zero';
}

interface ChartOptions {
  title: string;
  color: boolean;
  /** Rows of the plot (default 10). */
  height?: number;
  /** Columns the whole chart may take: tick labels, plot, axis and legend. */
  width?: number;
  /** The epochs the x axis spans (default: the longest series); a series shorter than it ends early. */
  epochs?: number;
  /** Leave the legend out (small multiples share one). */
  legend?: boolean;
}

const PALETTE = [
  asciichart.blue,
  asciichart.red,
  asciichart.green,
  asciichart.magenta,
  asciichart.cyan,
  asciichart.yellow,
  asciichart.lightred,
  asciichart.lightblue,
  asciichart.lightgreen,
  asciichart.lightmagenta,
];
const AXIS = ['┼', '┤'];
type PlotSymbols = NonNullable<Parameters<typeof asciichart.plot>[1]>['symbols'];
/**
 * Without colour each line has its own strokes along its whole length, not only a mark at its end:
 * light, double, heavy, then dotted and starred. asciichart's symbol order: axis cross, axis tee, two
 * ends, then ─ ╰ ╭ ╮ ╯ │.
 */
const STROKES = [
  ['╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
  ['╶', '╴', '═', '╚', '╔', '╗', '╝', '║'],
  ['╶', '╴', '━', '┗', '┏', '┓', '┛', '┃'],
  ['·', '·', '·', '·', '·', '·', '·', ':'],
  ['*', '*', '*', '*', '*', '*', '*', '*'],
];
const BAND = ['·', '·', '·', '·', '·', '·', '·', '·'];
const ZERO = ['╶', '╴', '┈', '┈', '┈', '┈', '┈', '┊'];
const GREY = '\u001b[90m';
/** Columns of one tick label's gutter: the label and the axis character after a space. */
const AXIS_GAP = 2;

/**
 * An asciichart of per-epoch curves with a title, an epoch axis and a legend, never wider than
 * `width`. Each series is drawn on its own and overlaid (lines over the zero line over bands), so a
 * series can end before the axis does (early stopping) and lines keep their own strokes without
 * colour. Any values draw: asciichart only ever sees rows 0..height (see plotScale).
 */
export function renderCurveChart(series: ChartSeries[], options: ChartOptions): string {
  const usable = series
    .map((s) => ({ ...s, values: trimTrailing(s.values.map((v) => (v !== null && Number.isFinite(v) ? v : null))) }))
    .filter((s) => s.values.some((v) => v !== null));
  if (usable.length === 0) return `${options.title}\n  (no data)`;
  const totalWidth = Math.max(24, options.width ?? 76);
  const height = Math.max(2, options.height ?? 10);
  const epochs = Math.max(options.epochs ?? 0, ...usable.map((s) => s.values.length));
  const scale = plotScale(
    usable.flatMap((s) => s.values.filter((v): v is number => v !== null)),
    height,
  );
  const tick = tickFormat(scale, height);
  const labelWidth = Math.max(...Array.from({ length: height + 1 }, (_, row) => tick(scale.valueAt(row)).length));
  // Long trainings are resampled down to the plot's width, short ones stretched (≤ 8 columns an epoch).
  const plotWidth = Math.max(2, Math.min(totalWidth - labelWidth - AXIS_GAP, epochs * 8));
  const lineIndex = (i: number) => usable.slice(0, i).filter((s) => (s.style ?? 'line') === 'line').length;
  const layers = usable.map((s, i) => {
    const columns = Math.max(1, Math.round(((s.values.length - 1) / Math.max(1, epochs - 1)) * (plotWidth - 1)) + 1);
    const rows = resample(fillGaps(s.values), columns).map(scale.rowOf);
    const style = s.style ?? 'line';
    const strokes = style === 'band' ? BAND : style === 'zero' ? ZERO : options.color ? STROKES[0]! : STROKES[lineIndex(i) % STROKES.length]!;
    const color = !options.color ? undefined : style === 'line' ? PALETTE[lineIndex(i) % PALETTE.length] : GREY;
    const text = asciichart.plot([rows], {
      height,
      min: 0,
      max: height,
      symbols: [...AXIS, ...strokes] as PlotSymbols,
      format: (row: number) => tick(scale.valueAt(row)).padStart(labelWidth),
    });
    return { style, color, lines: text.split('\n') };
  });
  const order = [...layers.filter((l) => l.style === 'line'), ...layers.filter((l) => l.style === 'zero'), ...layers.filter((l) => l.style === 'band')];
  const lines = overlay(order, labelWidth + AXIS_GAP);
  const legend = options.legend === false ? [] : renderLegend(usable, options.color, totalWidth);
  return [
    ...options.title.split('\n').map((t) => truncate(t, totalWidth)),
    ...lines,
    epochAxis(epochs, plotWidth, labelWidth + AXIS_GAP, totalWidth),
    ...legend,
  ].join('\n');
}

/**
 * One legend line per series as drawn (bands named once): its strokes (or colour) and label, with
 * the last value where the series is a line.
 * @example renderLegend([{label: 'bn=true'…}], false, 80) → ['  ─── bn=true  (last 0.957)']
 */
export function renderLegend(series: ChartSeries[], color: boolean, width: number, withLast = true): string[] {
  const out: string[] = [];
  let lineNo = 0;
  let bandShown = false;
  for (const s of series) {
    const style = s.style ?? 'line';
    if (style === 'band' && bandShown) continue;
    bandShown ||= style === 'band';
    const strokes = style === 'band' ? BAND : style === 'zero' ? ZERO : color ? STROKES[0]! : STROKES[lineNo % STROKES.length]!;
    const swatchText = strokes[2]!.repeat(3);
    const swatch = !color ? swatchText : `${style === 'line' ? PALETTE[lineNo % PALETTE.length] : GREY}${swatchText}${asciichart.reset}`;
    const last = style === 'line' && withLast ? [...s.values].reverse().find((v) => v !== null && Number.isFinite(v)) : undefined;
    const text = `${s.label}${last !== undefined && last !== null ? `  (last ${formatTick(last)})` : ''}`;
    out.push(`  ${swatch} ${truncate(text, width - 6)}`);
    if (style === 'line') lineNo++;
  }
  return out;
}

/**
 * The layers' characters over each other, the first layer on top, each in its layer's colour; the
 * tick labels and axis are the first layer's, except that a series' start ('┼') shows through the
 * axis column. Layers are drawn without colour, so columns line up; colour is added per cell.
 */
function overlay(layers: Array<{ lines: string[]; color?: string }>, plotStart: number): string[] {
  const rows = layers[0]!.lines.length;
  return Array.from({ length: rows }, (_, r) => {
    const cells = layers.map((l) => [...(l.lines[r] ?? '')]);
    const width = Math.max(...cells.map((c) => c.length));
    const out: string[] = [];
    for (let c = 0; c < width; c++) {
      if (c < plotStart) {
        out.push(c === plotStart - 1 && cells.some((cell) => cell[c] === AXIS[0]) ? AXIS[0]! : (cells[0]![c] ?? ' '));
        continue;
      }
      const top = cells.findIndex((cell) => cell[c] !== undefined && cell[c] !== ' ');
      const color = top < 0 ? undefined : layers[top]!.color;
      const char = top < 0 ? ' ' : cells[top]![c]!;
      out.push(color ? `${color}${char}${asciichart.reset}` : char);
    }
    return out.join('').trimEnd();
  });
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
  if (values.length <= 1 || width <= 1) return Array(width).fill(values[0]);
  return Array.from({ length: width }, (_, c) => {
    const pos = (c * (values.length - 1)) / (width - 1);
    const i = Math.floor(pos);
    const frac = pos - i;
    return i + 1 < values.length ? values[i]! * (1 - frac) + values[i + 1]! * frac : values[i]!;
  });
}

/** asciichart cannot draw gaps inside a series: carry the last value forward (the first one backward). */
function fillGaps(values: Array<number | null>): number[] {
  const first = values.find((v) => v !== null)!;
  let last = first;
  return values.map((v) => (v === null ? last : (last = v)));
}

/** A series that ended early (early stopping) ends there: its trailing gaps are not drawn. */
function trimTrailing(values: Array<number | null>): Array<number | null> {
  let end = values.length;
  while (end > 0 && values[end - 1] === null) end--;
  return values.slice(0, end);
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
