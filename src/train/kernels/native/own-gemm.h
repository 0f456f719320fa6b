/*
 * nnlab's own single-precision matrix product, for machines with a C compiler but no BLAS.
 * A blocked GEMM in the usual layout (packed panels of A and B, a 6×16 register tile), written with
 * GCC/Clang vector extensions so the compiler emits wide FMA instructions (on x86-64 an AVX2 clone
 * is picked at load time where the CPU has it). Deterministic: the summation order depends only on
 * the shapes.
 *
 *   C[m×n] = op(A)·op(B) (+ C when accumulate), row-major; op(A) is m×k, op(B) is k×n.
 *   lda, ldb, ldc: the row lengths of A, B and C as stored (A is k×m when trans_a).
 */
#ifndef NNLAB_OWN_GEMM_H
#define NNLAB_OWN_GEMM_H
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NNLAB_MR 6
#define NNLAB_NR 16
#define NNLAB_KC 256
#define NNLAB_MC 96
#define NNLAB_NC 1024

typedef float nnlab_v8 __attribute__((vector_size(32)));

static inline nnlab_v8 nnlab_load8(const float *p) {
  nnlab_v8 v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline void nnlab_store8(float *p, nnlab_v8 v) { memcpy(p, &v, sizeof v); }

/* Writes (or adds, when acc) the mr×nr corner of a tile's accumulators to C at (c, ldc). */
static inline __attribute__((always_inline)) void nnlab_store_tile(nnlab_v8 r[NNLAB_MR][2], float *c, int ldc, int mr, int nr, bool acc) {
  if (mr == NNLAB_MR && nr == NNLAB_NR) {
    for (int i = 0; i < NNLAB_MR; i++) {
      float *row = c + (size_t)i * ldc;
      nnlab_store8(row, acc ? nnlab_load8(row) + r[i][0] : r[i][0]);
      nnlab_store8(row + 8, acc ? nnlab_load8(row + 8) + r[i][1] : r[i][1]);
    }
    return;
  }
  float tile[NNLAB_MR][NNLAB_NR];
  for (int i = 0; i < NNLAB_MR; i++) {
    nnlab_store8(tile[i], r[i][0]);
    nnlab_store8(tile[i] + 8, r[i][1]);
  }
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < nr; j++) c[(size_t)i * ldc + j] = acc ? c[(size_t)i * ldc + j] + tile[i][j] : tile[i][j];
}

/* The 6×16 tile of C at (c, ldc) from `steps` steps of packed A (6 a step) and B (16 a step, `bs`
   apart): step s uses B's row s, or with `step` (a sparse A panel) B's row step[s]. Always inlined
   with a constant NULL or array, so each loop keeps only its own addressing. */
static inline __attribute__((always_inline)) void nnlab_kernel(int steps, const int *step, const float *ap, const float *bp, size_t bs, float *c, int ldc, int mr, int nr, bool acc) {
  nnlab_v8 r[NNLAB_MR][2];
  for (int i = 0; i < NNLAB_MR; i++) r[i][0] = r[i][1] = (nnlab_v8){0};
  for (int s = 0; s < steps; s++) {
    const float *b = bp + bs * (size_t)(step ? step[s] : s);
    const nnlab_v8 b0 = nnlab_load8(b), b1 = nnlab_load8(b + 8);
    const float *a = ap + NNLAB_MR * s;
    for (int i = 0; i < NNLAB_MR; i++) {
      r[i][0] += b0 * a[i];
      r[i][1] += b1 * a[i];
    }
  }
  nnlab_store_tile(r, c, ldc, mr, nr, acc);
}

/* Rows i0.. of op(A) (mr of them, zero-padded to 6) at steps pc..pc+kc, 6 floats a step. Full
   panels get loops without a test per value: a transposed A has each step's 6 values contiguous,
   an untransposed one is read as 6 row streams. */
static inline __attribute__((always_inline)) void nnlab_pack_a(float *panel, const float *a, int lda, bool trans_a, int i0, int mr, int pc, int kc) {
  if (mr == NNLAB_MR && trans_a) {
    for (int p = 0; p < kc; p++) memcpy(panel + NNLAB_MR * p, a + (size_t)(pc + p) * lda + i0, NNLAB_MR * sizeof(float));
  } else if (mr == NNLAB_MR) {
    const float *r0 = a + (size_t)i0 * lda + pc, *r1 = r0 + lda, *r2 = r1 + lda, *r3 = r2 + lda, *r4 = r3 + lda, *r5 = r4 + lda;
    for (int p = 0; p < kc; p++) {
      float *d = panel + NNLAB_MR * p;
      d[0] = r0[p], d[1] = r1[p], d[2] = r2[p], d[3] = r3[p], d[4] = r4[p], d[5] = r5[p];
    }
  } else {
    for (int p = 0; p < kc; p++)
      for (int i = 0; i < NNLAB_MR; i++)
        panel[NNLAB_MR * p + i] = i >= mr ? 0.0f : trans_a ? a[(size_t)(pc + p) * lda + i0 + i] : a[(size_t)(i0 + i) * lda + pc + p];
  }
}

/* Copies the steps of a packed panel whose 6 values are not all zero to `sparse`, and their
   indices to `step`. Returns how many it kept, or kc where too few steps are zero for the sparse
   copy to pay. Branch-free (which steps are zero is data): each step is copied, and counted when
   any of its floats, read as three 64-bit words, has a bit set besides the sign. */
static inline __attribute__((always_inline)) int nnlab_sparse_copy(const float *panel, float *sparse, int *step, int kc) {
  int kept = 0;
  for (int p = 0; p < kc; p++) {
    uint64_t w[3];
    memcpy(w, panel + NNLAB_MR * p, sizeof w);
    memcpy(sparse + NNLAB_MR * kept, w, sizeof w);
    step[kept] = p;
    kept += ((w[0] | w[1] | w[2]) & 0x7fffffff7fffffffull) != 0;
  }
  return kept > kc - kc / 8 ? kc : kept;
}

/* Whether op(B)[pc..pc+kc, jc..jc+nc] is all finite: only then does a zero in A contribute nothing
   (0·∞ is NaN). Bit tests, not arithmetic, so no compiler flag can fold them away. */
typedef unsigned int nnlab_bits __attribute__((may_alias));
static inline bool nnlab_finite_block(const float *b, int ldb, bool trans_b, int pc, int kc, int jc, int nc) {
  unsigned int special = 0;
  const int rows = trans_b ? nc : kc, cols = trans_b ? kc : nc;
  const float *start = trans_b ? b + (size_t)jc * ldb + pc : b + (size_t)pc * ldb + jc;
  for (int r = 0; r < rows; r++) {
    const nnlab_bits *row = (const nnlab_bits *)(start + (size_t)r * ldb);
    for (int j = 0; j < cols; j++) special |= (row[j] & 0x7f800000u) == 0x7f800000u;
  }
  return !special;
}

/* Whether nnlab's GEMM looks for A's zero steps in a block of `nc` columns of B: with fewer, an A
   panel is used once or twice and finding its zero steps costs more than multiplying them. */
static inline bool nnlab_looks_for_zeros(int nc) { return nc >= 4 * NNLAB_NR; }

/* x86-64: one build runs everywhere; AVX2+FMA machines get the clone compiled for them (ifunc). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__APPLE__)
#define NNLAB_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define NNLAB_CLONES
#endif

/* How many of the k steps of the 6-row panel at row i0 of op(A) are all zero (a float is ±0 exactly
   when its bits shifted left by one are 0). An untransposed full panel is 6 row streams OR-ed step
   by step (a loop the compiler vectorises); other panels are read value by value. */
static inline size_t nnlab_zero_steps(int m, int k, const float *a, int lda, bool trans_a, int i0) {
  const int rows = m - i0 < NNLAB_MR ? m - i0 : NNLAB_MR;
  size_t zero = 0;
  if (!trans_a && rows == NNLAB_MR) {
    const nnlab_bits *r0 = (const nnlab_bits *)(a + (size_t)i0 * lda), *r1 = r0 + lda, *r2 = r1 + lda, *r3 = r2 + lda, *r4 = r3 + lda, *r5 = r4 + lda;
    for (int p = 0; p < k; p++) zero += ((r0[p] | r1[p] | r2[p] | r3[p] | r4[p] | r5[p]) << 1) == 0;
    return zero;
  }
  for (int p = 0; p < k; p++) {
    unsigned int any = 0;
    for (int i = 0; i < rows; i++) any |= *(const nnlab_bits *)(trans_a ? a + (size_t)p * lda + i0 + i : a + (size_t)(i0 + i) * lda + p);
    zero += (any << 1) == 0;
  }
  return zero;
}

/* Whether nnlab's GEMM leaves out enough of op(A)'s steps to beat a BLAS on this product: B wide
   enough for it to look for them (see nnlab_own_gemm), and a third or more of the steps of A's
   6-row panels all zero (without skipping it is slower than OpenBLAS on most of the seed MLP's
   products, and on small ones). Panels are counted until the answer is sure, so a sparse A is
   rarely read whole before its product. */
NNLAB_CLONES
static bool nnlab_skips_zeros(int m, int n, int k, const float *a, int lda, bool trans_a) {
  if (!nnlab_looks_for_zeros(n < NNLAB_NC ? n : NNLAB_NC)) return false;
  const size_t total = (size_t)((m + NNLAB_MR - 1) / NNLAB_MR) * k;
  size_t zero = 0, seen = 0;
  for (int i0 = 0; i0 < m; i0 += NNLAB_MR) {
    zero += nnlab_zero_steps(m, k, a, lda, trans_a, i0);
    seen += k;
    if (3 * zero >= total) return true;
    if (3 * (zero + total - seen) < total) return false;
  }
  return false;
}

NNLAB_CLONES
void nnlab_own_gemm(int m, int n, int k, const float *a, int lda, bool trans_a, const float *b, int ldb, bool trans_b, float *c, int ldc, bool accumulate) {
  /* Packing buffers live for the process (a worker trains one run at a time, on one thread):
     allocating a megabyte per call would cost page faults on every small product. Each A panel is
     packed whole and sparse: without the steps of k where its 6 values are all zero (MNIST's blank
     margins, ReLU's zeros), with the B row of each step it keeps. Leaving a zero
     product out changes nothing (x + ±0 is x, and a sum from +0 never becomes −0, with or without
     FMA), so the sparse copy gives the same bits; it is used where many steps are zero. */
  static float *ap = NULL, *sp = NULL, *bp = NULL;
  static int *kept_steps = NULL;
  int steps[NNLAB_MC / NNLAB_MR];
  if (!ap) ap = aligned_alloc(64, sizeof(float) * NNLAB_MC * NNLAB_KC);
  if (!sp) sp = aligned_alloc(64, sizeof(float) * NNLAB_MC * NNLAB_KC);
  if (!kept_steps) kept_steps = malloc(sizeof(int) * (NNLAB_MC / NNLAB_MR) * NNLAB_KC);
  if (!bp) bp = aligned_alloc(64, sizeof(float) * NNLAB_KC * (NNLAB_NC + NNLAB_NR));
  /* With few rows of A, packing B costs as much as using it: full 16-column panels of an untransposed
     B are read in place (each row's 16 floats are contiguous), only the ragged edge is packed. */
  const bool direct_b = !trans_b && m <= 4 * NNLAB_MC;
  if (k == 0 && !accumulate)
    for (int i = 0; i < m; i++) memset(c + (size_t)i * ldc, 0, sizeof(float) * n);
  for (int jc = 0; jc < n; jc += NNLAB_NC) {
    const int nc = n - jc < NNLAB_NC ? n - jc : NNLAB_NC;
    for (int pc = 0; pc < k; pc += NNLAB_KC) {
      const int kc = k - pc < NNLAB_KC ? k - pc : NNLAB_KC;
      const bool skip_zeros = nnlab_looks_for_zeros(nc) && nnlab_finite_block(b, ldb, trans_b, pc, kc, jc, nc);
      /* B[pc.., jc..] in panels of 16 columns, zero-padded. */
      for (int jr = 0; jr < nc; jr += NNLAB_NR) {
        if (direct_b && nc - jr >= NNLAB_NR) continue;
        float *panel = bp + (size_t)jr * kc;
        for (int p = 0; p < kc; p++)
          for (int j = 0; j < NNLAB_NR; j++) {
            const int col = jc + jr + j;
            panel[NNLAB_NR * p + j] = col >= jc + nc ? 0.0f : trans_b ? b[(size_t)col * ldb + pc + p] : b[(size_t)(pc + p) * ldb + col];
          }
      }
      for (int ic = 0; ic < m; ic += NNLAB_MC) {
        const int mc = m - ic < NNLAB_MC ? m - ic : NNLAB_MC;
        /* A[ic.., pc..] in panels of 6 rows, then their sparse copies. */
        for (int ir = 0; ir < mc; ir += NNLAB_MR) {
          float *panel = ap + (size_t)ir * kc;
          nnlab_pack_a(panel, a, lda, trans_a, ic + ir, mc - ir < NNLAB_MR ? mc - ir : NNLAB_MR, pc, kc);
          steps[ir / NNLAB_MR] = skip_zeros ? nnlab_sparse_copy(panel, sp + (size_t)ir * kc, kept_steps + (size_t)(ir / NNLAB_MR) * kc, kc) : kc;
        }
        for (int jr = 0; jr < nc; jr += NNLAB_NR)
          for (int ir = 0; ir < mc; ir += NNLAB_MR) {
            const int mr = mc - ir < NNLAB_MR ? mc - ir : NNLAB_MR;
            const int nr = nc - jr < NNLAB_NR ? nc - jr : NNLAB_NR;
            const bool in_place = direct_b && nr == NNLAB_NR;
            const float *bpanel = in_place ? b + (size_t)pc * ldb + jc + jr : bp + (size_t)jr * kc;
            const size_t bs = in_place ? (size_t)ldb : NNLAB_NR;
            float *tile = c + (size_t)(ic + ir) * ldc + jc + jr;
            const int kept = steps[ir / NNLAB_MR];
            if (kept == kc) nnlab_kernel(kc, NULL, ap + (size_t)ir * kc, bpanel, bs, tile, ldc, mr, nr, accumulate || pc > 0);
            else nnlab_kernel(kept, kept_steps + (size_t)(ir / NNLAB_MR) * kc, sp + (size_t)ir * kc, bpanel, bs, tile, ldc, mr, nr, accumulate || pc > 0);
          }
      }
    }
  }
}
#endif
