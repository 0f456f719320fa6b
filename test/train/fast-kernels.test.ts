import { referenceGemm } from '../helpers/reference-gemm.js';
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tileInto } from '../../src/train/kernels/heap-tile.js';
import { loadNativeBlas, type NativeBlas } from '../../src/train/kernels/native-matmul.js';
import { kernelSetOf, selectBackend } from '../../src/train/backend.js';
import { jsRowKernels, type RowKernels } from '../../src/train/dense/row-kernels.js';
import { nativeDenseKernels, type DenseKernels } from '../../src/train/dense/dense-kernels.js';
import { simdDenseKernels } from '../../src/train/dense/simd-dense-kernels.js';
import { loadSimdKernels, type SimdKernels } from '../../src/train/kernels/simd-kernels.js';
import { denseAdamWeights, tfjsAdamWeights } from '../helpers/adam-steps.js';
import { historySpec } from '../helpers/history-specs.mjs';
import { validateSpecText } from '../../src/spec/validate.js';
import { expandSweep } from '../../src/sweep/expand.js';
import { readDataset } from '../../src/data/read-dataset.js';
import { prepareSplit } from '../../src/data/prepare-split.js';
import { trainRun } from '../../src/train/train-run.js';
import { chooseKernels } from '../../src/train/kernel-choice.js';
import { bitDifferences, maxAbsDiff, mostlyZeros, seededValues } from '../helpers/seeded-values.js';

const native = loadNativeBlas();
const nativeBuilt = 'sgemm' in native;
// CI installs OpenBLAS, so there the native path must exist and be tested, not skipped.
if (process.env.NNLAB_EXPECT_NATIVE === '1' && !nativeBuilt)
  throw new Error(`the native BLAS kernel is required here but ${'unavailable' in native ? native.unavailable : ''}`);

/** stock: tfjs-layers on stock wasm; layers-*: tfjs-layers on nnlab's kernels; pure/native/own: the dense engine. */
type Kernels = 'stock' | 'layers-pure' | 'layers-native' | 'pure' | 'native' | 'own';
type TrainedHistory = { kernels: string; engine: string; history: Array<Record<string, number>> };
/** tfjs-layers' paths in a process each (tfjs registers kernels process-wide); the dense engine's here, its kernels being a value. */
const trainHistory = async (kernels: Kernels, flags: string[]): Promise<TrainedHistory> =>
  kernels === 'pure' || kernels === 'native' || kernels === 'own'
    ? trainOnEngine(kernels, flags)
    : (JSON.parse(execFileSync(process.execPath, ['test/helpers/train-history.mjs', kernels, ...flags], { encoding: 'utf8' })) as TrainedHistory);

async function trainOnEngine(kernels: 'pure' | 'native' | 'own', flags: string[]): Promise<TrainedHistory> {
  await selectBackend('wasm'); // the model's layers are built on tfjs' wasm backend; the engine trains them
  const simd = loadSimdKernels();
  if (!('gemm' in simd)) throw new Error(simd.unavailable);
  const addon = native as NativeBlas;
  const facts = { stock: false, engine: true, simd: 'loaded' as const };
  const choice =
    kernels === 'pure'
      ? chooseKernels({ ...facts, native: false, addon: { unavailable: 'not used' } })
      : chooseKernels({ ...facts, native: kernels === 'own' ? 'own' : true, addon: { blas: addon.blas } });
  const set = kernelSetOf(choice, kernels === 'pure' ? undefined : addon, simd);
  const { value } = validateSpecText(historySpec(flags), 'k.yaml');
  const config = expandSweep(value!).runs[0]!.config;
  const split = prepareSplit(await readDataset(config.data), config.data, config.seed);
  const out = await trainRun(config, split, set);
  return { kernels: set.choice.name, engine: out.engine, history: out.history as TrainedHistory['history'] };
}

const values = (shape: number[], seed: number) => seededValues(shape, seed, 'kernel-test');

describe('tileInto (heap Tile)', () => {
  it.each([
    { shape: [1, 1, 1, 5], reps: [1, 1, 4, 1] },
    { shape: [2, 3], reps: [3, 2] },
    { shape: [4], reps: [3] },
    { shape: [2, 1, 3], reps: [1, 4, 2] },
  ])('matches tf.tile for $shape × $reps', async ({ shape, reps }) => {
    await selectBackend('cpu');
    const x = values(shape, 1);
    const expected = tf.tidy(() => tf.tile(tf.tensor(x, shape), reps).dataSync());
    const out = new Float32Array(expected.length);
    tileInto(x, shape, reps, out);
    expect(Array.from(out)).toEqual(Array.from(expected));
  });
});

describe.runIf(nativeBuilt)('native BLAS kernels on the wasm heap', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
    await selectBackend('wasm', { native: true });
  });

  const on = async (backend: string, fn: () => tf.Tensor) => {
    await tf.setBackend(backend);
    const t = fn();
    const out = t.dataSync().slice();
    t.dispose();
    await tf.setBackend('wasm');
    return out;
  };
  const shapes = [
    { m: 64, k: 784, n: 48 },
    { m: 1, k: 3, n: 1 },
    { m: 33, k: 1, n: 7 },
  ];
  const cases = shapes.flatMap((s) => [false, true].flatMap((ta) => [false, true].map((tb) => ({ ...s, ta, tb }))));

  it.each(cases)('matMul and fused matMul (bias, relu) agree with the cpu backend: $m×$k×$n tA=$ta tB=$tb', async ({ m, k, n, ta, tb }) => {
    const a = values(ta ? [k, m] : [m, k], m + k);
    const b = values(tb ? [n, k] : [k, n], n * k);
    const bias = values([n], 3);
    const plain = () => tf.tidy(() => tf.matMul(tf.tensor(a, ta ? [k, m] : [m, k]), tf.tensor(b, tb ? [n, k] : [k, n]), ta, tb));
    const fused = () =>
      tf.tidy(() =>
        tf.fused.matMul({
          a: tf.tensor(a, ta ? [k, m] : [m, k]),
          b: tf.tensor(b, tb ? [n, k] : [k, n]),
          transposeA: ta,
          transposeB: tb,
          bias: tf.tensor(bias),
          activation: 'relu',
        }),
      );
    expect(maxAbsDiff(await on('wasm', plain), await on('cpu', plain))).toBeLessThan(1e-5 * Math.sqrt(k));
    expect(maxAbsDiff(await on('wasm', fused), await on('cpu', fused))).toBeLessThan(1e-5 * Math.sqrt(k));
  });

  it('handles batched and broadcast products', async () => {
    const a = values([3, 4, 5], 1);
    const b = values([5, 6], 2);
    const batched = () => tf.tidy(() => tf.matMul(tf.tensor(a, [3, 4, 5]), tf.tensor(values([3, 6, 5], 3), [3, 6, 5]), false, true));
    const broadcast = () => tf.tidy(() => tf.matMul(tf.tensor(a, [3, 4, 5]), tf.tensor(b, [5, 6])));
    expect(maxAbsDiff(await on('wasm', batched), await on('cpu', batched))).toBeLessThan(1e-5);
    expect(maxAbsDiff(await on('wasm', broadcast), await on('cpu', broadcast))).toBeLessThan(1e-5);
  });

  it('the in-place Adam update leaves a clone taken before it unchanged (weight snapshots for restore-best)', async () => {
    const { NativeAdamOptimizer } = await import('../../src/train/kernels/native-adam.js');
    const variable = tf.variable(tf.tensor([1, 2, 3]), true, 'adam-clone-test');
    const snapshot = variable.clone();
    const optimizer = new NativeAdamOptimizer(native as never, 0.1, 0.9, 0.999, 1e-7);
    const before = tf.memory().numTensors;
    optimizer.applyGradients({ 'adam-clone-test': tf.tensor([1, 1, 1]) });
    // The copy is the variable's own: no tensor is left behind (one gradient, two moment slots).
    expect(tf.memory().numTensors).toBe(before + 3);
    expect(Array.from(snapshot.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(variable.dataSync()).map((v) => Number(v.toFixed(3)))).toEqual([0.9, 1.9, 2.9]);
    optimizer.dispose();
    tf.dispose([snapshot, variable]);
  });

  it("a conv layer sees the kernel the in-place Adam update wrote (XNNPACK caches packed weights by the kernel's data)", async () => {
    const { NativeAdamOptimizer } = await import('../../src/train/kernels/native-adam.js');
    const x = tf.tensor(values([1, 6, 6, 2], 11), [1, 6, 6, 2]);
    const init = tf.tensor(values([3, 3, 2, 4], 12), [3, 3, 2, 4]);
    const kernel = tf.variable(init, true, 'adam-conv-test');
    init.dispose(); // the variable holds the only reference, as a layer's kernel does: the update is in place
    const conv = (k: tf.Tensor) =>
      tf.tidy(() =>
        tf
          .conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, 'same')
          .dataSync()
          .slice(),
      );
    conv(kernel); // the first call creates (and caches) the operator
    const optimizer = new NativeAdamOptimizer(native as never, 0.1, 0.9, 0.999, 1e-7);
    optimizer.applyGradients({ 'adam-conv-test': tf.onesLike(kernel) });
    const copy = tf.mul(kernel, 1);
    expect(maxAbsDiff(conv(kernel), conv(copy))).toBe(0);
    optimizer.dispose();
    tf.dispose([x, kernel, copy]);
  });

  it('releases every tensor', async () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => tf.fused.matMul({ a: tf.ones([4, 3]), b: tf.ones([3, 2]), bias: tf.ones([2]), activation: 'relu' })).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

/**
 * The WebAssembly SIMD dense kernels, made here rather than taken from the backend: once a test of
 * this file has loaded the native kernels, the backend's dense kernels are the native ones for the
 * rest of the process.
 */
function simdKernels(): DenseKernels {
  return simdDenseKernels(loadSimdKernels() as SimdKernels);
}

describe("the dense engine's matrix products on Float32Arrays", () => {
  // Edges of nnlab's GEMM blocking (native: 6×16 tiles, K blocks of 256, M of 96, N of 1024; SIMD:
  // 4×8 tiles, K blocks of 256, M of 64, N of 1024) and degenerate sizes.
  const shapes = [
    { m: 1, n: 1, k: 1 },
    { m: 7, n: 17, k: 3 },
    { m: 64, n: 10, k: 100 },
    { m: 13, n: 1030, k: 5 },
    { m: 97, n: 33, k: 300 },
    { m: 6, n: 16, k: 257 },
    { m: 4, n: 8, k: 256 },
    { m: 65, n: 513, k: 259 },
  ];
  const cases = shapes.flatMap((s) =>
    [false, true].flatMap((ta) => [false, true].map((tb) => ({ ...s, ta, tb, acc: (s.m + Number(ta) + Number(tb)) % 2 === 0 }))),
  );
  const kernels = [
    ...(nativeBuilt
      ? [
          { name: "native, nnlab's GEMM", gemm: (native as NativeBlas).gemmOwn },
          { name: 'native, gemm', gemm: (native as NativeBlas).gemm },
        ]
      : []),
  ];
  it.each(cases)('$m×$n×$k tA=$ta tB=$tb accumulate=$acc', ({ m, n, k, ta, tb, acc }) => {
    const simd = simdKernels();
    const a = values([m, k], m + 3 * k);
    const b = values([k, n], n + 5 * k);
    const c0 = values([m, n], m * n);
    const expected = referenceGemm(a, b, c0, m, n, k, ta, tb, acc);
    // The SIMD kernels twice: on operands in their memory (as the engine allocates them) and on
    // ordinary arrays, which they copy in and out.
    const onHeap = (x: Float32Array) => {
      const y = simd.alloc(x.length);
      y.set(x);
      return y;
    };
    const simdOnHeap = {
      name: 'WebAssembly SIMD, operands on its heap',
      gemm: (...args: Parameters<typeof simd.gemm>) => {
        const [x, y, z, ...rest] = args;
        const out = onHeap(z);
        simd.gemm(onHeap(x), onHeap(y), out, ...rest);
        z.set(out);
      },
    };
    for (const { name, gemm } of [...kernels, { name: 'WebAssembly SIMD, copied operands', gemm: simd.gemm }, simdOnHeap]) {
      const c = c0.slice();
      gemm(a, b, c, m, n, k, ta, tb, acc);
      expect(maxAbsDiff(c, expected), name).toBeLessThan(1e-5 * Math.sqrt(k) + 1e-6);
    }
    simd.dispose();
  });

  // Both own GEMMs leave out the steps of k where a panel of A is all zero, unless B's block holds a
  // non-finite value (0·∞ is NaN). An infinity in one column of B in every K block turns the
  // skipping off: the other columns must come out the same bits, and that column NaN wherever A is 0.
  const sparseShapes = [
    { m: 64, n: 200, k: 784 },
    { m: 784, n: 100, k: 64 },
    { m: 97, n: 33, k: 300 },
  ];
  it.each(sparseShapes.flatMap((s) => [false, true].flatMap((ta) => [false, true].map((tb) => ({ ...s, ta, tb, acc: ta === tb })))))(
    'skipping the zero steps of A changes no bit: $m×$n×$k tA=$ta tB=$tb accumulate=$acc',
    ({ m, n, k, ta, tb, acc }) => {
      const simd = simdKernels();
      const own = [
        ...(nativeBuilt ? [{ name: "native, nnlab's GEMM", gemm: (native as NativeBlas).gemmOwn }] : []),
        { name: 'WebAssembly SIMD', gemm: simd.gemm },
      ];
      const a = mostlyZeros(m, k, m + k);
      const b = values([k, n], n);
      const c0 = values([m, n], m);
      const infinite = b.slice();
      const at = (p: number, j: number) => (tb ? j * k + p : p * n + j);
      const opA = (i: number, p: number) => a[ta ? p * m + i : i * k + p]!;
      const infinityRows = Array.from({ length: Math.ceil(k / 256) }, (_, block) => Math.min(k - 1, block * 256 + 5));
      for (const p of infinityRows) infinite[at(p, 0)] = Infinity;
      for (const { name, gemm } of own) {
        const [skipped, full] = [c0.slice(), c0.slice()];
        gemm(a, b, skipped, m, n, k, ta, tb, acc);
        gemm(a, infinite, full, m, n, k, ta, tb, acc);
        const otherColumns = (c: Float32Array) => c.filter((_, i) => i % n !== 0);
        expect(bitDifferences(otherColumns(skipped), otherColumns(full)), name).toEqual([]);
        for (let i = 0; i < m; i++) {
          if (infinityRows.some((p) => opA(i, p) === 0)) expect(full[i * n], `${name}, row ${i}`).toBeNaN();
        }
        expect(maxAbsDiff(skipped, referenceGemm(a, b, c0, m, n, k, ta, tb, acc)), name).toBeLessThan(1e-5 * Math.sqrt(k) + 1e-6);
      }
      simd.dispose();
    },
  );

  it.runIf(nativeBuilt && (native as NativeBlas).blas)(
    "with a BLAS, the native gemm leaves operands with many zeros to nnlab's GEMM, others to the BLAS",
    () => {
      const addon = native as NativeBlas;
      const [m, n, k] = [64, 200, 784];
      const product = (gemm: NativeBlas['gemm'], a: Float32Array) => {
        const c = new Float32Array(m * n);
        gemm(a, values([k, n], 2), c, m, n, k, false, false, false);
        return c;
      };
      const sparse = mostlyZeros(m, k, 3);
      expect(bitDifferences(product(addon.gemm, sparse), product(addon.gemmOwn, sparse))).toEqual([]);
      // Another summation order: a dense operand's product is the BLAS's, not nnlab's.
      const dense = values([m, k], 4);
      expect(bitDifferences(product(addon.gemm, dense), product(addon.gemmOwn, dense)).length).toBeGreaterThan(0);
    },
  );

  it.runIf(nativeBuilt && (native as NativeBlas).blas).each([
    { where: 'first', ta: false },
    { where: 'last', ta: false },
    { where: 'first', ta: true },
    { where: 'last', ta: true },
  ])('the choice falls at a third of the 6-row steps all zero: zeros in the $where panels, tA=$ta', ({ where, ta }) => {
    const addon = native as NativeBlas;
    // 11 panels of 6 rows (the last one of 4) × 784 steps: 8624 steps, of which a third is 2874.67.
    const [m, n, k] = [64, 200, 784];
    const panels = Math.ceil(m / 6);
    const steps = Array.from({ length: panels * k }, (_, s) => [Math.floor(s / k), s % k] as const);
    const withZeroSteps = (count: number) => {
      // The other steps have one value that is not zero, in a row that turns with the step: a count
      // that missed any of a panel's rows would take them for zero steps.
      const dense = values([m, k], 5);
      const a = new Float32Array(m * k);
      for (const [panel, p] of steps) {
        const rows = Math.min(6, m - panel * 6);
        const i = panel * 6 + (p % rows);
        a[i * k + p] = dense[i * k + p]! || 1;
      }
      for (const [panel, p] of where === 'first' ? steps.slice(0, count) : steps.slice(-count))
        for (let i = panel * 6; i < Math.min(m, panel * 6 + 6); i++) a[i * k + p] = 0;
      // Stored transposed (k×m) when tA: the same op(A), the other layout.
      return ta ? Float32Array.from({ length: m * k }, (_, j) => a[(j % m) * k + Math.floor(j / m)]!) : a;
    };
    const product = (gemm: NativeBlas['gemm'], a: Float32Array) => {
      const c = new Float32Array(m * n);
      gemm(a, values([k, n], 2), c, m, n, k, ta, false, false);
      return c;
    };
    const atThird = withZeroSteps(2875);
    expect(bitDifferences(product(addon.gemm, atThird), product(addon.gemmOwn, atThird))).toEqual([]);
    const belowThird = withZeroSteps(2874);
    expect(bitDifferences(product(addon.gemm, belowThird), product(addon.gemmOwn, belowThird)).length).toBeGreaterThan(0);
  });
});

/** Every row kernel on one seeded input, NaN and -Infinity included (relu and its gradient). */
function runRowKernels(kernels: RowKernels): Record<string, Float32Array | Float64Array> {
  const rows = 37;
  const width = 19;
  const x = values([rows, width], 1).map((v) => v * 3 + 0.5);
  const columns = (seed: number) => values([width], seed);
  const out: Record<string, Float32Array | Float64Array> = {};
  for (const [name, batch] of Object.entries(gatherCases(x, width))) {
    kernels.gatherRows(x, batch.width, batch.order, batch.start, batch.count, (out[name] = new Float32Array(batch.count * batch.width)));
  }
  const z = x.slice();
  kernels.addBias(z, columns(2), rows, width);
  out.addBias = z;
  kernels.sumRows(x, rows, width, (out.sumRows = new Float32Array(width)));
  const withNaN = x.slice();
  withNaN[3] = NaN;
  withNaN[4] = -Infinity;
  kernels.relu(withNaN, (out.relu = new Float32Array(rows * width)), rows * width);
  // As tfjs' Math.max(0, z): NaN stays NaN, −∞ gives 0.
  expect([Number.isNaN(out.relu[3]), out.relu[4]]).toEqual([true, 0]);
  // tfjs' relu gradient is a product: a NaN or infinite gradient where z ≤ 0 stays NaN.
  kernels.reluBackward(
    withNaN,
    x.map((v, i) => (i === 3 || i === 4 ? -1 : v)),
    (out.reluBackward = new Float32Array(rows * width)),
    rows * width,
  );
  const [mm, mv] = [columns(3), columns(4).map(Math.abs)];
  const [xhat, y, mean, inv] = [new Float32Array(rows * width), new Float32Array(rows * width), new Float64Array(width), new Float64Array(width)];
  kernels.batchNormTrain(x, rows, width, columns(5), columns(6), mm, mv, 0.01, 1e-3, xhat, y, mean, inv);
  Object.assign(out, { xhat, y, mean, inv, mm, mv });
  kernels.batchNormInfer(x, rows, width, columns(5), columns(6), mm, mv, 1e-3, (out.infer = new Float32Array(rows * width)), new Float64Array(width));
  const [dGamma, dBeta, dx] = [new Float64Array(width), new Float64Array(width), new Float32Array(rows * width)];
  kernels.batchNormBackward(values([rows, width], 7), xhat, columns(5), inv, rows, width, dGamma, dBeta, dx);
  Object.assign(out, { dGamma, dBeta, dx });
  return out;
}

/**
 * Batches gathered from `x` (seen as rows of 19, of 38 and of 1), shuffled and in order: each with
 * the rows it must hold, copied by hand.
 */
function gatherCases(
  x: Float32Array,
  width: number,
): Record<string, { width: number; order: Int32Array | null; start: number; count: number; expected: Float32Array }> {
  const batch = (w: number, order: number[] | null, start: number, count: number) => {
    const rows = Array.from({ length: count }, (_, i) => (order ? order[start + i]! : start + i));
    return {
      width: w,
      order: order && Int32Array.from(order),
      start,
      count,
      expected: Float32Array.from(rows.flatMap((r) => Array.from(x.subarray(r * w, (r + 1) * w)))),
    };
  };
  const rows = x.length / width;
  return {
    gatherShuffled: batch(width, [4, 0, 36, 4, 17, 2], 1, 4),
    gatherWide: batch(2 * width, [17, 0, 9], 0, 3),
    gatherScalars: batch(1, [rows * width - 1, 0, 5, 5], 0, 4),
    gatherInOrder: batch(width, null, 30, 7),
  };
}

describe('gathering a batch', () => {
  it('copies the rows of the order (or in order) exactly, whatever their width', () => {
    const x = values([37, 19], 1);
    for (const [name, batch] of Object.entries(gatherCases(x, 19))) {
      const got = new Float32Array(batch.count * batch.width);
      jsRowKernels.gatherRows(x, batch.width, batch.order, batch.start, batch.count, got);
      expect(Array.from(got), name).toEqual(Array.from(batch.expected));
    }
  });
});

describe("the SIMD row kernels compute the JavaScript reference's bits", () => {
  it('gathering, bias, column sums, relu and batch norm (training, inference, gradients)', () => {
    const simd = simdKernels();
    const js = runRowKernels(jsRowKernels);
    const wasm = runRowKernels(simd.rows);
    for (const [name, expected] of Object.entries(js)) expect(Array.from(wasm[name]!), name).toEqual(Array.from(expected));
    simd.dispose();
  });
});

describe.runIf(nativeBuilt)('the native row kernels compute what the JavaScript ones compute', () => {
  const addon = native as NativeBlas;
  it('gathering, bias, column sums, relu and batch norm (training, inference, gradients)', () => {
    const js = runRowKernels(jsRowKernels);
    const c = runRowKernels(addon);
    for (const name of Object.keys(js).filter((n) => n.startsWith('gather'))) expect(Array.from(c[name]!), name).toEqual(Array.from(js[name]!));
    expect(Array.from(c.relu!.subarray(0, 5))).toEqual(Array.from(js.relu!.subarray(0, 5)));
    expect(Number.isNaN(c.reluBackward![3]) && Number.isNaN(c.reluBackward![4])).toBe(true);
    for (const [name, expected] of Object.entries(js)) {
      const scale = Math.max(1, ...Array.from(expected).filter(Number.isFinite).map(Math.abs));
      expected.forEach((v, i) => {
        if (Number.isNaN(v)) expect(Number.isNaN(c[name]![i]!), `${name}[${i}]`).toBe(true);
        else expect(Math.abs(c[name]![i]! - v) / scale, `${name}[${i}]`).toBeLessThan(1e-6);
      });
    }
  });

  it("update with Adam as tfjs' own Adam does, before and after 1 − β1^t rounds to 1 (to rounding: C may fuse a multiply-add)", async () => {
    const weights = denseAdamWeights(nativeDenseKernels(addon, false));
    await selectBackend('cpu');
    const expected = tfjsAdamWeights();
    // Weights of about ±1; C rounds −lr·m̂ before dividing, tfjs m̂/(√v̂ + ε) before multiplying.
    expect(maxAbsDiff(weights, expected)).toBeLessThan(1e-5);
  });

  it('refuses arrays shorter than the shape instead of reading past them', () => {
    expect(() => addon.addBias(new Float32Array(10), new Float32Array(3), 4, 3)).toThrow(/addBias: bad arguments/);
    expect(() =>
      addon.batchNormBackward(
        new Float32Array(6),
        new Float32Array(6),
        new Float32Array(3),
        new Float64Array(2),
        2,
        3,
        new Float64Array(3),
        new Float64Array(3),
        null,
      ),
    ).toThrow(/batchNormBackward/);
    const data = new Float32Array(12);
    expect(() => addon.gatherRows(data, 3, Int32Array.from([0, 4]), 0, 2, new Float32Array(6))).toThrow(/gatherRows: a row index is out of range/);
    expect(() => addon.gatherRows(data, 3, Int32Array.from([-1]), 0, 1, new Float32Array(3))).toThrow(/gatherRows: a row index is out of range/);
    expect(() => addon.gatherRows(data, 3, Int32Array.from([0, 1]), 1, 2, new Float32Array(6))).toThrow(/gatherRows: bad arguments/);
    expect(() => addon.gatherRows(data, 3, null, 3, 2, new Float32Array(6))).toThrow(/gatherRows: bad arguments/);
    expect(() => addon.gatherRows(data, 3, null, 0, 2, new Float32Array(5))).toThrow(/gatherRows: bad arguments/);
    // The products and Adam: a wrong type or count is refused, as is a shape past the arrays or the heap.
    const f = (n: number) => new Float32Array(n);
    expect(() => addon.gemm(f(4), f(4), f(4), 2, 2, 2, false, false, 0 as unknown as boolean)).toThrow(/gemm: bad arguments/);
    expect(() => addon.gemm(f(4), f(4), f(3), 2, 2, 2, false, false, false)).toThrow(/gemm: operands smaller than their shapes/);
    expect(() => addon.adamArrays(f(3), f(3), f(3), new Float64Array(3), 0.1, 0.9, 0.999, 1e-7, 0.9, 0.999)).toThrow(/adamArrays: bad arguments/);
    const heap = new ArrayBuffer(64);
    expect(() => (addon.sgemm as (...args: unknown[]) => void)(heap, 0, 16, 32, 1, 0, 0, 2, 2, 2, false, false, -1, 0)).toThrow(/sgemm: bad arguments/); // relu left out
    expect(() => addon.sgemm(heap, 0, 16, 52, 1, 0, 0, 2, 2, 2, false, false, -1, 0, false)).toThrow(/sgemm: operand outside the heap/);
    expect(() => addon.adam(f(16) as unknown as ArrayBuffer, 0, 16, 32, 48, 4, 0.1, 0.9, 0.999, 1e-7, 0.9, 0.999)).toThrow(/adam: bad arguments/);
    expect(() => addon.adam(heap, 0, 16, 32, 48, 5, 0.1, 0.9, 0.999, 1e-7, 0.9, 0.999)).toThrow(/adam: operand outside the heap/);
  });
});

/** Relative differences: float rounding differs between kernels, so epochs agree to a tolerance. */
function expectSameTraining(reference: TrainedHistory, other: TrainedHistory): void {
  reference.history.forEach((row, i) => {
    const next = other.history[i]!;
    expect(Math.abs(next.loss! - row.loss!) / row.loss!, `${other.engine} on ${other.kernels}, epoch ${i + 1} loss`).toBeLessThan(1e-5);
    expect(Math.abs(next.val_loss! - row.val_loss!) / row.val_loss!, `${other.engine} on ${other.kernels}, epoch ${i + 1} val_loss`).toBeLessThan(1e-4);
  });
}

describe('a short training gives the same losses on every engine and kernel path', () => {
  const nativePaths: Kernels[] = nativeBuilt ? ['layers-native', 'native', 'own'] : [];
  for (const flags of [[], ['bn', 'dropout']]) {
    it(`seed MLP${flags.length ? ` with ${flags.join(' and ')}` : ''}: tfjs-layers on stock wasm = nnlab's paths (${['layers-pure', 'pure', ...nativePaths].join(', ')})`, async () => {
      const stock = await trainHistory('stock', flags);
      expect(stock.kernels).toBe('wasm stock');
      expect(stock.engine).toBe('tfjs-layers');
      for (const kernels of ['layers-pure', 'pure', ...nativePaths] as Kernels[]) {
        const other = await trainHistory(kernels, flags);
        expect(other.engine.startsWith('nnlab dense engine')).toBe(!kernels.startsWith('layers'));
        expectSameTraining(stock, other);
      }
    });
  }

  it(`a CNN with batch norm, dropout and L2: tfjs-layers on nnlab's kernels = the engine (${['pure', ...nativePaths.filter((p) => p !== 'layers-native')].join(', ')})`, async () => {
    // Stock tfjs wasm has no gradient for conv filters: the reference is tfjs-layers on nnlab's kernels.
    const reference = await trainHistory('layers-pure', ['cnn', 'bn', 'dropout']);
    expect(reference.engine).toBe('tfjs-layers');
    for (const kernels of ['pure', ...nativePaths.filter((p) => p !== 'layers-native')] as Kernels[]) {
      const other = await trainHistory(kernels, ['cnn', 'bn', 'dropout']);
      expect(other.engine.startsWith('nnlab dense engine')).toBe(true);
      expectSameTraining(reference, other);
    }
  });

  it.each(['sgd', 'momentum', 'rmsprop', 'adagrad'])("%s: the dense engine follows tfjs' optimizer formulas", async (optimizer) => {
    const flags = optimizer === 'sgd' ? ['bn', optimizer] : [optimizer];
    expectSameTraining(await trainHistory('stock', flags), await trainHistory(nativeBuilt ? 'native' : 'pure', flags));
  });
});
