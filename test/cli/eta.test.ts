import { describe, expect, it } from 'vitest';
import { createEta } from '../../src/cli/eta.js';

describe('createEta', () => {
  it('gives no estimate before a run has finished (a guess from start-up time misleads)', () => {
    expect(createEta().remaining([1, 2, 3], [], 2)).toBeUndefined();
  });

  it('learns a fixed cost per run and a cost per unit of work', () => {
    const eta = createEta();
    // 700 ms of start-up plus 1 ms per unit of work.
    for (const work of [100, 1000, 5000]) eta.observe(work, 700 + work);
    expect(eta.predict(2000)).toBeCloseTo(2700, 6);
    expect(eta.remaining([2000, 2000], [], 2)).toBeCloseTo(2700, 6);
  });

  it('counts what is left of the runs in flight and shares the work among the workers', () => {
    const eta = createEta();
    eta.observe(1000, 1000);
    expect(eta.remaining([1000], [{ work: 1000, doneShare: 0.5 }], 2)).toBeCloseTo(750, 6);
    expect(eta.remaining([], [], 2)).toBe(0);
  });

  it('scales by work when all finished runs were the same size', () => {
    const eta = createEta();
    eta.observe(10, 3000);
    eta.observe(10, 5000);
    expect(eta.predict(20)).toBeCloseTo(8000, 6);
  });
});
