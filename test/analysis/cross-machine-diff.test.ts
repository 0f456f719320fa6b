import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { diffAcrossMachines, type ResultsSide } from '../../src/analysis/cross-machine-diff.js';
import { summarizeVariants, type RunForSummary } from '../../src/analysis/summarize.js';
import { fisherExact, welch } from '../../src/analysis/two-sample-stats.js';
import type { FactorValue } from '../../src/shared/factor-value.js';

const COLUMNS = ['loss', 'val_accuracy'];
const VALIDATION = 2000;

interface SimulatedRun {
  seed: number;
  status?: RunForSummary['status'];
  history: Array<Record<string, number>>;
}

function side(variants: Array<{ factors: Record<string, FactorValue>; runs: SimulatedRun[] }>): ResultsSide {
  const runs: RunForSummary[] = variants.flatMap((v, variant) =>
    v.runs.map((r) => ({
      id: `${variant}-${r.seed}`,
      variant,
      seed: r.seed,
      status: r.status ?? 'ok',
      history: r.history.map((h, i) => ({ epoch: i + 1, ...h })),
    })),
  );
  return { summaries: summarizeVariants(variants, runs, COLUMNS), runs };
}

/**
 * A training's curves as a seed gives them on some kernel path: the seed fixes the initial weights
 * and batch order (the run's level, shared by both sides), the kernels' rounding sends it down a
 * path of its own (noise drawn from `random`). The loss decays; the validation accuracy is counted
 * on 2,000 samples. `shift` moves the level (a real change); `epochs` is how long it trained.
 */
function simulatedRun(
  random: () => number,
  seed: number,
  variant: number,
  options: { shift?: number; epochs?: number; saturated?: boolean } = {},
): SimulatedRun {
  const seedStream = seedrandom(`seed ${seed} variant ${variant}`);
  const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const level = 0.3 + 0.02 * gauss(seedStream) + 0.01 * gauss(random) + (options.shift ?? 0);
  const history = Array.from({ length: options.epochs ?? 10 }, (_, e) => {
    const loss = level * Math.exp(-0.2 * e) + 0.005 * gauss(seedStream) + 0.005 * gauss(random);
    const accuracy = options.saturated ? 1 - Math.round(random() * 0.6) / VALIDATION : 0.97 - loss / 10 + 0.004 * gauss(random);
    return { loss: Number(loss.toPrecision(6)), val_accuracy: Math.round(Math.min(1, accuracy) * VALIDATION) / VALIDATION };
  });
  return { seed, history };
}

const grid = (count: number) => Array.from({ length: count }, (_, i) => ({ hidden: [5, 50, 100, 1024][i % 4]!, bn: i >= 4 }));

function resultSet(
  random: () => number,
  seeds: number[],
  change: (factors: { hidden: number; bn: boolean }) => Parameters<typeof simulatedRun>[2] = () => ({}),
) {
  return side(grid(8).map((factors, variant) => ({ factors, runs: seeds.map((seed) => simulatedRun(random, seed, variant, change(factors))) })));
}

const failing = (a: ResultsSide, b: ResultsSide) =>
  diffAcrossMachines(a, b, COLUMNS)
    .rows.filter((r) => !r.within)
    .map((r) => `${r.variant} ${r.metric} ${r.what}`);

describe('two-sample statistics', () => {
  it("Welch's t matches the textbook and treats constant sides as certain", () => {
    // R: t.test(c(1,2,3,4,5), c(2,3,4,5,9))$p.value = 0.2937
    expect(welch([1, 2, 3, 4, 5], [2, 3, 4, 5, 9]).p).toBeCloseTo(0.2937, 4);
    expect(welch([1, 1, 1], [1, 1, 1]).p).toBe(1);
    expect(welch([1, 1, 1], [2, 2, 2]).p).toBe(0);
    expect(welch([1], [2, 3]).p).toBeNull();
  });

  it("Fisher's exact test matches the textbook", () => {
    // R: fisher.test(matrix(c(0,5,5,0),2))$p.value = 0.007937; fisher.test(matrix(c(1,4,0,5),2)) = 1
    expect(fisherExact(0, 5, 5, 5)).toBeCloseTo(0.007937, 5);
    expect(fisherExact(1, 5, 0, 5)).toBeCloseTo(1, 9);
  });
});

describe('diffAcrossMachines', () => {
  it('passes a rerun whose seeds take other paths, and says how it judged', () => {
    const random = seedrandom('rerun');
    const diff = diffAcrossMachines(resultSet(random, [1, 2, 3, 4, 5]), resultSet(random, [1, 2, 3, 4, 5]), COLUMNS);
    expect(diff.rows.filter((r) => !r.within)).toEqual([]);
    expect(diff.mode).toBe('cross-machine');
    expect(diff.judged).toMatch(/paired t test.*Holm over 64 values at 5 %.*resolution \(val_accuracy 1\/2000\)/);
  });

  it('keeps false alarms of unchanged reruns at or below 5 % over many result sets', () => {
    const random = seedrandom('false alarms');
    let alarms = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) if (failing(resultSet(random, [1, 2, 3, 4, 5]), resultSet(random, [1, 2, 3, 4, 5])).length) alarms++;
    expect(alarms / trials).toBeLessThanOrEqual(0.05);
  });

  it('fails a real change in one variant, naming the variant and the metric', () => {
    const random = seedrandom('change');
    const a = resultSet(random, [1, 2, 3, 4, 5]);
    const b = resultSet(random, [1, 2, 3, 4, 5], (f) => (f.hidden === 100 && !f.bn ? { shift: 0.1 } : {}));
    const bad = failing(a, b);
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.every((r) => r.startsWith('hidden=100 bn=false '))).toBe(true);
    expect(bad).toContain('hidden=100 bn=false loss mean over epochs (auc)');
  });

  it('fails an epoch less everywhere, however noisy the metrics', () => {
    const random = seedrandom('epochs');
    const bad = failing(
      resultSet(random, [1, 2, 3]),
      resultSet(random, [1, 2, 3], () => ({ epochs: 9 })),
    );
    expect(bad.filter((r) => r.endsWith('epochs trained'))).toHaveLength(8);
  });

  it('passes saturated accuracies that differ by less than one validation sample', () => {
    const random = seedrandom('saturated');
    const a = resultSet(random, [1, 2, 3, 4, 5], () => ({ saturated: true }));
    const b = resultSet(random, [1, 2, 3, 4, 5], () => ({ saturated: true }));
    expect(failing(a, b).filter((r) => r.includes('val_accuracy'))).toEqual([]);
  });

  it('fails a run that crashed on one side only; notes seeds present on one side', () => {
    const random = seedrandom('crash');
    const runs = (n: number[]) => n.map((seed) => simulatedRun(random, seed, 0));
    const a = side([{ factors: { bn: true }, runs: runs([1, 2, 3, 4, 5]) }]);
    const crashed = side([{ factors: { bn: true }, runs: [...runs([1, 2, 3, 4]), { seed: 5, status: 'failed', history: [] }] }]);
    expect(failing(a, crashed)).toEqual(['bn=true — runs failed']);
    const fewer = diffAcrossMachines(a, side([{ factors: { bn: true }, runs: runs([1, 2, 3]) }]), COLUMNS);
    expect(fewer.rows.filter((r) => !r.within)).toEqual([]);
    expect(fewer.notes).toEqual(['bn=true: seeds 4, 5 only in A (compared as 5 vs 3 seeds)']);
  });
});
