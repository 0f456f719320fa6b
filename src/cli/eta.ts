/**
 * Time left in a sweep, learnt from the runs that finished: each run is taken to cost a fixed time
 * (process start, data loading) plus a time proportional to its work (parameters × samples ×
 * epochs), fitted by least squares. Before the first run finishes nothing is known: no estimate.
 * @example const eta = createEta(); eta.observe(1e6, 2000); eta.remaining([2e6], [], 1) ≈ 4000
 */
export function createEta() {
  const done: Array<{ work: number; ms: number }> = [];

  /** Milliseconds a run of this much work takes, by the fit; undefined before any run finished. */
  const predict = (work: number): number | undefined => {
    if (done.length === 0) return undefined;
    const { fixed, perWork } = fit(done);
    return fixed + perWork * work;
  };

  return {
    observe(work: number, ms: number): void {
      done.push({ work, ms });
    },
    predict,
    /**
     * Milliseconds until `pending` runs and the runs in flight (their work and the share done) are
     * finished by `parallel` workers.
     */
    remaining(pending: number[], inFlight: Array<{ work: number; doneShare: number }>, parallel: number): number | undefined {
      if (done.length === 0) return undefined;
      const left = pending.reduce((s, w) => s + predict(w)!, 0) + inFlight.reduce((s, r) => s + predict(r.work)! * (1 - r.doneShare), 0);
      return left / Math.max(1, Math.min(parallel, pending.length + inFlight.length));
    },
  };
}

/** Least squares of ms = fixed + perWork × work, both ≥ 0; through the origin when the works do not vary. */
function fit(points: Array<{ work: number; ms: number }>): { fixed: number; perWork: number } {
  const n = points.length;
  const mw = points.reduce((s, p) => s + p.work, 0) / n;
  const mt = points.reduce((s, p) => s + p.ms, 0) / n;
  const sww = points.reduce((s, p) => s + (p.work - mw) ** 2, 0);
  if (sww <= 1e-12 * mw * mw) return { fixed: 0, perWork: mw > 0 ? mt / mw : 0 };
  const perWork = points.reduce((s, p) => s + (p.work - mw) * (p.ms - mt), 0) / sww;
  const fixed = mt - perWork * mw;
  if (perWork < 0) return { fixed: mt, perWork: 0 };
  if (fixed < 0) return { fixed: 0, perWork: points.reduce((s, p) => s + p.ms * p.work, 0) / points.reduce((s, p) => s + p.work * p.work, 0) };
  return { fixed, perWork };
}
