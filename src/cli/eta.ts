/** What a run's time is estimated from: its model's size (parameters) and its training steps. */
export interface RunSize {
  params: number;
  steps: number;
}

/**
 * With a single size to learn from, a step's cost is taken to grow as the square root of the
 * parameters (the seed MLP: 200× the parameters at H=1024 against H=5, about 14× the step time).
 */
const SINGLE_SIZE_EXPONENT = 0.5;

/**
 * Time left in a sweep, learnt from the runs that finished: each pending run costs its steps times
 * the time per step of its size — measured where runs of that size finished, otherwise from a fit
 * of a step's cost as a fixed part plus a part per parameter over the sizes that finished (a step
 * is kernel calls of fixed cost plus arithmetic in proportion to the weights). Runs of one size
 * finish first in a grid sweep, so one cost per unit of work took an H=1024 run for 200 H=5 ones.
 * Before the first run finishes nothing is known: no estimate.
 * @example const eta = createEta(); eta.observe({params: 4000, steps: 100}, 1000); eta.predict({params: 4000, steps: 300}) === 3000
 */
export function createEta() {
  const done: Array<RunSize & { ms: number }> = [];

  /** Milliseconds per step at `params`, from the finished runs; undefined before any finished. */
  const perStep = (params: number): number | undefined => {
    if (done.length === 0) return undefined;
    const sizes = [...new Set(done.map((d) => d.params))].map((p) => {
      const mine = done.filter((d) => d.params === p);
      return { params: p, ms: mine.reduce((s, d) => s + d.ms, 0) / mine.reduce((s, d) => s + Math.max(1, d.steps), 0) };
    });
    const exact = sizes.find((s) => s.params === params);
    if (exact) return exact.ms;
    if (sizes.length === 1) return sizes[0]!.ms * (params / Math.max(1, sizes[0]!.params)) ** SINGLE_SIZE_EXPONENT;
    const { fixed, perParam } = fitAffine(sizes);
    return fixed + perParam * params;
  };

  const predict = (size: RunSize): number | undefined => {
    const ms = perStep(size.params);
    return ms === undefined ? undefined : ms * Math.max(1, size.steps);
  };

  return {
    observe(size: RunSize, ms: number): void {
      done.push({ ...size, ms });
    },
    predict,
    /**
     * Milliseconds until `pending` runs and the runs in flight (their size and the share done) are
     * finished by `parallel` workers: the work shared out, but never less than the longest run left.
     */
    remaining(pending: RunSize[], inFlight: Array<RunSize & { doneShare: number }>, parallel: number): number | undefined {
      if (done.length === 0) return undefined;
      const each = [...pending.map((r) => predict(r)!), ...inFlight.map((r) => predict(r)! * (1 - r.doneShare))];
      if (each.length === 0) return 0;
      const total = each.reduce((s, t) => s + t, 0);
      return Math.max(total / Math.max(1, Math.min(parallel, each.length)), ...each);
    },
  };
}

/** Least squares of ms = fixed + perParam × params over the sizes seen, both ≥ 0. */
function fitAffine(points: Array<{ params: number; ms: number }>): { fixed: number; perParam: number } {
  const n = points.length;
  const mp = points.reduce((s, p) => s + p.params, 0) / n;
  const mt = points.reduce((s, p) => s + p.ms, 0) / n;
  const spp = points.reduce((s, p) => s + (p.params - mp) ** 2, 0);
  const perParam = spp > 0 ? Math.max(0, points.reduce((s, p) => s + (p.params - mp) * (p.ms - mt), 0) / spp) : 0;
  const fixed = mt - perParam * mp;
  if (fixed >= 0) return { fixed, perParam };
  // Through the origin when the line would cross zero: all cost per parameter.
  return { fixed: 0, perParam: points.reduce((s, p) => s + p.ms * p.params, 0) / points.reduce((s, p) => s + p.params * p.params, 0) };
}
