import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TRAINING_SEMANTICS_VERSION } from '../../src/sweep/expand.js';

/**
 * What test/helpers/pin-run.mjs's configs train to on the portable wasm path (no native kernels: the
 * same bits on every machine): a conv net with an activity penalty through tfjs-layers, an MLP and a
 * conv net on nnlab's engine. If this
 * fails, a change made the same config train differently, and cached runs (whose ids hash the config,
 * not the code) would silently mix old and new results: bump TRAINING_SEMANTICS_VERSION in
 * src/sweep/expand.ts and update the version and the numbers here together.
 */
const PINNED = {
  version: 10,
  layers: {
    engine: 'tfjs-layers',
    loss: [2.3672457377115887, 2.0495985666910808],
    val_loss: [2.230657958984375, 2.1725079854329428],
  },
  engine: {
    engine: 'nnlab dense engine, WebAssembly (SIMD)',
    loss: [1.950553359663163, 1.3800490728671222],
    val_loss: [1.5086324225645265, 1.1953115199570188],
  },
  conv: {
    engine: 'nnlab dense engine, WebAssembly (SIMD)',
    loss: [2.343035220217276, 2.2561506986279114],
    val_loss: [2.3077439186339763, 2.2958879702667603],
  },
};

type Pinned = { engine: string; loss: number[]; val_loss: number[] };

describe('training semantics pin', () => {
  const out = () =>
    JSON.parse(execFileSync(process.execPath, ['test/helpers/pin-run.mjs'], { encoding: 'utf8' })) as Record<'layers' | 'engine' | 'conv', Pinned>;

  it(`trains the pinned configs to the pinned losses (semantics version ${PINNED.version})`, () => {
    expect(TRAINING_SEMANTICS_VERSION).toBe(PINNED.version);
    const trained = out();
    for (const path of ['layers', 'engine', 'conv'] as const) {
      expect(trained[path].engine).toBe(PINNED[path].engine);
      for (const key of ['loss', 'val_loss'] as const) {
        trained[path][key].forEach((v, i) => expect(Math.abs(v / PINNED[path][key][i]! - 1), `${path} ${key}, epoch ${i + 1}`).toBeLessThan(1e-6));
      }
    }
  });
});
