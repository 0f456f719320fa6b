import { createRng, type Rng } from '../shared/rng.js';
import type { Dataset } from './dataset.js';

interface SyntheticOptions {
  samples: number;
  noise: number;
  /** The dataset's own seed: the same "world" for every run seed. */
  seed: number;
}

type Generator = (o: SyntheticOptions, rng: Rng) => { x: number[][]; labels?: number[]; targets?: number[][]; numClasses: number };

/**
 * Seeded synthetic datasets, classic 2-D classification shapes and one regression:
 * road-distance, pairs of points in a city-sized box → a road-like distance in metres.
 */
export const SYNTHETIC: Record<string, Generator> = {
  moons: (o, rng) =>
    classes(o.samples, 2, (c, i, n) => {
      const t = Math.PI * (i / Math.max(1, n - 1));
      const [px, py] = c === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
      return [px + o.noise * rng.normal(), py + o.noise * rng.normal()];
    }),
  circles: (o, rng) =>
    classes(o.samples, 2, (c) => {
      const t = 2 * Math.PI * rng.next();
      const r = c === 0 ? 1 : 0.5;
      return [r * Math.cos(t) + o.noise * rng.normal(), r * Math.sin(t) + o.noise * rng.normal()];
    }),
  spirals: (o, rng) =>
    classes(o.samples, 2, (c, i, n) => {
      const t = (i / Math.max(1, n)) * 3 * Math.PI + 0.5;
      const sign = c === 0 ? 1 : -1;
      return [(sign * t * Math.cos(t)) / 10 + o.noise * rng.normal(), (sign * t * Math.sin(t)) / 10 + o.noise * rng.normal()];
    }),
  xor: (o, rng) => {
    const x: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < o.samples; i++) {
      const a = rng.next() * 2 - 1;
      const b = rng.next() * 2 - 1;
      x.push([a + o.noise * rng.normal(), b + o.noise * rng.normal()]);
      labels.push(a * b > 0 ? 0 : 1);
    }
    return { x, labels, numClasses: 2 };
  },
  blobs: (o, rng) => {
    const centres = [
      [-2, -2],
      [2, 2],
      [-2, 2],
    ];
    return classes(o.samples, 3, (c) => [centres[c]![0]! + (0.5 + o.noise) * rng.normal(), centres[c]![1]! + (0.5 + o.noise) * rng.normal()]);
  },
  'road-distance': (o, rng) => {
    // A Moscow-sized box, as in the question: lat 55.59–55.90, lon 37.34–37.83.
    const lat = () => 55.589537 + (55.901819 - 55.589537) * rng.next();
    const lon = () => 37.344735 + (37.832254 - 37.344735) * rng.next();
    const x: number[][] = [];
    const targets: number[][] = [];
    for (let i = 0; i < o.samples; i++) {
      const p = [lat(), lon(), lat(), lon()];
      const detour = 1.2 + 0.3 * rng.next(); // roads are 20-50 % longer than the straight line
      const metres = greatCircleMetres(p[0]!, p[1]!, p[2]!, p[3]!) * detour * (1 + o.noise * rng.normal());
      x.push(p);
      targets.push([Math.max(0, metres)]);
    }
    return { x, targets, numClasses: 0 };
  },
};

/** Generate a synthetic dataset; its sample order is class by class (the split is stratified). */
export function generateSynthetic(name: string, o: SyntheticOptions): Dataset {
  const g = SYNTHETIC[name]!(o, createRng(o.seed, `synthetic/${name}`));
  const width = g.x[0]?.length ?? 0;
  const n = g.x.length;
  const x = Float32Array.from(g.x.flat());
  if (g.targets) {
    return {
      name,
      task: 'regression',
      featureShape: [width],
      x,
      labels: new Int32Array(n),
      numClasses: 0,
      targets: Float32Array.from(g.targets.flat()),
      targetWidth: g.targets[0]?.length ?? 1,
    };
  }
  return { name, task: 'classification', featureShape: [width], x, labels: Int32Array.from(g.labels!), numClasses: g.numClasses };
}

function classes(samples: number, count: number, point: (c: number, i: number, n: number) => number[]) {
  const x: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < count; c++) {
    const n = Math.floor(samples / count) + (c < samples % count ? 1 : 0);
    for (let i = 0; i < n; i++) {
      x.push(point(c, i, n));
      labels.push(c);
    }
  }
  return { x, labels, numClasses: count };
}

/** Haversine distance on a sphere of the Earth's mean radius. */
export function greatCircleMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}
