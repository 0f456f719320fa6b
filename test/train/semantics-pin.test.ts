import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRAINING_SEMANTICS_VERSION } from '../../src/sweep/expand.js';
import { loadNativeBlas } from '../../src/train/kernels/native-matmul.js';

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

/**
 * The same configs on the native addon with nnlab's own GEMM (NNLAB_NATIVE=own), whose float
 * rounding differs from the WebAssembly path's (fused multiply-adds): changes to the native kernels
 * alone (semantics versions 6, 8 and 9) show here. Its bits are those of an x86-64-v3 processor
 * (AVX2, FMA), where the addon runs its fast clones; elsewhere this pin is skipped.
 */
const PINNED_NATIVE = {
  layers: PINNED.layers,
  engine: {
    engine: "nnlab dense engine, native (nnlab's own GEMM)",
    loss: [1.950553359247945, 1.3800490672201993],
    val_loss: [1.5086877475500369, 1.1954301821317452],
  },
  conv: {
    engine: "nnlab dense engine, native (nnlab's own GEMM)",
    loss: [2.343035246788818, 2.256150644811534],
    val_loss: [2.3077383663449798, 2.295783413104947],
  },
};

type Pinned = { engine: string; loss: number[]; val_loss: number[] };
const PATHS = ['layers', 'engine', 'conv'] as const;

const cpuFlags = new Set(
  readFileSync('/proc/cpuinfo', 'utf8')
    .match(/^flags\s*:(.*)$/m)?.[1]
    ?.trim()
    .split(/\s+/) ?? [],
);
const x86v3 = ['avx2', 'fma', 'bmi2', 'f16c', 'movbe'].every((f) => cpuFlags.has(f));
const nativeBuilt = 'sgemm' in loadNativeBlas();

function expectPinned(path: 'wasm' | 'native', pinned: Record<(typeof PATHS)[number], Pinned>): void {
  const trained = JSON.parse(execFileSync(process.execPath, ['test/helpers/pin-run.mjs', path], { encoding: 'utf8' })) as Record<
    (typeof PATHS)[number],
    Pinned
  >;
  for (const config of PATHS) {
    expect(trained[config].engine).toBe(pinned[config].engine);
    for (const key of ['loss', 'val_loss'] as const) {
      trained[config][key].forEach((v, i) => expect(Math.abs(v / pinned[config][key][i]! - 1), `${path}: ${config} ${key}, epoch ${i + 1}`).toBeLessThan(1e-6));
    }
  }
}

describe('training semantics pin', () => {
  it(`trains the pinned configs to the pinned losses on the WebAssembly path (semantics version ${PINNED.version})`, () => {
    expect(TRAINING_SEMANTICS_VERSION).toBe(PINNED.version);
    expectPinned('wasm', PINNED);
  });

  it.runIf(nativeBuilt && x86v3)("and on the native path with nnlab's own GEMM", () => {
    expectPinned('native', PINNED_NATIVE);
  });
});
