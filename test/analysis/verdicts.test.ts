import { describe, expect, it } from 'vitest';
import { nextSeedCounts } from '../../src/analysis/adaptive-seeds.js';
import type { Pairing } from '../../src/analysis/pairing.js';
import { equivalenceP, exactSeedsToDecide, pairedStats, signedRank, signedRankP, signFlipEquivalenceP, signFlipP } from '../../src/analysis/paired-stats.js';
import { pairVariants } from '../../src/analysis/pairing.js';
import { pageTrend } from '../../src/analysis/trend-stats.js';
import { ALPHA, decideVerdicts, holm } from '../../src/analysis/verdicts.js';
import { quantity, epochsTo, type Quantity } from '../../src/shared/quantity.js';
import { createRng, type Rng } from '../../src/shared/rng.js';

const finalAccuracy = quantity('final', 'val_accuracy');

/** A comparison of `others` built straight from per-seed differences (level − baseline). */
function pairing(differences: number[], q: Quantity = finalAccuracy, others: Record<string, number> = { hidden: 5 }): Pairing {
  const censored = differences.some((d) => !Number.isFinite(d));
  return {
    factor: 'bn',
    baseline: false,
    level: true,
    others,
    quantity: q,
    method: censored ? 'signed-rank' : 'paired t',
    stats: pairedStats(differences.filter(Number.isFinite)),
    ...(censored ? { rank: signedRank(differences) } : {}),
    differences,
    unpaired: 0,
    spread: null,
    baselineMean: null,
    resolution: 0,
  };
}

const normals = (rng: Rng, n: number, mean: number, sd: number) => Array.from({ length: n }, () => mean + sd * rng.normal());

/** The estimate and its binomial standard error, for asserting rates measured by simulation. */
const rate = (hits: number, trials: number) => ({ value: hits / trials, se: Math.sqrt(((hits / trials) * (1 - hits / trials)) / trials) || 1 / trials });

describe('the tests behind the verdicts', () => {
  it("Holm's step-down adjustment", () => {
    expect(holm([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
    expect(holm([0.5, 0.001])).toEqual([0.5, 0.002]);
    expect(holm([])).toEqual([]);
  });

  it('signed-rank: exact p-values, ties averaged, "never" ranked above every number', () => {
    // 5 of 5 the same way is the most extreme of 2^5 sign patterns: two-sided p = 2/32.
    expect(signedRank([-1, -1, -2, -Infinity, -1]).p).toBeCloseTo(0.0625, 12);
    expect(signedRank([-1, -2, -3, -4, -5, -6]).p).toBeCloseTo(2 / 64, 12);
    // Neither side reaching it is a tie: left out, not evidence either way.
    expect(signedRank([Infinity - Infinity, 0, 3]).n).toBe(1);
    expect(signedRank([-1, -2, 3, -Infinity]).median).toBe(-1.5);
    expect(signedRankP([1, 2, 3], 'greater')).toBeCloseTo(1 / 8, 12);
    expect(signedRankP([1, 2, 3], 'less')).toBe(1);
    // "never" outranks any finite difference: one seed only the baseline reached outweighs small gains.
    expect(signedRankP([1, 1, 1, -Infinity], 'less')).toBeCloseTo(signedRankP([1, 1, 1, -10], 'less'), 12);
  });

  it('TOST: equivalence p below 0.05 exactly when the 90 % interval lies inside the margin', () => {
    const s = pairedStats([0.001, -0.002, 0.0015, 0.0005, -0.001, 0.002]);
    const inside = s.ci90![0] > -0.005 && s.ci90![1] < 0.005;
    expect(inside).toBe(true);
    expect(equivalenceP(s, 0.005)!).toBeLessThan(0.05);
    const margin = Math.max(Math.abs(s.ci90![0]), Math.abs(s.ci90![1]));
    expect(equivalenceP(s, margin * 0.999)!).toBeGreaterThan(0.05);
    expect(equivalenceP(s, margin * 1.001)!).toBeLessThan(0.05);
  });
});

describe('exact tests where t has nothing to stand on', () => {
  it('sign-flip: the share of the 2^n sign patterns at least as extreme; at best 2/2^n', () => {
    expect(signFlipP([-1, -1, -1], 'two-sided')).toBe(0.25);
    expect(signFlipP([-0.02, -0.02, -0.02], 'two-sided')).toBe(0.25);
    expect(signFlipP([-2, -1, -1, -1, -1, -1, -1, -1, -1, -1], 'two-sided')).toBeCloseTo(2 / 1024, 12);
    // Magnitudes count: one small opposite difference among large ones.
    expect(signFlipP([5, 4, 6, -1], 'greater')).toBeCloseTo(2 / 16, 12);
    expect(signFlipP([1, 2, 3], 'less')).toBe(1);
    expect(signFlipEquivalenceP([0, 0, 0, 0, 0], 1)).toBeCloseTo(1 / 32, 12);
    // Beyond 20 pairs: the normal approximation, close to the exact value's order.
    expect(
      signFlipP(
        Array.from({ length: 24 }, () => -1),
        'two-sided',
      ),
    ).toBeLessThan(1e-5);
    expect(exactSeedsToDecide(0.05, 'difference')).toBe(6);
    expect(exactSeedsToDecide(0.05 / 58, 'difference')).toBe(12); // bn-vs-nobn's 29 tests × 2 rounds
    expect(exactSeedsToDecide(0.05, 'equivalence')).toBe(5);
  });

  it("Page's trend test: exact over the seeds' orderings, ties averaged", () => {
    // Three seeds rising at every step of three levels: each ordering has chance 1/6.
    expect(
      pageTrend([
        [0.8, 0.85, 0.9],
        [0.79, 0.86, 0.91],
        [0.81, 0.84, 0.92],
      ]).p,
    ).toBeCloseTo(2 / 216, 12);
    const falling = pageTrend([
      [3, 2, 1, 0],
      [4, 3, 2, 1],
      [5, 3, 1, 0],
    ]);
    expect([falling.falling, falling.rising, falling.rho]).toEqual([3, 0, -1]);
    expect(falling.p).toBeCloseTo(2 / 24 ** 3, 12);
    // No order at all: p 1.
    expect(
      pageTrend([
        [1, 1, 1],
        [2, 2, 2],
      ]).p,
    ).toBe(1);
    // Beyond 8 levels: the normal approximation.
    const long = pageTrend([Array.from({ length: 10 }, (_, i) => i), Array.from({ length: 10 }, (_, i) => i + 0.5)]);
    expect(long.p).toBeLessThan(0.01);
  });
});

describe('verdicts on a lattice, censored ties and without margins (the edge cases)', () => {
  const values = (variant: number, seeds: number[], v: (seed: number) => Record<string, number>) =>
    seeds.map((seed) => ({
      id: `${variant}-${seed}`,
      variant,
      seed,
      status: 'ok' as const,
      history: [
        { epoch: 1, ...v(seed) },
        { epoch: 2, ...v(seed) },
      ],
    }));
  const variants = [{ factors: { bn: false } }, { factors: { bn: true } }];

  it('differences without spread are weighed by an exact test: nothing from 3 seeds, said so', () => {
    // Every seed differs by the same 2 validation samples of 100.
    const runs = [...values(0, [1, 2, 3], (s) => ({ val_accuracy: 0.5 + s / 100 })), ...values(1, [1, 2, 3], (s) => ({ val_accuracy: 0.48 + s / 100 }))];
    const [c] = decideVerdicts(pairVariants(variants, runs, 'bn', [finalAccuracy]));
    expect(c!.method).toBe('sign-flip');
    expect(c!.outcome).toBe('inconclusive');
    expect(c!.p).toBe(0.25);
    expect(c!.verdict).toContain(
      "−0.0200 in all 3 seeds; the same difference in every seed, where Student's t is not reliable: an exact sign-flip test decides, p 0.250, at best 0.250 from 3 seeds",
    );
  });

  it('epochs to a threshold reached at the same epoch by every seed on both sides: not equivalent from 2 seeds, equivalent from 8', () => {
    const q = epochsTo('val_accuracy', 0.5);
    const history = (seed: number, variant: number) => ({
      id: `${variant}-${seed}`,
      variant,
      seed,
      status: 'ok' as const,
      history: [1, 2, 3, 4, 5].map((epoch) => ({ epoch, val_accuracy: epoch >= 4 ? 0.6 : 0.3 })),
    });
    const decide = (seeds: number[]) =>
      decideVerdicts(
        pairVariants(
          variants,
          seeds.flatMap((s) => [history(s, 0), history(s, 1)]),
          'bn',
          [q],
        ),
        { margins: { epochs: 1 } },
      )[0]!;
    const two = decide([1, 2]);
    expect(two.method).toBe('sign-flip');
    expect(two.outcome).toBe('inconclusive');
    expect(two.seedsToDecide).toBe(exactSeedsToDecide(0.05 / 2, 'equivalence'));
    expect(decide([1, 2, 3, 4, 5, 6, 7, 8]).outcome).toBe('equivalent');
  });

  it('a seed censored on both sides is a tie: bounded, and equivalent once the ties are enough', () => {
    const q = epochsTo('val_accuracy', 0.9);
    const never = (variant: number, seed: number) => ({
      id: `${variant}-${seed}`,
      variant,
      seed,
      status: 'ok' as const,
      history: [1, 2, 3].map((epoch) => ({ epoch, val_accuracy: 0.5 })),
    });
    const at3 = (variant: number, seed: number) => ({
      id: `${variant}-${seed}`,
      variant,
      seed,
      status: 'ok' as const,
      history: [1, 2, 3].map((epoch) => ({ epoch, val_accuracy: epoch === 3 ? 0.95 : 0.5 })),
    });
    const seeds = [1, 2, 3, 4, 5, 6];
    const runs = seeds.flatMap((s) => (s === 1 ? [never(0, s), never(1, s)] : [at3(0, s), at3(1, s)]));
    const [c] = decideVerdicts(pairVariants(variants, runs, 'bn', [q]), { margins: { epochs: 1 } });
    expect(c!.method).toBe('signed-rank');
    expect(c!.differences).toEqual([0, 0, 0, 0, 0, 0]);
    expect(c!.outcome).toBe('equivalent');
    const [few] = decideVerdicts(
      pairVariants(
        variants,
        runs.filter((r) => r.seed <= 3),
        'bn',
        [q],
      ),
      { margins: { epochs: 1 } },
    );
    expect(few!.outcome).toBe('inconclusive');
    expect(few!.seedsToDecide).toBe(5);
    expect(few!.verdict).not.toContain('1,000');
  });

  it('without report.margins, a default margin (half the seed-to-seed spread) that the verdict names', () => {
    const runs = [
      ...values(0, [1, 2, 3, 4, 5, 6], (s) => ({ val_loss: 0.3 + 0.05 * Math.sin(s) })),
      ...values(1, [1, 2, 3, 4, 5, 6], (s) => ({ val_loss: 0.3 + 0.05 * Math.sin(s) + 0.0001 * (s % 2 ? 1 : -1) })),
    ];
    const [c] = decideVerdicts(pairVariants(variants, runs, 'bn', [quantity('final', 'val_loss')]));
    expect(c!.marginIsDefault).toBe(true);
    expect(c!.margin).toBeCloseTo(0.5 * c!.spread!, 1);
    expect(c!.outcome).toBe('equivalent');
    expect(c!.verdict).toContain('(default margin: half the seed-to-seed spread)');
  });
});

describe('verdicts with margins, Holm and censored epochs', () => {
  it('better, worse, equivalent, inconclusive (with the seeds that would likely decide it)', () => {
    const [better, worse, equivalent, inconclusive] = decideVerdicts(
      [
        pairing([0.011, 0.012, 0.009, 0.01, 0.013], finalAccuracy, { hidden: 5 }),
        pairing([0.031, 0.029, 0.03, 0.032, 0.028], quantity('final', 'val_loss'), { hidden: 5 }),
        pairing([0.0004, -0.0005, 0.0002, 0.0001, -0.0003], finalAccuracy, { hidden: 50 }),
        pairing([0.004, -0.001, 0.006, -0.002, 0.003], finalAccuracy, { hidden: 100 }),
      ],
      { margins: { val_accuracy: 0.005 } },
    );
    expect(better!.outcome).toBe('better');
    expect(worse!.outcome).toBe('worse'); // higher loss with bn=true
    expect(equivalent!.outcome).toBe('equivalent');
    expect(equivalent!.verdict).toMatch(
      /^hidden=50: final val_accuracy is equivalent with bn=true and bn=false within ±0\.0050 \(mean [−+]0\.0000, 90\u00a0% CI −0\.\d+ to \+0\.\d+; Holm-adjusted p (< )?0\.\d+ over 7 tests\)$/,
    );
    expect(inconclusive!.outcome).toBe('inconclusive');
    expect(inconclusive!.seedsToDecide).toBeGreaterThan(5);
    expect(inconclusive!.verdict).toContain(`about ${inconclusive!.seedsToDecide} seeds would likely decide it`);
  });

  it('without a margin keeps the plain wording, and a claim the unadjusted interval makes but Holm does not is not made', () => {
    const many = Array.from({ length: 20 }, (_, i) =>
      pairing(i === 0 ? [0.01, 0.012, 0.02, 0.004, 0.015] : [0.001, -0.001, 0.002, -0.002, 0], finalAccuracy, { hidden: i }),
    );
    const [first] = decideVerdicts(many);
    expect(first!.stats.ci![0]).toBeGreaterThan(0);
    expect(first!.outcome).toBe('inconclusive');
    expect(first!.verdict).toMatch(/^hidden=0: no clear difference in final val_accuracy .*the 95\u00a0% CI excludes 0, but not after Holm over 20 tests/);
  });

  it('epochs to a threshold some seeds never reach: signed-rank, "reached in k/n", never ranked last', () => {
    const q = epochsTo('accuracy', 0.95);
    const [c] = decideVerdicts([{ ...pairing([4, 5, 3, 6, 5, Infinity, 4], q), reached: { baseline: 7, level: 6, of: 7 } }]);
    expect(c!.method).toBe('signed-rank');
    expect(c!.outcome).toBe('worse'); // bn=true reaches it later, or never
    expect(c!.verdict).toMatch(
      /^hidden=5: with bn=true, epochs to accuracy ≥ 0\.95 comes later than with bn=false \(reached in 6\/7 seeds with bn=true, 7\/7 with bn=false; median difference \+5\.0 epochs; 7\/7 seeds later; signed-rank p 0\.016/,
    );
  });
});

describe('verdicts checked by simulation (seeded)', () => {
  it('95 % intervals cover the true difference in 93–97 % of 2,000 comparisons', () => {
    const rng = createRng(1, 'coverage');
    let covered = 0;
    for (let i = 0; i < 2000; i++) {
      const truth = 0.01 * rng.normal();
      const { ci } = pairedStats(normals(rng, 5, truth, 0.02));
      if (ci![0] <= truth && truth <= ci![1]) covered++;
    }
    console.log(`coverage of 95 % intervals: ${((100 * covered) / 2000).toFixed(1)} %`);
    expect(covered / 2000).toBeGreaterThanOrEqual(0.93);
    expect(covered / 2000).toBeLessThanOrEqual(0.97);
  });

  it('under no effect anywhere, Holm keeps the chance of any false claim in a report ≤ 5 %', () => {
    const rng = createRng(2, 'holm');
    const reports = 2000;
    let anyClaim = 0;
    let unadjustedAny = 0;
    for (let r = 0; r < reports; r++) {
      // A bn-vs-nobn-sized report: 4 hidden sizes × 4 quantities, the quantities of one size correlated.
      const pairings = [0, 1, 2, 3].flatMap((h) => {
        const shared = normals(rng, 5, 0, 0.02);
        return ['final val_accuracy', 'best val_accuracy', 'final val_loss', 'auc loss'].map((label, k) =>
          pairing(
            shared.map((v) => v * (k + 1) + 0.01 * rng.normal()),
            quantity(label.split(' ')[0] as 'final', label.split(' ')[1]!),
            { hidden: h },
          ),
        );
      });
      const verdicts = decideVerdicts(pairings);
      if (verdicts.some((v) => v.outcome === 'better' || v.outcome === 'worse')) anyClaim++;
      if (verdicts.some((v) => v.p! < ALPHA)) unadjustedAny++;
    }
    const fwer = rate(anyClaim, reports);
    console.log(`reports with a false claim: ${(100 * fwer.value).toFixed(1)} % with Holm, ${((100 * unadjustedAny) / reports).toFixed(1)} % unadjusted`);
    expect(fwer.value).toBeLessThanOrEqual(ALPHA + 2 * fwer.se);
    expect(unadjustedAny / reports).toBeGreaterThan(0.15); // what Holm protects against
  });

  it('TOST declares equivalence in ≤ 5 % of cases when the true difference equals the margin', () => {
    const rng = createRng(3, 'tost');
    const trials = 2000;
    let equivalent = 0;
    for (let i = 0; i < trials; i++) {
      const [v] = decideVerdicts([pairing(normals(rng, 10, 0.005, 0.004))], { margins: { val_accuracy: 0.005 } });
      if (v!.outcome === 'equivalent') equivalent++;
    }
    const r = rate(equivalent, trials);
    console.log(`equivalence declared at the margin: ${(100 * r.value).toFixed(1)} %`);
    expect(r.value).toBeLessThanOrEqual(ALPHA + 2 * r.se);
  });

  it('adaptive seeding stops where it should, and its repeated looks still keep false claims ≤ 5 %', () => {
    const schedule = { min: 5, max: 30, step: 5 };
    const looks = 1 + Math.ceil((schedule.max - schedule.min) / schedule.step);
    const variants = [{ factors: { bn: false } }, { factors: { bn: true } }];
    /** Rounds until decided for one comparison whose per-seed differences come from `draw`; the final verdict. */
    const sweep = (draw: () => number, margins?: Record<string, number>) => {
      const differences: number[] = [];
      let counts = [schedule.min, schedule.min];
      for (;;) {
        while (differences.length < counts[0]!) differences.push(draw());
        const [v] = decideVerdicts([{ ...pairing(differences), others: {} }], { ...(margins ? { margins } : {}), looks });
        const next = nextSeedCounts({ comparisons: [v!] }, variants, counts, schedule);
        if (!next) return { outcome: v!.outcome, seeds: counts[0]! };
        counts = next;
      }
    };
    const rng = createRng(4, 'adaptive');
    // A large effect is decided in the first round.
    expect(sweep(() => 0.05 + 0.01 * rng.normal())).toEqual({ outcome: 'better', seeds: 5 });
    // No effect and no margin: nothing can be decided, so it goes to max.
    expect(sweep(() => 0.01 * rng.normal())).toMatchObject({ seeds: 30 });
    // No effect with a margin: equivalence, well before max.
    const equivalent = sweep(() => 0.002 * rng.normal(), { val_accuracy: 0.005 });
    expect(equivalent.outcome).toBe('equivalent');
    expect(equivalent.seeds).toBeLessThan(30);
    // A small effect takes more rounds than a large one, then is decided.
    const small = sweep(() => 0.006 + 0.01 * rng.normal());
    expect(small.outcome).toBe('better');
    expect(small.seeds).toBeGreaterThan(5);
    // Under no effect, looking after every round (with the rounds' correction) rarely claims one.
    const trials = 1000;
    let claims = 0;
    for (let i = 0; i < trials; i++) if (['better', 'worse'].includes(sweep(() => 0.01 * rng.normal()).outcome)) claims++;
    const r = rate(claims, trials);
    console.log(`adaptive sweeps with a false claim under no effect: ${(100 * r.value).toFixed(1)} %`);
    expect(r.value).toBeLessThanOrEqual(ALPHA + 2 * r.se);
  });
});
