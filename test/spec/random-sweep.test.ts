import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/shared/errors.js';
import { sampleSpace } from '../../src/spec/random-space.js';
import { validateSpecText } from '../../src/spec/validate.js';

const spec = (random: string, grid = '{bn: [false, true]}', lr = '"${lr}"') => `name: t
data: {dataset: xor, samples: 64}
model:
  input_shape: [2]
  layers:
    - dense: {units: 8, activation: relu}
    - batch_norm: {enabled: "\${bn}"}
    - dense: {units: 1, activation: sigmoid}
train:
  optimizer: {adam: {learning_rate: ${lr}}}
  loss: binary_crossentropy
  epochs: 2
sweep:
  seeds: [1, 2]
  grid: ${grid}
  random:
${random}
`;
const space = `    samples: 4
    space:
      lr: {loguniform: [1.0e-4, 1.0e-1]}`;
const problems = (text: string) => validateSpecText(text, 't.yaml').issues.map(formatIssue);

describe('random sweeps', () => {
  it('draw the same points from the same seed, inside the bounds, rounded to 3 significant digits', () => {
    const s = {
      lr: { type: 'loguniform' as const, low: 1e-4, high: 1e-1 },
      dropout: { type: 'uniform' as const, low: 0, high: 0.5 },
      units: { type: 'int_uniform' as const, low: 16, high: 18 },
      batch: { type: 'choice' as const, values: [16, 32, 64] },
    };
    const points = sampleSpace(s, 200, 7);
    expect(sampleSpace(s, 200, 7)).toEqual(points);
    expect(sampleSpace(s, 200, 8)).not.toEqual(points);
    // A longer search starts with the shorter one's points.
    expect(sampleSpace(s, 20, 7)).toEqual(points.slice(0, 20));
    for (const p of points) {
      expect(p.lr).toBeGreaterThanOrEqual(1e-4);
      expect(p.lr).toBeLessThanOrEqual(1e-1);
      expect(Number((p.lr as number).toPrecision(3))).toBe(p.lr);
      expect(p.dropout).toBeGreaterThanOrEqual(0);
      expect(p.dropout).toBeLessThanOrEqual(0.5);
      expect([16, 32, 64]).toContain(p.batch);
    }
    expect(new Set(points.map((p) => p.units))).toEqual(new Set([16, 17, 18]));
    // Log-uniform: about as many draws in each decade.
    const decades = [1e-4, 1e-3, 1e-2].map((lo) => points.filter((p) => (p.lr as number) >= lo && (p.lr as number) < lo * 10).length);
    for (const n of decades) expect(n).toBeGreaterThan(40);
  });

  it('cross every sampled point with every grid point, so the grid comparison is paired at the same values', () => {
    const { value, issues } = validateSpecText(spec(space), 't.yaml');
    expect(issues).toEqual([]);
    expect(value!.factorNames).toEqual(['bn', 'lr']);
    expect(value!.sampled).toEqual([{ name: 'lr', log: true }]);
    expect(value!.variants).toHaveLength(8);
    const lrs = (bn: boolean) => value!.variants.filter((v) => v.factors.bn === bn).map((v) => v.factors.lr);
    expect(lrs(true)).toEqual(lrs(false));
    expect(new Set(lrs(true)).size).toBe(4);
    for (const v of value!.variants) expect(v.spec.train.optimizer.learning_rate).toBe(v.factors.lr);
  });

  it('refuse bad distributions, a factor both in the grid and sampled, and a sampled factor no field uses, each located', () => {
    expect(problems(spec(`    samples: 2\n    space:\n      lr: {loguniform: [0, 1]}`))).toEqual([
      't.yaml:19:24 sweep.random.space.lr.loguniform: expected low > 0 (a log scale starts above zero)',
    ]);
    expect(problems(spec(`    samples: 2\n    space:\n      lr: {normal: [0, 1]}`))[0]).toMatch(
      /^t\.yaml:19:12 sweep\.random\.space\.lr\.normal: unknown distribution "normal"; expected one of \{uniform/,
    );
    expect(problems(spec(`    samples: 2\n    space:\n      lr: {uniform: [0.1, 0.01]}`))).toEqual([
      't.yaml:19:21 sweep.random.space.lr.uniform: expected low < high',
    ]);
    expect(problems(spec(`    samples: 0\n    space:\n      lr: {uniform: [0.01, 0.1]}`))).toEqual([
      't.yaml:17:14 sweep.random.samples: expected at least 1 sample, got 0',
    ]);
    expect(problems(spec(space, '{bn: [false, true], lr: [0.1]}'))).toEqual([
      't.yaml:19:7 sweep.random.space.lr: lr is a sweep.grid factor already; a factor is either a grid of values or sampled',
    ]);
    expect(problems(spec(space, '{bn: [false, true]}', '0.001'))).toEqual([
      't.yaml:19:7 warning: sweep.random.space.lr: no field uses ${lr}, so its values only repeat the same training',
    ]);
  });
});
