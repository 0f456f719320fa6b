import { describe, expect, it } from 'vitest';
import { createEta } from '../../src/cli/eta.js';

const size = (params: number, steps = 1000) => ({ params, steps });

describe('createEta', () => {
  it('gives no estimate before a run has finished (a guess from start-up time misleads)', () => {
    expect(createEta().remaining([size(1), size(2)], [], 2)).toBeUndefined();
  });

  it('prices a run of a size seen by that size’s time per step, times its steps', () => {
    const eta = createEta();
    eta.observe(size(4000, 100), 1000);
    expect(eta.predict(size(4000, 300))).toBeCloseTo(3000, 6);
  });

  it('counts what is left of the runs in flight, shares the work among workers, and never says less than the longest run left', () => {
    const eta = createEta();
    eta.observe(size(1000), 1000);
    expect(eta.remaining([size(1000)], [{ ...size(1000), doneShare: 0.5 }], 2)).toBeCloseTo(1000, 6);
    expect(eta.remaining([size(1000, 4000)], [], 2)).toBeCloseTo(4000, 6);
    expect(eta.remaining([], [], 2)).toBe(0);
  });

  it('bn-vs-nobn: learnt from the H=5, 50 and 100 runs that finish first, the H=1024 ones are priced near their real cost, not 2–3× short', () => {
    // ms per step measured on the seed MLP (native path): a fixed part and a part per weight.
    const params = { 5: 3_985, 50: 39_760, 100: 79_510, 1024: 814_090 };
    const msPerStep = (p: number) => 0.17 + 3.3e-6 * p;
    const steps = 125 * 20;
    const eta = createEta();
    for (const h of [5, 50, 100] as const) for (let seed = 0; seed < 5; seed++) eta.observe(size(params[h], steps), msPerStep(params[h]) * steps * (1 + 0.05 * Math.sin(seed)));
    const real = msPerStep(params[1024]) * steps;
    const predicted = eta.predict(size(params[1024], steps))!;
    expect(predicted / real).toBeGreaterThan(0.8);
    expect(predicted / real).toBeLessThan(1.25);
  });

  it('from one size, extrapolates as the square root of the parameters', () => {
    const eta = createEta();
    eta.observe(size(1000, 10), 10);
    expect(eta.predict(size(4000, 10))).toBeCloseTo(20, 6);
  });
});
