// AssemblyScript, compiled to WebAssembly with 128-bit SIMD by `npm run build` (asconfig.json beside it,
// one module with row-simd.ts and map-simd.ts): the engine's matrix product where no native kernels
// were built.
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
const NC: i32 = 1024;

// The packing buffers sit right after the module's static data; the heap for operands after them.
// Each A panel is packed twice: whole, and without the steps of k where its MR values are all zero
// (see packA); the latter lists, for each step it keeps, the byte offset of its row in the B panel.
const edgeTile: usize = memory.data(MR * NR * 4, 16);
const panelSteps: usize = memory.data((MC / MR) * 4, 16);
const packedA: usize = (__heap_base + 63) & ~63;
const sparseA: usize = packedA + <usize>(MC * KC * 4);
const stepOffsets: usize = sparseA + <usize>(MC * KC * 4);
const packedB: usize = stepOffsets + <usize>(MC * KC);

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
      // With few columns of B an A panel is used once or twice: finding its zero steps costs more
      // than multiplying them.
      const bFinite = packB(b, n, k, transB, jc, nc, pc, kc) && nc >= 4 * NR;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        const rowPanels = (mc + MR - 1) / MR;
        packA(a, m, k, transA, ic, mc, pc, kc, bFinite);
        for (let jp = 0; jp < panels; jp++) {
          const j0 = jc + jp * NR;
          const bp = packedB + ((<usize>jp * kc * NR) << 2);
          for (let ip = 0; ip < rowPanels; ip++) {
            const i0 = ic + ip * MR;
            const panel = (<usize>ip * kc * MR) << 2;
            const at = c + ((<usize>i0 * n + j0) << 2);
            const steps = load<i32>(panelSteps + (<usize>ip << 2));
            const offsets = stepOffsets + ((<usize>ip * kc) << 2);
            if (steps == kc) tile(kc, packedA + panel, offsets, bp, at, n, min(MR, ic + mc - i0), min(NR, n - j0), acc, false);
            else tile(steps, sparseA + panel, offsets, bp, at, n, min(MR, ic + mc - i0), min(NR, n - j0), acc, true);
          }
        }
      }
    }
  }
}

/**
 * op(B)[pc.., jc..] as panels of NR columns, each kc rows of NR values; the ragged edge zero-padded.
 * Returns whether every value is finite: only then is a zero in A sure to contribute nothing (0·∞ is NaN).
 */
function packB(b: usize, n: i32, k: i32, trans: bool, jc: i32, nc: i32, pc: i32, kc: i32): bool {
  const panels = (nc + NR - 1) / NR;
  // b − b is 0 for a finite b and NaN otherwise; the sum of them stays 0 only if all are finite.
  let check = f32x4.splat(0);
  let jp = 0;
  // Two full panels at a time from an untransposed B: each row's 16 floats are a whole cache line,
  // used at once. One panel at a time would fetch each line twice, and rows 4 KB apart (B 1024
  // wide) all compete for the same cache sets, so the second fetch misses.
  if (!trans)
    for (; jp + 1 < panels && jc + (jp + 2) * NR <= n; jp += 2) {
      let s = b + ((<usize>pc * n + jc + jp * NR) << 2);
      let d = packedB + ((<usize>jp * kc * NR) << 2);
      const next = <usize>(kc * NR) << 2;
      for (let p = 0; p < kc; p++, s += <usize>n << 2, d += <usize>(NR << 2)) {
        const v0 = v128.load(s), v1 = v128.load(s, 16), v2 = v128.load(s, 32), v3 = v128.load(s, 48);
        v128.store(d, v0);
        v128.store(d, v1, 16);
        v128.store(d + next, v2);
        v128.store(d + next, v3, 16);
        check = f32x4.add(check, f32x4.add(f32x4.add(f32x4.sub(v0, v0), f32x4.sub(v1, v1)), f32x4.add(f32x4.sub(v2, v2), f32x4.sub(v3, v3))));
      }
    }
  for (; jp < panels; jp++) {
    const j0 = jc + jp * NR;
    const nr = min(NR, n - j0);
    let d = packedB + ((<usize>jp * kc * NR) << 2);
    for (let p = pc; p < pc + kc; p++, d += <usize>(NR << 2)) {
      if (!trans && nr == NR) {
        const s = b + ((<usize>p * n + j0) << 2);
        const lo = v128.load(s), hi = v128.load(s, 16);
        v128.store(d, lo);
        v128.store(d, hi, 16);
        check = f32x4.add(check, f32x4.add(f32x4.sub(lo, lo), f32x4.sub(hi, hi)));
        continue;
      }
      for (let j = 0; j < NR; j++) {
        let v: f32 = 0;
        if (j < nr) v = trans ? load<f32>(b + ((<usize>(j0 + j) * k + p) << 2)) : load<f32>(b + ((<usize>p * n + j0 + j) << 2));
        store<f32>(d + (<usize>j << 2), v);
        check = f32x4.add(check, f32x4.splat(v - v));
      }
    }
  }
  return !v128.any_true(f32x4.ne(check, f32x4.splat(0)));
}

/**
 * op(A)[ic.., pc..] as panels of MR rows, each kc columns of MR values; the ragged edge zero-padded.
 * Where B is finite, a panel whose MR values are all zero at a good share of the steps (MNIST's
 * blank margins, ReLU's zeros) is multiplied from its sparse copy, which keeps only
 * its other steps. Leaving a zero product out of a sum changes nothing: x + ±0 is x, and a sum
 * that starts at +0 never becomes −0, so the result is the same bits as the full product.
 */
function packA(a: usize, m: i32, k: i32, trans: bool, ic: i32, mc: i32, pc: i32, kc: i32, skipZeros: bool): void {
  const panels = (mc + MR - 1) / MR;
  for (let ip = 0; ip < panels; ip++) {
    const i0 = ic + ip * MR;
    const mr = min(MR, ic + mc - i0);
    const panel = (<usize>ip * kc * MR) << 2;
    const full = packedA + panel, sparse = sparseA + panel, offsets = stepOffsets + ((<usize>ip * kc) << 2);
    let kept = 0;
    let p = pc;
    if (!trans && mr == MR) {
      // Four rows of A, four steps at a time: a 4×4 transpose gives the four steps' columns.
      const row = (<usize>k) << 2;
      for (; p + 4 <= pc + kc; p += 4) {
        const at = a + ((<usize>i0 * k + p) << 2);
        const r0 = v128.load(at), r1 = v128.load(at + row), r2 = v128.load(at + 2 * row), r3 = v128.load(at + 3 * row);
        const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
        const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
        const step = p - pc;
        kept = packStep(v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), step, full, sparse, offsets, kept, skipZeros);
        kept = packStep(v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), step + 1, full, sparse, offsets, kept, skipZeros);
        kept = packStep(v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), step + 2, full, sparse, offsets, kept, skipZeros);
        kept = packStep(v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), step + 3, full, sparse, offsets, kept, skipZeros);
      }
    }
    for (; p < pc + kc; p++) kept = packStep(columnOfA(a, m, k, trans, i0, mr, p), p - pc, full, sparse, offsets, kept, skipZeros);
    // An indexed step costs more than a plain one: the sparse copy is used only where many are zero.
    store<i32>(panelSteps + (<usize>ip << 2), kept > kc - kc / SPARSE_SHARE ? kc : kept);
  }
}

/** Use a panel's sparse copy when at least 1/SPARSE_SHARE of its steps are all zero. */
const SPARSE_SHARE: i32 = 8;

/**
 * Stores step `step` of a panel (its MR values `v`) in the whole copy, and in the sparse one unless
 * it is all zero; returns the sparse copy's new length. Without branches: which steps are zero is
 * data, and a mispredicted branch per step would cost more than the stores.
 */
// @ts-ignore: AssemblyScript decorator
@inline
function packStep(v: v128, step: i32, full: usize, sparse: usize, offsets: usize, kept: i32, skipZeros: bool): i32 {
  v128.store(full + ((<usize>step * MR) << 2), v);
  if (!skipZeros) return kept + 1;
  v128.store(sparse + ((<usize>kept * MR) << 2), v);
  store<i32>(offsets + (<usize>kept << 2), step * NR * 4);
  return kept + <i32>v128.any_true(f32x4.ne(v, f32x4.splat(0)));
}

/** The MR values of op(A) at rows i0.. (mr of them, zero-padded) and column p. */
// @ts-ignore: AssemblyScript decorator
@inline
function columnOfA(a: usize, m: i32, k: i32, trans: bool, i0: i32, mr: i32, p: i32): v128 {
  if (trans && mr == MR) return v128.load(a + ((<usize>p * m + i0) << 2));
  for (let i = 0; i < MR; i++) {
    const x: f32 = i >= mr ? 0 : trans ? load<f32>(a + ((<usize>p * m + i0 + i) << 2)) : load<f32>(a + ((<usize>(i0 + i) * k + p) << 2));
    store<f32>(edgeTile + (<usize>i << 2), x);
  }
  return v128.load(edgeTile);
}

/**
 * The mr×nr tile of C at `c` (rows `ldc` apart) from `steps` steps of a packed A panel and a B panel:
 * step s uses B's row s, or (`sparse`, a sparse panel) the row whose byte offset is at offsets[s].
 * Always inlined with a constant `sparse`, so each loop keeps only its own addressing.
 */
// @ts-ignore: AssemblyScript decorator
@inline
function tile(steps: i32, ap: usize, offsets: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32, acc: bool, sparse: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let s = 0; s < steps; s++, ap += <usize>(MR << 2)) {
    const bk = bp + (sparse ? <usize>load<i32>(offsets + ((<usize>s) << 2)) : (<usize>s * NR) << 2);
    const b0 = v128.load(bk);
    const b1 = v128.load(bk, 16);
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
  storeTile(c, ldc, mr, nr, acc, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** Writes (or adds, when `acc`) the mr×nr corner of a tile's accumulators to C. */
// @ts-ignore: AssemblyScript decorator
@inline
function storeTile(c: usize, ldc: i32, mr: i32, nr: i32, acc: bool, c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128): void {
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
