import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateSpecText } from '../../src/spec/validate.js';
import { expandSweep, runId } from '../../src/sweep/expand.js';

const text = readFileSync('experiments/bn-vs-nobn.yaml', 'utf8');
// Seeds pinned so the shipped experiment's defaults can change without touching this test.
const plan = (sets: string[] = []) => expandSweep(validateSpecText(text, 'x.yaml', ['sweep.seeds=[1, 2, 3]', ...sets]).value!);

describe('expandSweep', () => {
  it('makes grid × seeds runs, all seeds of a variant together', () => {
    const p = plan();
    expect(p.runs).toHaveLength(8 * 3);
    expect(p.runs.slice(0, 4).map((r) => [r.variant, r.config.seed, r.config.factors])).toEqual([
      [0, 1, { hidden: 5, bn: false }],
      [0, 2, { hidden: 5, bn: false }],
      [0, 3, { hidden: 5, bn: false }],
      [1, 1, { hidden: 5, bn: true }],
    ]);
  });

  it('derives readable, unique, stable run ids', () => {
    const ids = plan().runs.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^hidden-5_bn-false_seed-1-[0-9a-f]{10}$/);
    expect(plan().runs.map((r) => r.id)).toEqual(ids);
  });

  it('changes the id when anything that affects training changes, and only then', () => {
    const id = plan().runs[0]!.id;
    expect(plan(['train.epochs=3']).runs[0]!.id).not.toBe(id);
    expect(plan(['train.optimizer.adam.learning_rate=0.01']).runs[0]!.id).not.toBe(id);
    expect(plan(['report.threshold.val_accuracy=0.5']).runs[0]!.id).toBe(id);
    expect(plan(['question=something else']).runs[0]!.id).toBe(id);
    expect(plan(['name=renamed']).runs[0]!.id).toBe(id);
    // Writing a default explicitly is the same config.
    expect(plan(['data.validation_split=0.2']).runs[0]!.id).toBe(id);
    expect(plan(['data.split=stratified']).runs[0]!.id).toBe(id);
    expect(plan(['data.split=tail']).runs[0]!.id).not.toBe(id);
  });

  it('is pinned, so cached results stay valid across releases', () => {
    // A fixed config (not a shipped experiment, whose defaults may change).
    const pinned = expandSweep(validateSpecText(readFileSync('test/fixtures/specs/tiny.yaml', 'utf8'), 'tiny.yaml').value!);
    expect(pinned.runs.map((r) => r.id)).toMatchInlineSnapshot(`
      [
        "hidden-8_dropout-false_seed-1-d3add241cd",
        "hidden-8_dropout-false_seed-2-2a845fe7e8",
        "hidden-8_dropout-true_seed-1-e913d9c43f",
        "hidden-8_dropout-true_seed-2-8bf57e3359",
      ]
    `);
  });
});
