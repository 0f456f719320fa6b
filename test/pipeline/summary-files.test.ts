import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { VariantSummary } from '../../src/analysis/summarize.js';
import { writeLayerSummaryFile, writeSummaryFiles } from '../../src/pipeline/summary-files.js';
import { formatFactorValue, type FactorValue } from '../../src/shared/factor-value.js';

/** Factor values of every type a spec can give a grid factor, mappings nested as optimizers are. */
const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null));
const factorValue: fc.Arbitrary<FactorValue> = fc.oneof(
  scalar,
  fc.dictionary(
    fc.constantFrom('sgd', 'adam', 'rmsprop'),
    fc.dictionary(fc.constantFrom('learning_rate', 'momentum'), fc.double({ noNaN: true, noDefaultInfinity: true, min: 1e-9, max: 1 }), { minKeys: 1 }),
    { minKeys: 1, maxKeys: 1 },
  ),
  fc.dictionary(fc.constantFrom('l1', 'l2'), scalar, { minKeys: 1 }),
);

const summary = (factors: Record<string, FactorValue>, variant: number): VariantSummary => ({
  variant,
  factors,
  runs: 1,
  ok: 1,
  diverged: 0,
  failed: 0,
  missing: 0,
  thresholds: [],
  at_epochs: [],
  metrics: {},
  curves: {},
});

describe('factor values in summary.csv and layer-summary.csv', () => {
  it('are written as the terminal writes them, so no two variants read alike and none reads [object Object]', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nnlab-csv-'));
    try {
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(factorValue, { minLength: 1, maxLength: 4, selector: (v) => formatFactorValue(v) }), async (values) => {
          const summaries = values.map((v, i) => summary({ optimizer: v }, i));
          const header = { experiment: 'x', factors: ['optimizer'], seeds: [1], columns: [] };
          await writeSummaryFiles(dir, { header, summaries, runIds: values.map(() => []) });
          await writeLayerSummaryFile(
            dir,
            header,
            summaries,
            values.map((_, variant) => ({ variant, epoch: 1, layer: 0, kind: 'dense' as const, signal: 'grad_norm' as const, mean: 1, std: null, runs: 1 })),
          );
          for (const file of ['summary.csv', 'layer-summary.csv']) {
            const rows = parse(await readFile(join(dir, file), 'utf8'), { columns: true }) as Array<Record<string, string>>;
            const cells = rows.map((r) => r.optimizer);
            expect(cells).toEqual(values.map((v) => (v === null ? '' : typeof v === 'number' ? String(Number(v.toPrecision(6))) : formatFactorValue(v))));
            expect(cells.some((c) => c?.includes('[object Object]'))).toBe(false);
          }
        }),
        { numRuns: 60, seed: 1 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
