import { z } from 'zod';
import { createRng } from '../shared/rng.js';
import type { FactorValue } from '../shared/factor-value.js';
import { didYouMean } from './schema-parts.js';

/**
 * A sampled factor's distribution, in the names of Ray Tune, Optuna and W&B sweeps:
 * `{uniform: [low, high]}`, `{loguniform: [low, high]}` (log-uniform, low > 0),
 * `{int_uniform: [low, high]}` (integers, both ends included), `{choice: [a, b, …]}`.
 */
type Distribution =
  | { type: 'uniform'; low: number; high: number }
  | { type: 'loguniform'; low: number; high: number }
  | { type: 'int_uniform'; low: number; high: number }
  | { type: 'choice'; values: FactorValue[] };

const DISTRIBUTIONS = ['uniform', 'loguniform', 'int_uniform', 'choice'] as const;

const EXPECTED = `expected one of {uniform: [low, high]}, {loguniform: [low, high]}, {int_uniform: [low, high]}, {choice: [a, b, …]}`;

/** One `space` entry, with messages that name the distribution's own mistake. */
export const distributionSchema = z.unknown().transform((raw, ctx): Distribution => {
  const fail = (message: string, path: string[] = []) => {
    ctx.addIssue({ code: 'custom', message, path, input: raw });
    return z.NEVER;
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || Object.keys(raw).length !== 1) return fail(EXPECTED);
  const [type, body] = Object.entries(raw)[0]!;
  if (!(DISTRIBUTIONS as readonly string[]).includes(type))
    return fail(`unknown distribution "${type}"${didYouMean(type, DISTRIBUTIONS)}; ${EXPECTED}`, [type]);
  if (type === 'choice') {
    if (!Array.isArray(body) || body.length === 0) return fail('expected a list of values to choose from, e.g. [16, 32, 64]', [type]);
    return { type, values: body as FactorValue[] };
  }
  if (!Array.isArray(body) || body.length !== 2 || !body.every((v) => typeof v === 'number' && Number.isFinite(v)))
    return fail('expected [low, high], two numbers', [type]);
  const [low, high] = body as [number, number];
  if (!(low < high)) return fail('expected low < high', [type]);
  if (type === 'loguniform' && low <= 0) return fail('expected low > 0 (a log scale starts above zero)', [type]);
  if (type === 'int_uniform' && !(Number.isInteger(low) && Number.isInteger(high))) return fail('expected two integers', [type]);
  return { type: type as 'uniform' | 'loguniform' | 'int_uniform', low, high };
});

/** Sampled values are rounded to this many significant digits: readable in tables and run ids, and the same on every machine. */
const SIGNIFICANT_DIGITS = 3;

/**
 * `samples` points of the space, drawn from the seeded stream `sweep/random` of `seed`: the same spec
 * always gives the same points, in the same order. Each point draws every factor in the space's order.
 * @example sampleSpace({lr: {type: 'loguniform', low: 1e-4, high: 1e-1}}, 2, 0) → [{lr: 0.00316}, {lr: 0.0421}]
 */
export function sampleSpace(space: Record<string, Distribution>, samples: number, seed: number): Array<Record<string, FactorValue>> {
  const rng = createRng(seed, 'sweep/random');
  const round = (x: number) => Number(x.toPrecision(SIGNIFICANT_DIGITS));
  return Array.from({ length: samples }, () =>
    Object.fromEntries(
      Object.entries(space).map(([name, d]) => {
        const u = rng.next();
        switch (d.type) {
          case 'uniform':
            return [name, round(d.low + u * (d.high - d.low))];
          case 'loguniform':
            return [name, round(Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low))))];
          case 'int_uniform':
            return [name, d.low + Math.floor(u * (d.high - d.low + 1))];
          case 'choice':
            return [name, d.values[Math.floor(u * d.values.length)]!];
        }
      }),
    ),
  );
}
