import { describe, expect, it } from 'vitest';
import { createEta } from '../../src/cli/eta.js';

const size = (params: number, steps = 1000) => ({ params, steps });
/** A run that spent `trainMs` training and `overhead` ms starting, loading and writing. */
const took = (trainMs: number, overhead = 0) => ({ wallMs: trainMs + overhead, trainMs });

describe('createEta', () => {
  it('gives no estimate before a run has finished (a guess from start-up time misleads)', () => {
    expect(createEta().remaining([size(1), size(2)], [], 2)).toBeUndefined();
  });

  it('prices a run of a size seen by that size’s time per step times its steps, plus the time runs spend outside training', () => {
    const eta = createEta();
    eta.observe(size(4000, 100), took(1000, 500));
    expect(eta.predict(size(4000, 300))).toBeCloseTo(3500, 6);
  });

  it('counts what is left of the runs in flight, shares the work among workers, and never says less than the longest run left', () => {
    const eta = createEta();
    eta.observe(size(1000), took(1000));
    expect(eta.remaining([size(1000)], [{ ...size(1000), doneShare: 0.5 }], 2)).toBeCloseTo(1000, 6);
    expect(eta.remaining([size(1000, 4000)], [], 2)).toBeCloseTo(4000, 6);
    expect(eta.remaining([], [], 2)).toBe(0);
  });

  // ms per step measured on the seed MLP (native path, one run of the default sweep): 784→H(→BN)→10.
  const measured = [
    { params: 3_985, ms: 0.156 },
    { params: 4_005, ms: 0.133 },
    { params: 39_760, ms: 0.242 },
    { params: 79_510, ms: 0.31 },
  ];
  const h1024 = { params: 814_090, ms: 2.24 };
  const steps = 125 * 20;

  it.each([
    { name: 'only H=5 finished (two sizes a few parameters apart)', seen: measured.slice(0, 2) },
    { name: 'H=5 and 50 finished', seen: measured.slice(0, 3) },
    { name: 'H=5, 50 and 100 finished', seen: measured },
  ])('bn-vs-nobn, $name: an H=1024 run is priced within 30 % of its real time, not 2–3× short', ({ seen }) => {
    const eta = createEta();
    for (const m of seen) for (let seed = 0; seed < 5; seed++) eta.observe(size(m.params, steps), took(m.ms * steps, 600));
    const real = 600 + h1024.ms * steps;
    const ratio = eta.predict(size(h1024.params, steps))! / real;
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(1.3);
  });
});
