import { describe, expect, it } from 'vitest';
import { composeAnswer } from '../../src/analysis/answer/compose-answer.js';
import { compareFactors } from '../../src/analysis/compare.js';
import type { VariantDiagnosis } from '../../src/analysis/diagnose.js';
import { summarizeVariants, type RunForSummary } from '../../src/analysis/summarize.js';
import { wrapText } from '../../src/shared/wrap-text.js';
import type { FactorValue } from '../../src/shared/factor-value.js';
import { quantity } from '../../src/shared/quantity.js';
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
      return { id: `${variant}-${seed}`, variant, seed, status, history: status === 'ok' ? [{ epoch: 1, val_accuracy: acc - 0.1 }, { epoch: 2, val_accuracy: acc }] : [] };
    }),
  );
  const { comparisons, trends } = compareFactors(variants, runs, s.compare, [quantity('final', 'val_accuracy')], { margins: s.margins ?? {} });
  const counts = summarizeVariants(variants, runs, ['val_accuracy']);
  return composeAnswer({ compare: s.compare, levels: s.levels, comparisons, trends, variants, counts, diagnoses: s.diagnoses?.(variants) ?? [], seeds: { most: s.seeds } });
}

const finding = (variant: number, code: string, headline: string): VariantDiagnosis => ({ variant, label: '', runs: 5, findings: [{ code, severity: 'problem', headline, seen: '', why: '', fix: '', count: 5 }] });

const scenarios: Scenario[] = [
  {
    name: 'conflicting directions: better at some sizes, worse at another, grouped by neighbouring levels',
    levels: { hidden: [5, 50, 100, 1024], bn: [false, true] },
    compare: ['bn'], seeds: 10,
    value: (f) => 0.9 + (f.bn ? (f.hidden === 5 ? -0.05 : 0.03) : 0),
    expected: [/^Validation — bn=true vs false: better at hidden=50–1024, with final val_accuracy higher by 0\.0\d+–0\.0\d+ in 30\/30 seed pairs; worse at hidden=5, with final val_accuracy lower by 0\.0\d+ in 10\/10 seeds\.$/],
  },
  {
    name: 'all inconclusive: undecided everywhere, and the seeds and the --set that would decide it',
    levels: { hidden: [5, 50], bn: [false, true] },
    compare: ['bn'], seeds: 3, noise: 0.02,
    value: () => 0.9,
    expected: [/^Validation — bn=true vs false: undecided at every hidden \(final val_accuracy [−+]\S+ to [−+]\S+\)\.$/, /^2 comparisons are undecided with 3 seeds; about \d+(–\d+)? seeds would likely decide them.*: --set 'sweep\.seeds=\{min: 3, max: \d+, until: decided\}'\.$/],
    absent: [/better|worse/],
  },
  {
    name: 'equivalence within the spec margin',
    levels: { hidden: [5, 50], bn: [false, true] },
    compare: ['bn'], seeds: 10, noise: 0.001, margins: { val_accuracy: 0.01 },
    value: () => 0.9,
    expected: [/^Validation — bn=true vs false: no practical difference at every hidden \(equivalent within ±0\.010 on final val_accuracy\)\.$/],
  },
  {
    name: 'diverged runs are counted and where they happened is said',
    levels: { lr: [0.001, 0.1], bn: [false, true] },
    compare: ['bn'], seeds: 5,
    value: (f) => 0.9 + (f.bn ? 0.02 : 0),
    status: (f, seed) => (f.lr === 0.1 && !f.bn && seed <= 3 ? 'diverged' : 'ok'),
    expected: [/^3 of 5 runs with lr=0\.1 and bn=false diverged \(the loss became NaN or infinite\); they are left out of the comparisons \(nnlab doctor says why\)\.$/],
  },
  {
    name: 'one seed: differences shown, nothing claimed, and how to get seeds',
    levels: { bn: [false, true] },
    compare: ['bn'], seeds: 1,
    value: (f) => 0.9 + (f.bn ? 0.05 : 0),
    expected: [/^With one seed per variant nothing can be claimed.*--set 'sweep\.seeds=\[1, 2, 3, 4, 5\]'\.$/],
    absent: [/better|worse|would likely decide/],
  },
  {
    name: 'a numeric factor of several levels: a trend, from the first level to the last',
    levels: { n: [500, 1000, 2000, 5000, 10000] },
    compare: ['n'], seeds: 3,
    value: (f) => 0.95 - 30 / (f.n as number),
    // 0.89 at 500 … 0.947 at 10000: 90 % of the rise is there by 5000.
    expected: [/^Validation — as n grows \(500 → 10000\): final val_accuracy rises from 0\.89 to 0\.95 \(in 3\/3 seeds; most of it by n=5000\)\.$/],
  },
  {
    name: 'a large grid: where the effect holds across the other factors, not group by group',
    levels: { a: [1, 2, 3, 4], b: [1, 2, 3, 4, 5], c: [1, 2, 3, 4, 5, 6], bn: [false, true] },
    compare: ['bn'], seeds: 5, noise: 0.002,
    value: (f) => 0.9 + (f.bn && f.a === 1 ? 0.05 : 0),
    expected: [/^Validation — bn=true vs false: better where a=1, with final val_accuracy higher by \S+ in 150\/150 seed pairs; undecided where a=2–4\.$/],
  },
  {
    name: "the doctor's cause where a finding follows the compared factor",
    levels: { split: ['tail', 'stratified'] },
    compare: ['split'], seeds: 5,
    value: (f) => (f.split === 'tail' ? 0.3 : 0.9),
    diagnoses: () => [finding(0, 'validation-classes-differ', 'the validation split holds other classes than training')],
    expected: [/^Why, per nnlab doctor: with split=tail, the validation split holds other classes than training \(validation-classes-differ, 5\/5 runs\)\.$/],
  },
  {
    name: 'no factor compared: says so and names the factors',
    levels: { hidden: [5, 50] },
    compare: [], seeds: 3,
    value: () => 0.9,
    expected: [/^Nothing was compared: report\.compare names no factor \(one of: hidden\)\.$/],
  },
];

describe('the answer, composed from verdicts and findings alone', () => {
  it.each(scenarios)('$name', (s) => {
    const lines = answer(s);
    for (const re of s.expected) expect(lines.some((l) => re.test(l)), `${re}\n${lines.join('\n')}`).toBe(true);
    for (const re of s.absent ?? []) expect(lines.some((l) => re.test(l)), `${re}\n${lines.join('\n')}`).toBe(false);
    // A few plain sentences: at most ~10 lines at 80 columns, whatever the grid.
    const printed = lines.flatMap((l) => wrapText(`• ${l}`, 80, '  ').split('\n'));
    expect(printed.length).toBeLessThanOrEqual(10);
  });
});
