import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../../src/preflight/check-spec.js';
import { damagedText, mutatedExperiment } from './hostile-specs.js';

/** In npm test a bounded run; `npm run fuzz` sets NNLAB_FUZZ_RUNS (and NNLAB_FUZZ_SEED) for a long one. */
const RUNS = Number(process.env.NNLAB_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.NNLAB_FUZZ_SEED ?? 20261124);

/** Every case either validates, or returns located one-line errors; it never throws or hangs. */
function checkOutcome({ file, text }: { file: string; text: string }): void {
  const started = performance.now();
  const result = validateSpec(text, file);
  expect(performance.now() - started, 'validation took over 2 s').toBeLessThan(2000);
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (result.value) {
    expect(errors).toEqual([]);
    return;
  }
  expect(errors.length).toBeGreaterThan(0);
  for (const issue of errors) {
    expect(issue.message).not.toMatch(/\n/);
    expect(issue.message.length).toBeGreaterThan(0);
    // Located in the file, or by the override that caused it.
    expect(issue.origin !== undefined || issue.file === file).toBe(true);
  }
}

describe('spec fuzzing (fast-check)', () => {
  for (const [name, arbitrary] of [
    ['mutated shipped experiments', mutatedExperiment],
    ['damaged or random YAML text', damagedText],
  ] as const) {
    it(`${name}: every case validates or gets located errors, never an exception`, () => {
      let cases = 0;
      let invalid = 0;
      fc.assert(
        fc.property(arbitrary, (c) => {
          cases++;
          checkOutcome(c);
          if (!validateSpec(c.text, c.file).value) invalid++;
        }),
        { numRuns: RUNS, seed: SEED },
      );
      console.log(`spec fuzz, ${name}: ${cases} cases (${invalid} rejected with located errors, ${cases - invalid} valid), seed ${SEED}`);
      expect(cases).toBe(RUNS);
    });
  }
});
