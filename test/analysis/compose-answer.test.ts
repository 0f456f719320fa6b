import { describe, expect, it } from 'vitest';
import { composeAnswer } from '../../src/analysis/answer/compose-answer.js';
import { compareFactors } from '../../src/analysis/compare.js';
import type { VariantDiagnosis } from '../../src/analysis/diagnose.js';
import { summarizeVariants, type RunForSummary } from '../../src/analysis/summarize.js';
import { wrapText } from '../../src/shared/wrap-text.js';
import type { FactorValue } from '../../src/shared/factor-value.js';
import { parseQuantity, quantity, type Quantity } from '../../src/shared/quantity.js';
import { createRng } from '../../src/shared/rng.js';

type Factors = Record<string, FactorValue>;

/** Every combination of the grid's levels, in the grid's order (the last factor varies fastest). */
function grid(levels: Record<string, FactorValue[]>): Factors[] {
  return Object.entries(levels).reduce<Factors[]>((acc, [f, values]) => acc.flatMap((a) => values.map((v) => ({ ...a, [f]: v }))), [{}]);
}

interface Scenario {
  name: string;
  levels: Record<string, FactorValue[]>;
  compare: string[];
  seeds: number;
  /** Final val_accuracy of a run, from its factors and seed (noise is added from a seeded stream). */
  value: (f: Factors, seed: number) => number;
  /** val_accuracy at epoch 1, compared as well when given (otherwise the final value less 0.1, not compared). */
  first?: (f: Factors, seed: number) => number;
  noise?: number;
  margins?: Record<string, number>;
  status?: (f: Factors, seed: number) => RunForSummary['status'];
  diagnoses?: (variants: Array<{ factors: Factors }>) => VariantDiagnosis[];
  expected: RegExp[];
  absent?: RegExp[];
}

function answer(s: Scenario): string[] {
  const variants = grid(s.levels).map((factors) => ({ factors }));
  const rng = createRng(1, s.name);
  const runs: RunForSummary[] = variants.flatMap((v, variant) =>
    Array.from({ length: s.seeds }, (_, i) => {
      const seed = i + 1;
      const acc = s.value(v.factors, seed) + (s.noise ?? 0.004) * rng.normal();
      const status = s.status?.(v.factors, seed) ?? 'ok';
      const first = s.first?.(v.factors, seed) ?? acc - 0.1;
      return {
        id: `${variant}-${seed}`,
        variant,
        seed,
        status,
        history:
          status === 'ok'
            ? [
                { epoch: 1, val_accuracy: first },
                { epoch: 2, val_accuracy: acc },
              ]
            : [],
      };
    }),
  );
  const quantities = [quantity('final', 'val_accuracy'), ...(s.first ? [parseQuantity('val_accuracy at epoch 1') as Quantity] : [])];
  const { comparisons, trends } = compareFactors(variants, runs, s.compare, quantities, { margins: s.margins ?? {} });
  const counts = summarizeVariants(variants, runs, ['val_accuracy']);
  return composeAnswer({
    compare: s.compare,
    levels: s.levels,
    comparisons,
    trends,
    variants,
    counts,
    diagnoses: s.diagnoses?.(variants) ?? [],
    seeds: { most: s.seeds },
  });
}

const finding = (variant: number, code: string, headline: string): VariantDiagnosis => ({
  variant,
  label: '',
  runs: 5,
  findings: [{ code, severity: 'problem', headline, seen: '', why: '', fix: '', count: 5 }],
});

const scenarios: Scenario[] = [
  {
    name: 'conflicting directions: better at some sizes, worse at another, grouped by neighbouring levels',
    levels: { hidden: [5, 50, 100, 1024], bn: [false, true] },
    compare: ['bn'],
    seeds: 10,
    value: (f) => 0.9 + (f.bn ? (f.hidden === 5 ? -0.05 : 0.03) : 0),
    expected: [
      /^Validation — bn=true vs false: better at hidden=50–1024, with final val_accuracy higher by 0\.0\d+–0\.0\d+ in 30\/30 seed pairs; worse at hidden=5, with final val_accuracy lower by 0\.0\d+ in 10\/10 seeds\.$/,
    ],
  },
  {
    name: 'all inconclusive: undecided everywhere, and the seeds and the --set that would decide it',
    levels: { hidden: [5, 50], bn: [false, true] },
    compare: ['bn'],
    seeds: 3,
    noise: 0.02,
    value: () => 0.9,
    expected: [
      /^Validation — bn=true vs false: undecided at every hidden value \(final val_accuracy [−+]\S+ to [−+]\S+\)\.$/,
      /^2 comparisons are undecided with 3 seeds; about \d+(–\d+)? seeds would likely decide them.*: --set 'sweep\.seeds=\{min: 3, max: \d+, until: decided\}'\.$/,
    ],
    absent: [/better|worse/],
  },
  {
    name: 'equivalence within the spec margin',
    levels: { hidden: [5, 50], bn: [false, true] },
    compare: ['bn'],
    seeds: 10,
    noise: 0.001,
    margins: { val_accuracy: 0.01 },
    value: () => 0.9,
    expected: [/^Validation — bn=true vs false: no practical difference at every hidden value \(within ±0\.010 on final val_accuracy\)\.$/],
  },
  {
    name: 'the same value in every seed: said as such, not as undecided, when the seeds are too few to claim it',
    levels: { hidden: [5, 50], bn: [false, true] },
    compare: ['bn'],
    seeds: 3,
    noise: 0,
    margins: { val_accuracy: 0.01 },
    value: (_, seed) => 0.9 + 0.01 * seed,
    expected: [
      /^Validation — bn=true vs false: the same in every seed at every hidden value \(not claimed: too few seeds for this many tests\)\.$/,
      /about 7 seeds would likely decide them/,
    ],
    absent: [/^Validation.*undecided/],
  },
  {
    name: 'beside a claim, another quantity that moved the same way in every seed is said, as not claimed',
    levels: { hidden: [5, 50], bn: [false, true] },
    compare: ['bn'],
    seeds: 4,
    noise: 0.002,
    value: (f) => 0.9 + (f.bn ? 0.05 : 0),
    // At epoch 1 bn=true is ahead in every seed (by 0.017, 0.018, 0.013, 0.002), never by enough to claim it.
    first: (f, seed) => 0.5 + (f.bn ? 0.01 + 0.01 * seed : 0.003 * seed * seed),
    expected: [
      /^Validation — bn=true vs false: better at every hidden value, with final val_accuracy higher by .* in 8\/8 seed pairs; also val_accuracy at epoch 1 higher by .* \(not claimed: too few seeds for this many tests\)\.$/,
    ],
  },
  {
    name: 'diverged runs are counted and where they happened is said',
    levels: { lr: [0.001, 0.1], bn: [false, true] },
    compare: ['bn'],
    seeds: 5,
    value: (f) => 0.9 + (f.bn ? 0.02 : 0),
    status: (f, seed) => (f.lr === 0.1 && !f.bn && seed <= 3 ? 'diverged' : 'ok'),
    expected: [
      /^3 of 5 runs with lr=0\.1 and bn=false diverged \(the loss became NaN or infinite\); they are left out of the comparisons \(nnlab doctor says why\)\.$/,
    ],
  },
  {
    name: 'one seed: differences shown, nothing claimed, and how to get seeds',
    levels: { bn: [false, true] },
    compare: ['bn'],
    seeds: 1,
    value: (f) => 0.9 + (f.bn ? 0.05 : 0),
    expected: [/^With one seed per variant nothing can be claimed.*--set 'sweep\.seeds=\[1, 2, 3, 4, 5\]'\.$/],
    absent: [/better|worse|would likely decide/],
  },
  {
    name: 'a numeric factor of several levels: a trend, from the first level to the last',
    levels: { n: [500, 1000, 2000, 5000, 10000] },
    compare: ['n'],
    seeds: 3,
    value: (f) => 0.95 - 30 / (f.n as number),
    // 0.89 at 500 … 0.947 at 10000: 90 % of the rise is there by 5000.
    expected: [/^Validation — as n grows \(500 → 10000\): final val_accuracy rises from 0\.89 to 0\.95 \(in 3\/3 seeds; most of it by n=5000\)\.$/],
  },
  {
    name: 'a large grid: where the effect holds across the other factors, not group by group',
    levels: { a: [1, 2, 3, 4], b: [1, 2, 3, 4, 5], c: [1, 2, 3, 4, 5, 6], bn: [false, true] },
    compare: ['bn'],
    seeds: 5,
    noise: 0.002,
    value: (f) => 0.9 + (f.bn && f.a === 1 ? 0.05 : 0),
    expected: [/^Validation — bn=true vs false: better where a=1, with final val_accuracy higher by \S+ in 150\/150 seed pairs; undecided where a=2–4\.$/],
  },
  {
    name: "the doctor's cause where a finding follows the compared factor",
    levels: { split: ['tail', 'stratified'] },
    compare: ['split'],
    seeds: 5,
    value: (f) => (f.split === 'tail' ? 0.3 : 0.9),
    diagnoses: () => [finding(0, 'validation-classes-differ', 'the validation split holds other classes than training')],
    expected: [/^nnlab doctor finds: with split=tail, the validation split holds other classes than training \(validation-classes-differ, 5\/5 runs\)\.$/],
  },
  {
    name: 'one finding code with two causes: each cause where it was found',
    levels: { output: ['sigmoid', 'linear'] },
    compare: ['output'],
    seeds: 5,
    value: () => 0.9,
    diagnoses: () => [
      finding(0, 'collapsed-output', 'the sigmoid output cannot reach the unscaled targets'),
      finding(1, 'collapsed-output', 'SGD at learning rate 1e-8 leaves the output nearly constant'),
    ],
    expected: [
      /^nnlab doctor finds: with output=sigmoid, the sigmoid output cannot reach the unscaled targets \(collapsed-output, 5\/5 runs\); with output=linear, SGD at learning rate 1e-8 leaves the output nearly constant \(collapsed-output, 5\/5 runs\)\.$/,
    ],
  },
  {
    name: 'several factors compared: a sentence each, where and how much, the rest counted',
    levels: { output: ['sigmoid', 'linear'], optimizer: ['sgd', 'adam'], batch: [1, 32] },
    compare: ['output', 'optimizer', 'batch'],
    seeds: 5,
    noise: 0.002,
    // linear helps except with sgd at batch 1, where it hurts; adam helps everywhere; batch matters only through that exception.
    value: (f) => 0.8 + (f.output === 'linear' ? (f.optimizer === 'sgd' && f.batch === 1 ? -0.05 : 0.05) : 0) + (f.optimizer === 'adam' ? 0.03 : 0),
    expected: [
      /^Validation — output=linear vs sigmoid: better in 3 of 4 settings( \(all 2 where optimizer=adam, and 1 more\))?, with final val_accuracy higher by 0\.0\d+(–0\.0\d+)?; worse where optimizer=sgd and batch=1, lower by 0\.0\d+\.$/,
      /^Validation — optimizer=adam vs sgd: better in every setting of the other factors, with final val_accuracy higher by 0\.0\d+–0\.\d+\.$/,
      /^Validation — batch=32 vs 1: better where output=linear and optimizer=sgd, with final val_accuracy higher by 0\.\d+; no clear difference in the other 3\.$/,
    ],
    absent: [/seed pairs|\d+\/\d+ seeds/],
  },
  {
    name: 'no factor compared: says so and names the factors',
    levels: { hidden: [5, 50] },
    compare: [],
    seeds: 3,
    value: () => 0.9,
    expected: [/^Nothing was compared: report\.compare names no factor \(one of: hidden\)\.$/],
  },
];

describe('the answer, composed from verdicts and findings alone', () => {
  it.each(scenarios)('$name', (s) => {
    const lines = answer(s);
    for (const re of s.expected)
      expect(
        lines.some((l) => re.test(l)),
        `${re}\n${lines.join('\n')}`,
      ).toBe(true);
    for (const re of s.absent ?? [])
      expect(
        lines.some((l) => re.test(l)),
        `${re}\n${lines.join('\n')}`,
      ).toBe(false);
    // A few plain sentences: at most ~10 lines at 80 columns, whatever the grid.
    const printed = lines.flatMap((l) => wrapText(`• ${l}`, 80, '  ').split('\n'));
    expect(printed.length).toBeLessThanOrEqual(10);
  });
});

describe('what the answer does not count as an effect', () => {
  it('a difference inside the spec margin is no practical difference; the same value in every seed is said as such; one way in every seed is mentioned beside the claims', () => {
    const lines = answer({
      name: 'margins and unanimity',
      levels: { hidden: [5, 50, 100], bn: [false, true] },
      compare: ['bn'],
      seeds: 10,
      noise: 0.0005,
      margins: { val_accuracy: 0.05 },
      // hidden=5: a real 0.01 difference inside the 0.05 margin; hidden=50: identical runs; hidden=100: a 0.1 difference.
      value: (f, seed) => (f.hidden === 100 && f.bn ? 1.0 : f.hidden === 5 && f.bn ? 0.91 : 0.9) + (f.hidden === 50 ? 0.001 * seed : 0),
    });
    expect(lines[0]).toMatch(
      /^Validation — bn=true vs false: better at hidden=100, with final val_accuracy higher by 0\.10 in 10\/10 seeds; no practical difference at hidden=5/,
    );
  });
});
