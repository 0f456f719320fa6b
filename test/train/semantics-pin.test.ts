import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TRAINING_SEMANTICS_VERSION } from '../../src/sweep/expand.js';

/**
 * What test/helpers/pin-run.mjs's config trains to on the portable pure wasm path. If this fails, a
 * change made the same config train differently, and cached runs (whose ids hash the config, not the
 * code) would silently mix old and new results: bump TRAINING_SEMANTICS_VERSION in
 * src/sweep/expand.ts and update the version and the numbers here together.
 */
const PINNED = {
  version: 4,
  loss: [2.3672457377115887, 2.0495985666910808],
  val_loss: [2.230657958984375, 2.1725079854329428],
};

describe('training semantics pin', () => {
  it(`trains the pinned config to the pinned losses (semantics version ${PINNED.version})`, () => {
    expect(TRAINING_SEMANTICS_VERSION).toBe(PINNED.version);
    const out = JSON.parse(execFileSync(process.execPath, ['test/helpers/pin-run.mjs'], { encoding: 'utf8' })) as { loss: number[]; val_loss: number[] };
    for (const key of ['loss', 'val_loss'] as const) {
      out[key].forEach((v, i) => expect(Math.abs(v / PINNED[key][i]! - 1), `${key}, epoch ${i + 1}`).toBeLessThan(1e-6));
    }
  });
});
