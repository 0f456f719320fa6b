export interface SvgSeries {
  label: string;
  color: string;
  mean: Array<number | null>;
  std?: Array<number | null>;
  /** Per-run curves, drawn thin and hidden until "show runs" is ticked. */
  runs?: Array<Array<number | null>>;
}

interface SvgChartOptions {
  title: string;
  /** Shared y range so panels of one metric compare at a glance. */
  yRange: [number, number];
  epochs: number;
  width?: number;
  height?: number;
  /** Plot log10 of the values (positive ones; others are left out) with ticks at powers of ten. */
  logY?: boolean;
}

const M = { left: 48, right: 10, top: 22, bottom: 30 };

/** A line chart as an SVG string: mean lines, ±1 std bands, optional per-run lines, axes with ticks. */
export function renderSvgChart(input: SvgSeries[], o: SvgChartOptions): string {
  const width = o.width ?? 380;
  const height = o.height ?? 230;
  const toLog = (v: number | null) => (v !== null && v > 0 ? Math.log10(v) : null);
  const series = o.logY ? input.map((s) => ({ ...s, mean: s.mean.map(toLog), std: undefined, runs: s.runs?.map((r) => r.map(toLog)) })) : input;
  const range: [number, number] = o.logY ? [Math.floor(Math.log10(o.yRange[0]) * 2) / 2, Math.ceil(Math.log10(o.yRange[1]) * 2) / 2] : o.yRange;
  const [y0, y1] = range[0] === range[1] ? [range[0] - 1, range[1] + 1] : range;
  const x = (epoch: number) => M.left + (o.epochs <= 1 ? 0 : ((epoch - 1) * (width - M.left - M.right)) / (o.epochs - 1));
  const y = (v: number) => M.top + ((y1 - v) * (height - M.top - M.bottom)) / (y1 - y0);
  const path = (values: Array<number | null>) =>
    values
      .map((v, i) => (v === null ? null : `${x(i + 1).toFixed(1)},${y(v).toFixed(1)}`))
      .reduce<string>((d, p, i, all) => (p === null ? d : `${d}${d && all[i - 1] !== null ? 'L' : 'M'}${p}`), '');
  const parts: string[] = [];
  for (const s of series) {
    if (s.std) {
      const upper = s.mean.map((m, i) => (m === null || s.std![i] === null ? null : { e: i + 1, v: m + s.std![i]! }));
      const lower = s.mean.map((m, i) => (m === null || s.std![i] === null ? null : { e: i + 1, v: m - s.std![i]! }));
      const pts = [...upper.filter(isPoint), ...lower.filter(isPoint).reverse()];
      if (pts.length > 2) parts.push(`<polygon class="band" fill="${s.color}" fill-opacity="0.15" points="${pts.map((p) => `${x(p.e).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ')}"/>`);
    }
    for (const run of s.runs ?? []) parts.push(`<path class="run" d="${path(run)}" stroke="${s.color}" stroke-width="0.8" stroke-opacity="0.6" fill="none"/>`);
    parts.push(`<path class="mean" d="${path(s.mean)}" stroke="${s.color}" stroke-width="2" fill="none"><title>${escapeXml(s.label)}</title></path>`);
  }
  const yTicks = Array.from({ length: 5 }, (_, i) => y0 + ((y1 - y0) * i) / 4);
  const step = Math.max(1, Math.ceil(o.epochs / 8));
  // Every step-th epoch, and the last one unless it would collide with the tick before it.
  const xTicks = Array.from({ length: o.epochs }, (_, i) => i + 1).filter((e) => (e - 1) % step === 0 || (e === o.epochs && (e - 1) % step >= step / 2));
  const axes = [
    `<line x1="${M.left}" y1="${height - M.bottom}" x2="${width - M.right}" y2="${height - M.bottom}" stroke="#888"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${height - M.bottom}" stroke="#888"/>`,
    ...yTicks.map((v) => `<text x="${M.left - 4}" y="${(y(v) + 3).toFixed(1)}" text-anchor="end">${o.logY ? formatPower(v) : formatTick(v)}</text><line x1="${M.left}" x2="${width - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`),
    ...xTicks.map((e) => `<text x="${x(e).toFixed(1)}" y="${height - M.bottom + 13}" text-anchor="middle">${e}</text>`),
    `<text x="${(width + M.left) / 2}" y="${height - 3}" text-anchor="middle">epoch</text>`,
    `<text x="${M.left}" y="14" font-weight="bold">${escapeXml(o.title)}</text>`,
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-size="10" font-family="sans-serif">${axes.join('')}${parts.join('')}</svg>`;
}

function isPoint(p: { e: number; v: number } | null): p is { e: number; v: number } {
  return p !== null;
}

/** A tick of a log10 axis: 1e-3, or 3.2e-3 between powers. */
function formatPower(exponent: number): string {
  return Number.isInteger(exponent) ? `1e${exponent}` : (10 ** exponent).toExponential(1);
}

function formatTick(v: number): string {
  const a = Math.abs(v);
  return a >= 1000 ? v.toExponential(1) : a >= 10 ? v.toFixed(1) : v.toFixed(3);
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface ScatterPoint {
  x: number;
  y: number;
  /** ±1 std of y, drawn as a vertical bar. */
  yStd?: number | null;
  color: string;
  /** Shown on hover. */
  label: string;
}

/** A scatter of one value per variant against a sampled factor (log x for log-uniform factors), with ±1 std bars. */
export function renderSvgScatter(points: ScatterPoint[], o: { title: string; xLabel: string; xLog?: boolean; width?: number; height?: number }): string {
  const width = o.width ?? 300;
  const height = o.height ?? 210;
  const tx = (v: number) => (o.xLog ? Math.log10(v) : v);
  const shown = points.filter((p) => Number.isFinite(p.y) && (!o.xLog || p.x > 0));
  const xs = shown.map((p) => tx(p.x));
  const ys = shown.flatMap((p) => [p.y - (p.yStd ?? 0), p.y + (p.yStd ?? 0)]);
  const span = (v: number[]): [number, number] => {
    if (v.length === 0) return [0, 1];
    const [lo, hi] = [Math.min(...v), Math.max(...v)];
    const pad = hi > lo ? (hi - lo) * 0.06 : 1;
    return [lo - pad, hi + pad];
  };
  const [x0, x1] = span(xs);
  const [y0, y1] = span(ys);
  const x = (v: number) => M.left + ((tx(v) - x0) * (width - M.left - M.right)) / (x1 - x0);
  const y = (v: number) => M.top + ((y1 - v) * (height - M.top - M.bottom)) / (y1 - y0);
  const ticks = (lo: number, hi: number) => Array.from({ length: 5 }, (_, i) => lo + ((hi - lo) * i) / 4);
  const axes = [
    `<line x1="${M.left}" y1="${height - M.bottom}" x2="${width - M.right}" y2="${height - M.bottom}" stroke="#888"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${height - M.bottom}" stroke="#888"/>`,
    ...ticks(y0, y1).map((v) => `<text x="${M.left - 4}" y="${(y(v) + 3).toFixed(1)}" text-anchor="end">${formatTick(v)}</text><line x1="${M.left}" x2="${width - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`),
    ...ticks(x0, x1).map((t, i) => {
      const px = M.left + ((t - x0) * (width - M.left - M.right)) / (x1 - x0);
      // The last label ends at its tick, so it stays inside the chart.
      return `<text x="${px.toFixed(1)}" y="${height - M.bottom + 13}" text-anchor="${i === 4 ? 'end' : 'middle'}">${o.xLog ? (10 ** t).toExponential(1) : formatTick(t)}</text>`;
    }),
    `<text x="${(width + M.left) / 2}" y="${height - 3}" text-anchor="middle">${escapeXml(o.xLabel)}${o.xLog ? ' (log)' : ''}</text>`,
    `<text x="${M.left}" y="14" font-weight="bold">${escapeXml(o.title)}</text>`,
  ];
  const marks = shown.map((p) => {
    const bar = p.yStd ? `<line x1="${x(p.x).toFixed(1)}" x2="${x(p.x).toFixed(1)}" y1="${y(p.y - p.yStd).toFixed(1)}" y2="${y(p.y + p.yStd).toFixed(1)}" stroke="${p.color}" stroke-opacity="0.5"/>` : '';
    return `${bar}<circle class="point" cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="3.5" fill="${p.color}"><title>${escapeXml(p.label)}</title></circle>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-size="10" font-family="sans-serif">${axes.join('')}${marks.join('')}</svg>`;
}
