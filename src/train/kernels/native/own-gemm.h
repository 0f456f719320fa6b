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

/* The 6×16 tile of C at (c, ldc) from kc steps of packed A (6 a step) and B (16 a step, `bs` apart). */
static inline __attribute__((always_inline)) void nnlab_kernel(int kc, const float *ap, const float *bp, size_t bs, float *c, int ldc, int mr, int nr, bool acc) {
  nnlab_v8 r[NNLAB_MR][2];
  for (int i = 0; i < NNLAB_MR; i++) r[i][0] = r[i][1] = (nnlab_v8){0};
  for (int p = 0; p < kc; p++) {
    const nnlab_v8 b0 = nnlab_load8(bp + bs * p), b1 = nnlab_load8(bp + bs * p + 8);
    const float *a = ap + NNLAB_MR * p;
    for (int i = 0; i < NNLAB_MR; i++) {
      r[i][0] += b0 * a[i];
      r[i][1] += b1 * a[i];
    }
  }
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

/* x86-64: one build runs everywhere; AVX2+FMA machines get the clone compiled for them (ifunc). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__APPLE__)
#define NNLAB_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define NNLAB_CLONES
#endif

NNLAB_CLONES
void nnlab_own_gemm(int m, int n, int k, const float *a, int lda, bool trans_a, const float *b, int ldb, bool trans_b, float *c, int ldc, bool accumulate) {
  /* Packing buffers live for the process (a worker trains one run at a time, on one thread):
     allocating a megabyte per call would cost page faults on every small product. */
  static float *ap = NULL, *bp = NULL;
  if (!ap) ap = aligned_alloc(64, sizeof(float) * NNLAB_MC * NNLAB_KC);
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
        /* A[ic.., pc..] in panels of 6 rows, zero-padded. */
        for (int ir = 0; ir < mc; ir += NNLAB_MR) {
          float *panel = ap + (size_t)ir * kc;
          for (int p = 0; p < kc; p++)
            for (int i = 0; i < NNLAB_MR; i++) {
              const int row = ic + ir + i;
              panel[NNLAB_MR * p + i] = row >= ic + mc ? 0.0f : trans_a ? a[(size_t)(pc + p) * lda + row] : a[(size_t)row * lda + pc + p];
            }
        }
        for (int jr = 0; jr < nc; jr += NNLAB_NR)
          for (int ir = 0; ir < mc; ir += NNLAB_MR) {
            const int mr = mc - ir < NNLAB_MR ? mc - ir : NNLAB_MR;
            const int nr = nc - jr < NNLAB_NR ? nc - jr : NNLAB_NR;
            const bool in_place = direct_b && nr == NNLAB_NR;
            const float *bpanel = in_place ? b + (size_t)pc * ldb + jc + jr : bp + (size_t)jr * kc;
            nnlab_kernel(kc, ap + (size_t)ir * kc, bpanel, in_place ? (size_t)ldb : NNLAB_NR, c + (size_t)(ic + ir) * ldc + jc + jr, ldc, mr, nr, accumulate || pc > 0);
          }
      }
    }
  }
}
#endif
