/** What a run's time is estimated from: its model's size (parameters) and its training steps. */
export interface RunSize {
  params: number;
  steps: number;
}

/**
 * Where the finished runs' sizes do not span this factor, a step's cost is taken to grow as the
 * square root of the parameters from the nearest size (the seed MLP: about 14× the step time for
 * 200× the parameters, H=1024 against H=5). Beyond the sizes seen, the larger of that and the fit.
 */
const SQRT_RULE_SPAN = 4;

/** What a finished run took: its whole time as progress saw it, and its training time alone. */
interface RunTimes {
  wallMs: number;
  trainMs: number;
}

/**
 * Time left in a sweep, learnt from the runs that finished: each pending run costs a fixed part
 * (starting, loading data, writing files: the finished runs' time outside training) plus its steps
 * times the time per step of its size — measured where runs of that size finished, otherwise from a
 * fit of a step's cost as a fixed part plus a part per parameter (kernel calls of fixed cost, then
 * arithmetic in proportion to the weights) over the sizes that did. Runs of one size finish first in
 * a grid sweep, so one cost per unit of work took an H=1024 run for 200 H=5 ones. Before the first
 * run finishes nothing is known: no estimate.
 * @example const eta = createEta(); eta.observe({params: 4000, steps: 100}, {wallMs: 1500, trainMs: 1000}); eta.predict({params: 4000, steps: 300}) === 3500
 */
export function createEta() {
  const done: Array<RunSize & RunTimes> = [];

  /** Milliseconds per step at `params`, from the finished runs; undefined before any finished. */
  const perStep = (params: number): number | undefined => {
    if (done.length === 0) return undefined;
    const sizes = [...new Set(done.map((d) => d.params))]
      .sort((a, b) => a - b)
      .map((p) => {
        const mine = done.filter((d) => d.params === p);
        return { params: p, ms: mine.reduce((s, d) => s + d.trainMs, 0) / mine.reduce((s, d) => s + Math.max(1, d.steps), 0) };
      });
    const exact = sizes.find((s) => s.params === params);
    if (exact) return exact.ms;
    const nearest = sizes.reduce((b, s) => (Math.abs(Math.log(s.params / params)) < Math.abs(Math.log(b.params / params)) ? s : b));
    const sqrtRule = nearest.ms * Math.sqrt(params / Math.max(1, nearest.params));
    if (sizes[sizes.length - 1]!.params < SQRT_RULE_SPAN * sizes[0]!.params) return sqrtRule;
    const { fixed, perParam } = fitAffine(sizes);
    const fitted = fixed + perParam * params;
    const inside = params > sizes[0]!.params && params < sizes[sizes.length - 1]!.params;
    return inside ? fitted : Math.max(fitted, sqrtRule);
  };

  /** The time a run spends outside training, as the finished runs did (mean). */
  const overhead = (): number => done.reduce((s, d) => s + Math.max(0, d.wallMs - d.trainMs), 0) / Math.max(1, done.length);

  const predict = (size: RunSize): number | undefined => {
    const ms = perStep(size.params);
    return ms === undefined ? undefined : overhead() + ms * Math.max(1, size.steps);
  };

  return {
    observe(size: RunSize, times: RunTimes): void {
      done.push({ ...size, wallMs: times.wallMs, trainMs: Math.min(times.trainMs, times.wallMs) });
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
