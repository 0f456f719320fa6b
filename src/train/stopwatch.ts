/**
 * Time spent inside `timed` calls, summed: what an optional piece of work (the per-layer signals)
 * costs a run, measured where it happens.
 * @example const watch = createStopwatch(); watch.timed(() => work()); watch.spentMs()
 */
export function createStopwatch() {
  let spentMs = 0;
  return {
    spentMs: () => spentMs,
    timed<T>(work: () => T): T {
      const started = performance.now();
      try {
        return work();
      } finally {
        spentMs += performance.now() - started;
      }
    },
  };
}
