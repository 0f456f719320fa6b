/** Maps values onto a plot's rows and back. */
export interface PlotScale {
  /** A value's position in rows from the bottom, in [0, height]. */
  rowOf(value: number): number;
  /** The value drawn at a row position (for tick labels). */
  valueAt(row: number): number;
}

/**
 * The scale of a plot `height` rows tall that holds every value. A flat or nearly flat set of values
 * (0.45 and 0.45000000000000007, or all 1e17) gets a small band around it, with the line in the
 * middle; values near ±Number.MAX_VALUE do not overflow the span.
 *
 * Charting libraries that work on raw values break on such input (asciichart's row loop never ends
 * when value × rows / span is beyond 2^53), so renderers pass only rowOf() positions to them.
 * @example plotScale([0.45, 0.45], 10).rowOf(0.45) === 5
 */
export function plotScale(values: number[], height: number): PlotScale {
  // Worked in halves, so that the span of values near ±Number.MAX_VALUE stays finite.
  const finite = values.filter(Number.isFinite).map((v) => v / 2);
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 0;
  const magnitude = Math.max(Math.abs(lo), Math.abs(hi));
  if (hi - lo <= magnitude * 1e-9) {
    const pad = magnitude > 0 ? magnitude * 1e-3 : 0.5;
    const middle = lo + (hi - lo) / 2;
    lo = middle - pad;
    hi = middle + pad;
  }
  const span = hi - lo;
  return {
    rowOf: (v) => Math.min(height, Math.max(0, ((v / 2 - lo) / span) * height)),
    valueAt: (row) => 2 * (lo + (row / height) * span),
  };
}
