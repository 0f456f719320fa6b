import { describe, expect, it } from 'vitest';
import { fitScaler, applyScaler } from '../../src/data/scale.js';
import { generateSynthetic, greatCircleMetres, SYNTHETIC } from '../../src/data/synthetic.js';
import { readIris } from '../../src/data/iris.js';
import { prepareSplit } from '../../src/data/prepare-split.js';

describe('synthetic datasets', () => {
  it.each(Object.keys(SYNTHETIC))('%s is seeded: same seed, same data; other seed, other data', (name) => {
    const a = generateSynthetic(name, { samples: 60, noise: 0.1, seed: 0 });
    expect(generateSynthetic(name, { samples: 60, noise: 0.1, seed: 0 })).toEqual(a);
    expect(generateSynthetic(name, { samples: 60, noise: 0.1, seed: 1 }).x).not.toEqual(a.x);
    expect(a.labels).toHaveLength(60);
    expect(a.x.every(Number.isFinite)).toBe(true);
  });

  it('balances the classes', () => {
    const blobs = generateSynthetic('blobs', { samples: 90, noise: 0, seed: 0 });
    expect([0, 1, 2].map((c) => blobs.labels.filter((l) => l === c).length)).toEqual([30, 30, 30]);
  });

  it('road-distance gives distances in metres about 1.2–1.5 × the great circle', () => {
    const d = generateSynthetic('road-distance', { samples: 200, noise: 0, seed: 0 });
    expect(d.task).toBe('regression');
    expect(d.featureShape).toEqual([4]);
    for (let i = 0; i < 200; i++) {
      const [a, b, c, e] = Array.from(d.x.subarray(i * 4, i * 4 + 4));
      const ratio = d.targets![i]! / greatCircleMetres(a!, b!, c!, e!);
      expect(ratio).toBeGreaterThanOrEqual(1.2 - 1e-3);
      expect(ratio).toBeLessThanOrEqual(1.5 + 1e-3);
    }
    expect(Math.max(...d.targets!)).toBeGreaterThan(20000);
  });

  it('greatCircleMetres: one degree of latitude is about 111 km', () => {
    expect(greatCircleMetres(55, 37, 56, 37)).toBeCloseTo(111195, -2);
  });
});

describe('iris', () => {
  it('loads the 150 real flowers, 50 per species', async () => {
    const iris = await readIris();
    expect(iris.labels).toHaveLength(150);
    expect(iris.x).toHaveLength(600);
    expect([0, 1, 2].map((c) => iris.labels.filter((l) => l === c).length)).toEqual([50, 50, 50]);
    expect(Array.from(iris.x.subarray(0, 4)).map((v) => Number(v.toFixed(1)))).toEqual([5.1, 3.5, 1.4, 0.2]);
  });
});

describe('scaling', () => {
  it.each([
    { mode: 'minmax' as const, values: [1, 3, 5], expected: [0, 0.5, 1] },
    { mode: 'standardize' as const, values: [1, 3, 5], expected: [-1.2247, 0, 1.2247] },
    { mode: 'none' as const, values: [1, 3, 5], expected: [1, 3, 5] },
  ])('$mode', ({ mode, values, expected }) => {
    const x = Float32Array.from(values);
    expect(Array.from(applyScaler(x, fitScaler(x, 1, mode))).map((v) => Number(v.toFixed(4)))).toEqual(expected);
  });

  it('is fitted on the training split only', () => {
    const data = generateSynthetic('road-distance', { samples: 100, noise: 0.05, seed: 0 });
    const split = prepareSplit(data, { dataset: 'road-distance', validation_split: 0.2, seed: 0, scale: 'standardize', target_scale: 'minmax' }, 1);
    const column0 = Array.from({ length: 80 }, (_, i) => split.train.x[i * 4]!);
    expect(column0.reduce((s, v) => s + v, 0) / 80).toBeCloseTo(0, 3); // float32 latitudes: ~1e-5 off
    expect(Math.min(...split.train.targets!)).toBeCloseTo(0, 6);
    expect(Math.max(...split.train.targets!)).toBeCloseTo(1, 6);
    // Validation values use the training fit, so they need not fill [0, 1] exactly.
    expect(split.validation.targets).toHaveLength(20);
  });
});
