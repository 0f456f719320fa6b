import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNativeBlas } from '../../src/train/kernels/native-matmul.js';

/**
 * TensorFlow.js' own op tests (compiled in @tensorflow/tfjs-core/dist, run by its jasmine harness)
 * for every kernel nnlab replaces or adds, on tfjs' cpu backend, stock wasm, and nnlab's pure and
 * native kernel sets, each in a process of its own (kernels are registered per process).
 */
const FILES = [
  'ops/mat_mul_test.js',
  'ops/fused/fused_mat_mul_test.js',
  'ops/tile_test.js',
  'ops/conv2d_test.js',
  'ops/conv2d_transpose_test.js',
  'ops/fused/fused_conv2d_test.js',
  'ops/max_pool_test.js',
  'ops/avg_pool_test.js',
  'ops/clone_test.js',
  'optimizers/adam_optimizer_test.js',
];
type Result = { name: string; status: string; failures: string[] };
const run = (kernels: string): Map<string, Result> => {
  const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'tfjs-ops', 'run-tfjs-op-tests.mjs'), kernels, ...FILES], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`the tfjs op tests did not run on ${kernels}: ${r.stderr.slice(-2000)}`);
  const doc = JSON.parse(r.stdout.trim().split('\n').pop()!) as { results: Result[] };
  return new Map(doc.results.map((x) => [x.name, x]));
};
const passed = (results: Map<string, Result>) => [...results.values()].filter((r) => r.status === 'passed').map((r) => r.name);

const native = loadNativeBlas();
const nativeBuilt = 'sgemm' in native;
if (process.env.NNLAB_EXPECT_NATIVE === '1' && !nativeBuilt) throw new Error('the native BLAS kernel is required here but was not built');

describe("TensorFlow.js' own op tests on nnlab's kernels", () => {
  const cpu = run('cpu');
  const stock = run('stock');

  it.each([{ kernels: 'pure' }, ...(nativeBuilt ? [{ kernels: 'native' }] : [])])(
    '$kernels: every test that passes on stock wasm passes, and the conv gradients nnlab adds pass as on cpu',
    ({ kernels }) => {
      const mine = run(kernels);
      expect(mine.size).toBeGreaterThan(300);
      const regressions = passed(stock)
        .filter((name) => mine.get(name)?.status !== 'passed')
        .map((name) => `${name}: ${mine.get(name)?.failures[0] ?? 'did not run'}`);
      expect(regressions).toEqual([]);
      // wasm has no conv filter gradient of its own: nnlab registers one, and the tests that stock wasm
      // fails for want of it (and cpu passes) judge it.
      const gradients = passed(cpu).filter((name) => stock.get(name)?.failures.some((f) => f.includes("Kernel 'Conv2DBackpropFilter' not registered")));
      expect(gradients.length).toBeGreaterThan(8);
      expect(gradients.filter((name) => mine.get(name)?.status !== 'passed')).toEqual([]);
      console.log(`tfjs op tests on ${kernels}: ${passed(mine).length} of ${mine.size} pass (stock wasm ${passed(stock).length}, cpu ${passed(cpu).length})`);
    },
  );
});
