import asciichart from 'asciichart';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
}

export interface ChartOptions {
  title: string;
  color: boolean;
  height?: number;
  /** Plot width in characters (epochs are spread over it). */
  width?: number;
}

const PALETTE = [asciichart.blue, asciichart.red, asciichart.green, asciichart.magenta, asciichart.cyan, asciichart.yellow, asciichart.lightred, asciichart.lightblue, asciichart.lightgreen, asciichart.lightmagenta];
const MARKS = ['●', '■', '▲', '◆', '○', '□', '△', '◇', '+', 'x'];

/**
 * An asciichart of per-epoch curves with a title, an epoch axis and a legend. Without colour the
 * lines cannot be told apart, so each series' last point is marked with its own symbol instead.
 */
export function renderCurveChart(series: ChartSeries[], options: ChartOptions): string {
  const usable = series.filter((s) => s.values.some((v) => v !== null));
  if (usable.length === 0) return `${options.title}\n  (no data)`;
  const epochs = Math.max(...usable.map((s) => s.values.length));
  // At most the given width: long trainings are resampled down, short ones stretched (≤ 8 columns an epoch).
  const width = Math.max(2, Math.min(options.width ?? 60, epochs * 8));
  const resampled = usable.map((s) => resample(fillGaps(s.values), epochs, width));
  const height = options.height ?? 10;
  const all = resampled.flat();
  const [min, max] = [Math.min(...all), Math.max(...all)];
  const tick = tickFormat(min, max, height);
  const labelWidth = Math.max(9, tick(min).length, tick(max).length);
  const lines = asciichart
    .plot(resampled, {
      height,
      colors: options.color ? usable.map((_, i) => PALETTE[i % PALETTE.length]!) : undefined,
      format: (x: number) => tick(x).padStart(labelWidth),
    })
    .split('\n');
  const axisOffset = labelWidth + 2;
  const xAxis = epochAxis(epochs, width, axisOffset);
  const legend = usable.map((s, i) => {
    const swatch = options.color ? `${PALETTE[i % PALETTE.length]}───${asciichart.reset}` : `${MARKS[i % MARKS.length]}`;
    const last = [...s.values].reverse().find((v) => v !== null);
    return `  ${swatch} ${s.label}${last !== undefined && last !== null ? `  (last ${formatTick(last).trim()})` : ''}`;
  });
  if (!options.color) markLastPoints(lines, resampled, axisOffset);
  return [options.title, ...lines, xAxis, ...legend].join('\n');
}

function formatTick(x: number): string {
  const abs = Math.abs(x);
  return abs >= 1e7 ? x.toExponential(2) : abs >= 1000 ? x.toFixed(0) : abs >= 10 ? x.toFixed(1) : x.toFixed(3);
}

/**
 * Axis labels with enough digits that neighbouring ticks differ: a curve moving from 21904.3 to
 * 21903.9 must not be labelled 21904 on every row. Capped at 6 decimals / 6 significant digits.
 */
function tickFormat(min: number, max: number, rows: number): (x: number) => string {
  const step = (max - min) / Math.max(1, rows);
  if (!(step > 0) || !Number.isFinite(step)) return formatTick;
  const largest = Math.max(Math.abs(min), Math.abs(max));
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

/** Epoch numbers under the plot, at the columns where those epochs are drawn. */
function epochAxis(epochs: number, width: number, offset: number): string {
  const chars = Array.from({ length: offset + width + 4 }, () => ' ');
  const step = Math.max(1, Math.ceil(epochs / 10));
  for (let e = 1; e <= epochs; e += step) placeLabel(chars, offset + columnOf(e, epochs, width), String(e));
  if ((epochs - 1) % step !== 0) placeLabel(chars, offset + columnOf(epochs, epochs, width), String(epochs));
  return `${chars.join('').trimEnd()}  epoch`;
}

function placeLabel(chars: string[], at: number, label: string): void {
  if (chars.slice(at - 1, at + label.length + 1).some((c) => c !== ' ' && c !== undefined)) return;
  for (let i = 0; i < label.length; i++) chars[at + i] = label[i]!;
}

function columnOf(epoch: number, epochs: number, width: number): number {
  return epochs <= 1 ? 0 : Math.round(((epoch - 1) * (width - 1)) / (epochs - 1));
}

/** Linear interpolation of `epochs` points onto `width` columns. */
function resample(values: number[], epochs: number, width: number): number[] {
  if (values.length < epochs) values = [...values, ...Array(epochs - values.length).fill(values[values.length - 1])];
  if (epochs <= 1) return Array(width).fill(values[0]);
  return Array.from({ length: width }, (_, c) => {
    const pos = (c * (epochs - 1)) / (width - 1);
    const i = Math.floor(pos);
    const frac = pos - i;
    return i + 1 < epochs ? values[i]! * (1 - frac) + values[i + 1]! * frac : values[i]!;
  });
}

/** asciichart cannot draw gaps: carry the last value forward (and the first one backward). */
function fillGaps(values: Array<number | null>): number[] {
  const first = values.find((v) => v !== null) ?? 0;
  let last = first;
  return values.map((v) => (v === null ? last : (last = v)));
}

function markLastPoints(lines: string[], series: number[][], offset: number): void {
  const all = series.flat();
  const min = Math.min(...all);
  const max = Math.max(...all);
  const rows = lines.length - 1;
  series.forEach((s, i) => {
    const v = s[s.length - 1]!;
    const row = max === min ? rows : Math.round(((max - v) / (max - min)) * rows);
    const line = lines[row];
    if (line === undefined) return;
    const col = offset + s.length;
    const padded = line.padEnd(col + 2);
    lines[row] = padded.slice(0, col + 1) + MARKS[i % MARKS.length] + padded.slice(col + 2);
  });
}
