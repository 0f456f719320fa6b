// AssemblyScript, compiled to WebAssembly with 128-bit SIMD by `npm run build` (asconfig.json):
// the dense engine's matrix product and Adam update where no native kernels were built.
//
// The operands live in the module's (shared) memory, handed out by simd-heap.ts, so nothing is
// copied per call. Only IEEE-exact SIMD operations are used (no fused or relaxed ones), and the
// summation order depends only on the shapes: the results are the same bits on every machine.

// The register tile (MR rows × NR columns of C, eight 4-lane accumulators) and the cache blocks:
// a KC×NR panel of B and a MC×KC block of A stay in the L1 and L2 caches while they are used.
const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 512;

// The packing buffers sit right after the module's static data; the heap for operands after them.
const edgeTile: usize = memory.data(MR * NR * 4, 16);
const packedA: usize = (__heap_base + 63) & ~63;
const packedB: usize = packedA + <usize>(MC * KC * 4);

/** Where the heap for operands may start: the first byte the kernels do not use themselves. */
export function heapStart(): usize {
  return packedB + <usize>(KC * (NC + NR) * 4);
}

/**
 * C[m×n] = op(A)·op(B) (+ C when `accumulate`), row-major; op(A) is m×k (A is k×m when `transA`),
 * op(B) is k×n (B is n×k when `transB`). A blocked product on packed panels, as BLAS does it.
 */
export function gemm(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool, accumulate: bool): void {
  if (k == 0) {
    if (!accumulate) memory.fill(c, 0, (<usize>m * n) << 2);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const panels = (nc + NR - 1) / NR;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      // The first block of k writes C (or adds to it when accumulating), the next ones add to it.
      const acc = accumulate || pc > 0;
      packB(b, n, k, transB, jc, nc, pc, kc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        const rowPanels = (mc + MR - 1) / MR;
        packA(a, m, k, transA, ic, mc, pc, kc);
        for (let jp = 0; jp < panels; jp++) {
          const j0 = jc + jp * NR;
          const bp = packedB + ((<usize>jp * kc * NR) << 2);
          for (let ip = 0; ip < rowPanels; ip++) {
            const i0 = ic + ip * MR;
            tile(kc, packedA + ((<usize>ip * kc * MR) << 2), bp, c + ((<usize>i0 * n + j0) << 2), n, min(MR, ic + mc - i0), min(NR, n - j0), acc);
          }
        }
      }
    }
  }
}

/** op(B)[pc.., jc..] as panels of NR columns, each kc rows of NR values; the ragged edge zero-padded. */
function packB(b: usize, n: i32, k: i32, trans: bool, jc: i32, nc: i32, pc: i32, kc: i32): void {
  const panels = (nc + NR - 1) / NR;
  for (let jp = 0; jp < panels; jp++) {
    const j0 = jc + jp * NR;
    const nr = min(NR, n - j0);
    let d = packedB + ((<usize>jp * kc * NR) << 2);
    for (let p = pc; p < pc + kc; p++, d += <usize>(NR << 2)) {
      if (!trans && nr == NR) {
        const s = b + ((<usize>p * n + j0) << 2);
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        continue;
      }
      for (let j = 0; j < NR; j++) {
        let v: f32 = 0;
        if (j < nr) v = trans ? load<f32>(b + ((<usize>(j0 + j) * k + p) << 2)) : load<f32>(b + ((<usize>p * n + j0 + j) << 2));
        store<f32>(d + (<usize>j << 2), v);
      }
    }
  }
}

/** op(A)[ic.., pc..] as panels of MR rows, each kc columns of MR values; the ragged edge zero-padded. */
function packA(a: usize, m: i32, k: i32, trans: bool, ic: i32, mc: i32, pc: i32, kc: i32): void {
  const panels = (mc + MR - 1) / MR;
  for (let ip = 0; ip < panels; ip++) {
    const i0 = ic + ip * MR;
    const mr = min(MR, ic + mc - i0);
    let d = packedA + ((<usize>ip * kc * MR) << 2);
    for (let p = pc; p < pc + kc; p++, d += <usize>(MR << 2)) {
      if (trans && mr == MR) {
        v128.store(d, v128.load(a + ((<usize>p * m + i0) << 2)));
        continue;
      }
      for (let i = 0; i < MR; i++) {
        let v: f32 = 0;
        if (i < mr) v = trans ? load<f32>(a + ((<usize>p * m + i0 + i) << 2)) : load<f32>(a + ((<usize>(i0 + i) * k + p) << 2));
        store<f32>(d + (<usize>i << 2), v);
      }
    }
  }
}

/** The mr×nr tile of C at `c` (rows `ldc` apart) from kc steps of a packed A panel and B panel. */
// @ts-ignore: AssemblyScript decorator
@inline
function tile(kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++, ap += <usize>(MR << 2), bp += <usize>(NR << 2)) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
  }
  if (mr == MR && nr == NR) {
    const row = <usize>ldc << 2;
    storeRow(c, c00, c01, acc);
    storeRow(c + row, c10, c11, acc);
    storeRow(c + 2 * row, c20, c21, acc);
    storeRow(c + 3 * row, c30, c31, acc);
    return;
  }
  v128.store(edgeTile, c00);
  v128.store(edgeTile, c01, 16);
  v128.store(edgeTile, c10, 32);
  v128.store(edgeTile, c11, 48);
  v128.store(edgeTile, c20, 64);
  v128.store(edgeTile, c21, 80);
  v128.store(edgeTile, c30, 96);
  v128.store(edgeTile, c31, 112);
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) {
      const at = c + ((<usize>i * ldc + j) << 2);
      const t = load<f32>(edgeTile + (<usize>(i * NR + j) << 2));
      store<f32>(at, acc ? load<f32>(at) + t : t);
    }
  }
}

// @ts-ignore: AssemblyScript decorator
@inline
function storeRow(at: usize, lo: v128, hi: v128, acc: bool): void {
  v128.store(at, acc ? f32x4.add(v128.load(at), lo) : lo);
  v128.store(at, acc ? f32x4.add(v128.load(at, 16), hi) : hi, 16);
}

/**
 * Adam's update of `count` weights, in float32 and in the order of tfjs' own Adam (one rounding per
 * operation, as its tensor ops do): m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g·g,
 * w = (m/c1) / (√(v/c2) + ε) · (−lr) + w, where c = 1 − β^t. The caller passes 1−β as tfjs
 * computes it (in double precision, then rounded), not 1 − f32(β).
 */
export function adam(w: usize, g: usize, m: usize, v: usize, count: i32, lr: f32, beta1: f32, beta2: f32, oneMinusBeta1: f32, oneMinusBeta2: f32, epsilon: f32, c1: f32, c2: f32): void {
  const vb1 = f32x4.splat(beta1), vb2 = f32x4.splat(beta2), vo1 = f32x4.splat(oneMinusBeta1), vo2 = f32x4.splat(oneMinusBeta2);
  const vlr = f32x4.splat(-lr), veps = f32x4.splat(epsilon), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
  const end = (<usize>count) << 2;
  const vectorEnd = end & ~15;
  let i: usize = 0;
  for (; i < vectorEnd; i += 16) {
    const gi = v128.load(g + i);
    const mi = f32x4.add(f32x4.mul(v128.load(m + i), vb1), f32x4.mul(gi, vo1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + i), vb2), f32x4.mul(f32x4.mul(gi, gi), vo2));
    v128.store(m + i, mi);
    v128.store(v + i, vi);
    const step = f32x4.mul(f32x4.div(f32x4.div(mi, vc1), f32x4.add(f32x4.sqrt(f32x4.div(vi, vc2)), veps)), vlr);
    v128.store(w + i, f32x4.add(step, v128.load(w + i)));
  }
  for (; i < end; i += 4) {
    const gi = load<f32>(g + i);
    const mi = load<f32>(m + i) * beta1 + gi * oneMinusBeta1;
    const vi = load<f32>(v + i) * beta2 + gi * gi * oneMinusBeta2;
    store<f32>(m + i, mi);
    store<f32>(v + i, vi);
    store<f32>(w + i, ((mi / c1) / (sqrt<f32>(vi / c2) + epsilon)) * -lr + load<f32>(w + i));
  }
}
