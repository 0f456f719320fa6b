/** A chart draws at most this many points per series; the result files keep every epoch. */
const MOST_POINTS = 1000;

/**
 * The epochs report.html's charts draw: every epoch up to MOST_POINTS of them; beyond, buckets of
 * consecutive epochs, each drawn as two points (its first and last epoch) holding the bucket's
 * lowest and highest value in the order they came (min-max decimation), so a spike or a dip of one
 * epoch still shows. 2,000 epochs draw as 1,000 points; the page stays small and quick to render.
 * @example epochGrid(3).xs → [1, 2, 3]; epochGrid(2000).xs.length === 1000
 */
export function epochGrid(epochs: number, most = MOST_POINTS) {
  const buckets: Array<[number, number]> = [];
  if (epochs <= most) for (let e = 0; e < epochs; e++) buckets.push([e, e]);
  else {
    const size = Math.ceil(epochs / Math.floor(most / 2));
    for (let start = 0; start < epochs; start += size) buckets.push([start, Math.min(epochs, start + size) - 1]);
  }
  const xs = buckets.flatMap(([a, b]) => (a === b ? [a + 1] : [a + 1, b + 1]));
  return {
    /** Epoch numbers (from 1) of the points drawn. */
    xs,
    /** Per point drawn, the epoch index whose value it shows: each bucket's extremes, in the order they came. */
    picks(values: ReadonlyArray<number | null | undefined>): number[] {
      return buckets.flatMap(([a, b]) => {
        if (a === b) return [a];
        let lo = -1;
        let hi = -1;
        for (let e = a; e <= b; e++) {
          const v = values[e];
          if (v === null || v === undefined || !Number.isFinite(v)) continue;
          if (lo < 0 || v < values[lo]!) lo = e;
          if (hi < 0 || v > values[hi]!) hi = e;
        }
        if (lo < 0) return [a, b];
        return lo <= hi ? [lo, hi] : [hi, lo];
      });
    },
    /** Values at the picked epochs (null where there are none). */
    take(values: ReadonlyArray<number | null | undefined>, picked: number[]): Array<number | null> {
      return picked.map((e) => values[e] ?? null);
    },
    /** A series drawn as its own extremes per bucket. */
    series(values: ReadonlyArray<number | null | undefined>): Array<number | null> {
      return this.take(values, this.picks(values));
    },
    /** A band's edge: per bucket the lowest (or highest) value at both of its points, so the band covers every epoch. */
    edge(values: ReadonlyArray<number | null | undefined>, side: 'low' | 'high'): Array<number | null> {
      return buckets.flatMap(([a, b]) => {
        const inside = values.slice(a, b + 1).filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
        const v = inside.length ? (side === 'low' ? Math.min(...inside) : Math.max(...inside)) : null;
        return a === b ? [v] : [v, v];
      });
    },
  };
}

export type EpochGrid = ReturnType<typeof epochGrid>;
