/*
 * nnlab's native kernels: single-precision GEMM from the system BLAS (OpenBLAS on Linux, Accelerate
 * on macOS) when it was found at install time, else nnlab's own blocked GEMM (own-gemm.h); and the
 * optimizer updates in place, in float32 as tfjs computes them.
 *
 * On the tfjs wasm backend's heap (tfjs' kernels replaced, see native-matmul.ts):
 *   sgemm(heap, aOff, bOff, cOff, batch, strideA, strideB, m, n, k, transA, transB, biasOff, biasSize, relu)
 *   adam(heap, varOff, gradOff, mOff, vOff, size, lr, beta1, beta2, epsilon, accBeta1, accBeta2)
 * On Float32Arrays (nnlab's dense engine, see train/dense/):
 *   gemm(a, b, c, m, n, k, transA, transB, accumulate)      C = op(A)·op(B) (+ C), row-major (the BLAS's,
 *                                                             or nnlab's where it skips A's zeros)
 *   gemmOwn(...)                                              the same with nnlab's own GEMM, always
 *   adamArrays(w, g, m, v, lr, beta1, beta2, epsilon, accBeta1, accBeta2)
 *   addBias, sumRows, relu, reluBackward, batchNormTrain, batchNormInfer, batchNormBackward
 *                                                             the row kernels (row-kernels.h)
 *   im2col, col2im, maxPool, averagePool, scatterAdd, averagePoolBackward
 *                                                             the feature-map kernels (map-kernels.h)
 * and `blas`: true when gemm is the system BLAS's.
 */
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include "own-gemm.h"
#include "row-kernels.h"
#include "map-kernels.h"
#ifdef NNLAB_HAVE_BLAS
#ifdef NNLAB_ACCELERATE
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#endif
#endif

static void any_gemm(bool own, int m, int n, int k, const float *a, int lda, bool ta, const float *b, int ldb, bool tb, float *c, int ldc, bool accumulate) {
#ifdef NNLAB_HAVE_BLAS
  if (!own) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a, lda, b, ldb, accumulate ? 1.0f : 0.0f, c, ldc);
    return;
  }
#endif
  nnlab_own_gemm(m, n, k, a, lda, ta, b, ldb, tb, c, ldc, accumulate);
}

static bool get_i64(napi_env env, napi_value v, int64_t *out) { return napi_get_value_int64(env, v, out) == napi_ok; }
static bool get_bool(napi_env env, napi_value v, bool *out) { return napi_get_value_bool(env, v, out) == napi_ok; }
static bool get_f64(napi_env env, napi_value v, double *out) { return napi_get_value_double(env, v, out) == napi_ok; }

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, "NNLAB_NATIVE_ARGS", message);
  return NULL;
}

/* The wasm heap passed as the first argument: its bytes and length. */
static bool get_heap(napi_env env, napi_value value, void **data, size_t *length) {
  bool is_buffer = false;
  return napi_is_arraybuffer(env, value, &is_buffer) == napi_ok && is_buffer && napi_get_arraybuffer_info(env, value, data, length) == napi_ok;
}

/* A typed array argument of type `want`: its first element and length. */
static bool get_typed(napi_env env, napi_value value, napi_typedarray_type want, void **data, size_t *length) {
  bool is_typed = false;
  napi_typedarray_type type;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return false;
  return napi_get_typedarray_info(env, value, &type, length, data, NULL, NULL) == napi_ok && type == want;
}

/* A Float32Array argument: its first element and length. */
static bool get_floats(napi_env env, napi_value value, float **data, size_t *length) { return get_typed(env, value, napi_float32_array, (void **)data, length); }

/* A Float64Array argument: its first element and length. */
static bool get_doubles(napi_env env, napi_value value, double **data, size_t *length) { return get_typed(env, value, napi_float64_array, (void **)data, length); }

/* An Int32Array argument, or null: its first element (NULL for null) and length. */
static bool get_ints_or_null(napi_env env, napi_value value, int32_t **data, size_t *length) {
  napi_valuetype kind;
  if (napi_typeof(env, value, &kind) == napi_ok && kind == napi_null) { *data = NULL; *length = 0; return true; }
  return get_typed(env, value, napi_int32_array, (void **)data, length);
}

/*
 * The arguments of a kernel, by a spec of one letter each: f a Float32Array (float **, size_t *),
 * n the same or null, d a Float64Array (double **, size_t *), o an Int32Array or null (int32_t **,
 * size_t *), h the wasm heap, an ArrayBuffer (void **, size_t *), i an integer (int64_t *), x a number
 * (double *), b a boolean (bool *). False when the count or a type differs.
 */
static bool parse_args(napi_env env, napi_callback_info info, const char *spec, ...) {
  napi_value argv[16];
  size_t argc = 16;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != strlen(spec)) return false;
  va_list ap;
  va_start(ap, spec);
  bool ok = true;
  for (size_t i = 0; ok && i < argc; i++) {
    switch (spec[i]) {
      case 'n': {
        napi_valuetype type;
        float **data = va_arg(ap, float **);
        size_t *length = va_arg(ap, size_t *);
        if (napi_typeof(env, argv[i], &type) == napi_ok && type == napi_null) { *data = NULL; *length = 0; }
        else ok = get_floats(env, argv[i], data, length);
        break;
      }
      case 'f': { float **data = va_arg(ap, float **); ok = get_floats(env, argv[i], data, va_arg(ap, size_t *)); break; }
      case 'd': { double **data = va_arg(ap, double **); ok = get_doubles(env, argv[i], data, va_arg(ap, size_t *)); break; }
      case 'o': { int32_t **data = va_arg(ap, int32_t **); ok = get_ints_or_null(env, argv[i], data, va_arg(ap, size_t *)); break; }
      case 'h': { void **data = va_arg(ap, void **); ok = get_heap(env, argv[i], data, va_arg(ap, size_t *)); break; }
      case 'i': ok = get_i64(env, argv[i], va_arg(ap, int64_t *)); break;
      case 'b': ok = get_bool(env, argv[i], va_arg(ap, bool *)); break;
      case 'x': ok = get_f64(env, argv[i], va_arg(ap, double *)); break;
      default: ok = false;
    }
  }
  va_end(ap);
  return ok;
}

static napi_value Sgemm(napi_env env, napi_callback_info info) {
  void *data = NULL;
  size_t length = 0;
  int64_t a_off, b_off, c_off, batch, stride_a, stride_b, m, n, k, bias_off, bias_size;
  bool trans_a, trans_b, relu;
  if (!parse_args(env, info, "hiiiiiiiiibbiib", &data, &length, &a_off, &b_off, &c_off, &batch, &stride_a, &stride_b, &m, &n, &k, &trans_a, &trans_b,
                  &bias_off, &bias_size, &relu))
    return fail(env, "sgemm: bad arguments");
  if (batch < 1 || m < 1 || n < 1 || k < 1 || stride_a < 0 || stride_b < 0) return fail(env, "sgemm: bad dimensions");
  /* Every access must stay inside the heap: a wrong offset must throw, not corrupt memory. */
  int64_t bytes = (int64_t)length;
  int64_t a_end = a_off + 4 * ((batch - 1) * stride_a + m * k);
  int64_t b_end = b_off + 4 * ((batch - 1) * stride_b + k * n);
  int64_t c_end = c_off + 4 * batch * m * n;
  if (a_off < 0 || b_off < 0 || c_off < 0 || a_end > bytes || b_end > bytes || c_end > bytes || (a_off | b_off | c_off) % 4 != 0)
    return fail(env, "sgemm: operand outside the heap");
  if (bias_off >= 0 && (bias_off + 4 * bias_size > bytes || (bias_size != 1 && bias_size != n) || bias_off % 4 != 0))
    return fail(env, "sgemm: bias outside the heap or of the wrong size");

  uint8_t *heap = (uint8_t *)data;
  const float *a = (const float *)(heap + a_off);
  const float *b = (const float *)(heap + b_off);
  float *c = (float *)(heap + c_off);
  const float *bias = bias_off >= 0 ? (const float *)(heap + bias_off) : NULL;
  int lda = trans_a ? (int)m : (int)k;
  int ldb = trans_b ? (int)k : (int)n;
  for (int64_t i = 0; i < batch; i++) {
    float *ci = c + i * m * n;
    any_gemm(false, (int)m, (int)n, (int)k, a + i * stride_a, lda, trans_a, b + i * stride_b, ldb, trans_b, ci, (int)n, false);
    if (bias || relu) {
      for (int64_t r = 0; r < m; r++) {
        float *row = ci + r * n;
        for (int64_t j = 0; j < n; j++) {
          float v = row[j] + (bias ? bias[bias_size == 1 ? 0 : j] : 0.0f);
          row[j] = relu && v < 0.0f ? 0.0f : v;
        }
      }
    }
  }
  return NULL;
}

/* C = op(A)·op(B) (+ C) on Float32Arrays (the dense engine's); `own` picks nnlab's GEMM over the
   system BLAS's, as does an A whose zeros nnlab's GEMM skips (MNIST's blank margins): the choice
   depends on the operands only, so a rerun on the same machine gives the same bits. */
static napi_value gemm_arrays(napi_env env, napi_callback_info info, bool own) {
  float *a, *b, *c;
  size_t la, lb, lc;
  int64_t m, n, k;
  bool ta, tb, acc;
  if (!parse_args(env, info, "fffiiibbb", &a, &la, &b, &lb, &c, &lc, &m, &n, &k, &ta, &tb, &acc)) return fail(env, "gemm: bad arguments");
  if (m < 1 || n < 1 || k < 1 || (int64_t)la < m * k || (int64_t)lb < k * n || (int64_t)lc < m * n) return fail(env, "gemm: operands smaller than their shapes");
  const int lda = ta ? (int)m : (int)k;
#ifdef NNLAB_HAVE_BLAS
  own = own || nnlab_skips_zeros((int)m, (int)n, (int)k, a, lda, ta);
#endif
  any_gemm(own, (int)m, (int)n, (int)k, a, lda, ta, b, tb ? (int)k : (int)n, tb, c, (int)n, acc);
  return NULL;
}
static napi_value Gemm(napi_env env, napi_callback_info info) { return gemm_arrays(env, info, false); }
static napi_value GemmOwn(napi_env env, napi_callback_info info) { return gemm_arrays(env, info, true); }

/* One pass of tfjs' Adam update over `size` floats, in place:
 *   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g²;  w -= lr (m / (1 - b1^t)) / (eps + sqrt(v / (1 - b2^t))) */
/* Bound by its divisions and by memory: vectorised (no errno from sqrtf, no FP traps: see build-native.ts) and AVX2 where there is. */
static inline __attribute__((always_inline)) void adam_pass(float *w, const float *g, float *m, float *v, int64_t size, float fb1, float fb2, float one_b1, float one_b2, float c1, float c2, float flr, float feps, bool unit_c1) {
  for (int64_t i = 0; i < size; i++) {
    float gi = g[i];
    float mi = fb1 * m[i] + one_b1 * gi;
    float vi = fb2 * v[i] + one_b2 * (gi * gi);
    m[i] = mi;
    v[i] = vi;
    w[i] = w[i] + (-flr) * (unit_c1 ? mi : mi / c1) / (feps + sqrtf(vi / c2));
  }
}

NNLAB_CLONES
static void adam_update(float *w, const float *g, float *m, float *v, int64_t size, double lr, double b1, double b2, double eps, double acc1, double acc2) {
  const float fb1 = (float)b1, fb2 = (float)b2, one_b1 = (float)(1.0 - b1), one_b2 = (float)(1.0 - b2);
  const float c1 = (float)(1.0 - acc1), c2 = (float)(1.0 - acc2), flr = (float)lr, feps = (float)eps;
  /* After a few hundred steps b1^t is below float32's resolution next to 1, c1 rounds to 1 and m / c1
   * is m: without that division the loop gives the same bits in less time (0.43 against 0.52 ms for
   * the H=1024 MLP's 813k weights here). */
  if (c1 == 1.0f) adam_pass(w, g, m, v, size, fb1, fb2, one_b1, one_b2, c1, c2, flr, feps, true);
  else adam_pass(w, g, m, v, size, fb1, fb2, one_b1, one_b2, c1, c2, flr, feps, false);
}

static napi_value Adam(napi_env env, napi_callback_info info) {
  void *data = NULL;
  size_t length = 0;
  int64_t off[4], size;
  double lr, b1, b2, eps, acc1, acc2;
  if (!parse_args(env, info, "hiiiiixxxxxx", &data, &length, &off[0], &off[1], &off[2], &off[3], &size, &lr, &b1, &b2, &eps, &acc1, &acc2))
    return fail(env, "adam: bad arguments");
  for (int i = 0; i < 4; i++)
    if (off[i] < 0 || off[i] % 4 != 0 || off[i] + 4 * size > (int64_t)length) return fail(env, "adam: operand outside the heap");
  uint8_t *heap = (uint8_t *)data;
  adam_update((float *)(heap + off[0]), (const float *)(heap + off[1]), (float *)(heap + off[2]), (float *)(heap + off[3]), size, lr, b1, b2, eps, acc1, acc2);
  return NULL;
}

static napi_value AdamArrays(napi_env env, napi_callback_info info) {
  float *p[4];
  size_t len[4];
  double lr, b1, b2, eps, acc1, acc2;
  if (!parse_args(env, info, "ffffxxxxxx", &p[0], &len[0], &p[1], &len[1], &p[2], &len[2], &p[3], &len[3], &lr, &b1, &b2, &eps, &acc1, &acc2))
    return fail(env, "adamArrays: bad arguments");
  if (len[1] != len[0] || len[2] != len[0] || len[3] != len[0]) return fail(env, "adamArrays: operands of different lengths");
  adam_update(p[0], p[1], p[2], p[3], (int64_t)len[0], lr, b1, b2, eps, acc1, acc2);
  return NULL;
}

/* Shapes are checked against the arrays' lengths: a wrong size must throw, not corrupt memory. */
#define NEED(len, count) ((count) >= 0 && (int64_t)(len) >= (count))

static napi_value GatherRows(napi_env env, napi_callback_info info) {
  float *src, *dst; int32_t *order; size_t ls, lo, ld; int64_t width, start, count;
  if (!parse_args(env, info, "fioiif", &src, &ls, &width, &order, &lo, &start, &count, &dst, &ld) || width < 0 || start < 0 || !NEED(ld, count * width) ||
      (order ? !NEED(lo, start + count) : !NEED(ls, (start + count) * width)))
    return fail(env, "gatherRows: bad arguments");
  if (width == 0) return NULL;
  const int64_t rows = (int64_t)ls / width;
  for (int64_t i = 0; order && i < count; i++)
    if (order[start + i] < 0 || order[start + i] >= rows) return fail(env, "gatherRows: a row index is out of range");
  nnlab_gather_rows(src, width, order, start, count, dst);
  return NULL;
}

static napi_value AddBias(napi_env env, napi_callback_info info) {
  float *z, *b; size_t lz, lb; int64_t rows, width;
  if (!parse_args(env, info, "ffii", &z, &lz, &b, &lb, &rows, &width) || !NEED(lz, rows * width) || !NEED(lb, width)) return fail(env, "addBias: bad arguments");
  nnlab_add_bias(z, b, rows, width);
  return NULL;
}

static napi_value SumRows(napi_env env, napi_callback_info info) {
  float *x, *out; size_t lx, lo; int64_t rows, width;
  if (!parse_args(env, info, "fiif", &x, &lx, &rows, &width, &out, &lo) || !NEED(lx, rows * width) || !NEED(lo, width)) return fail(env, "sumRows: bad arguments");
  nnlab_sum_rows(x, rows, width, out);
  return NULL;
}

static napi_value Relu(napi_env env, napi_callback_info info) {
  float *z, *a; size_t lz, la; int64_t count;
  if (!parse_args(env, info, "ffi", &z, &lz, &a, &la, &count) || !NEED(lz, count) || !NEED(la, count)) return fail(env, "relu: bad arguments");
  nnlab_relu(z, a, count);
  return NULL;
}

static napi_value ReluBackward(napi_env env, napi_callback_info info) {
  float *da, *z, *dz; size_t lda, lz, ldz; int64_t count;
  if (!parse_args(env, info, "fffi", &da, &lda, &z, &lz, &dz, &ldz, &count) || !NEED(lda, count) || !NEED(lz, count) || !NEED(ldz, count)) return fail(env, "reluBackward: bad arguments");
  nnlab_relu_backward(da, z, dz, count);
  return NULL;
}

static napi_value BatchNormTrain(napi_env env, napi_callback_info info) {
  float *x, *gamma, *beta, *mm, *mv, *xhat, *y; double *mean, *inv;
  size_t lx, lg, lb, lmm, lmv, lxh, ly, lmean, linv;
  int64_t rows, width; double decay, epsilon;
  if (!parse_args(env, info, "fiiffffxxffdd", &x, &lx, &rows, &width, &gamma, &lg, &beta, &lb, &mm, &lmm, &mv, &lmv, &decay, &epsilon, &xhat, &lxh, &y, &ly, &mean, &lmean, &inv, &linv) ||
      !NEED(lx, rows * width) || !NEED(lxh, rows * width) || !NEED(ly, rows * width) || rows < 1 ||
      !NEED(lg, width) || !NEED(lb, width) || !NEED(lmm, width) || !NEED(lmv, width) || !NEED(lmean, width) || !NEED(linv, width))
    return fail(env, "batchNormTrain: bad arguments");
  nnlab_batch_norm_train(x, rows, width, gamma, beta, mm, mv, decay, epsilon, xhat, y, mean, inv);
  return NULL;
}

static napi_value BatchNormInfer(napi_env env, napi_callback_info info) {
  float *x, *gamma, *beta, *mm, *mv, *y; double *inv;
  size_t lx, lg, lb, lmm, lmv, ly, linv;
  int64_t rows, width; double epsilon;
  if (!parse_args(env, info, "fiiffffxfd", &x, &lx, &rows, &width, &gamma, &lg, &beta, &lb, &mm, &lmm, &mv, &lmv, &epsilon, &y, &ly, &inv, &linv) ||
      !NEED(lx, rows * width) || !NEED(ly, rows * width) || !NEED(lg, width) || !NEED(lb, width) || !NEED(lmm, width) || !NEED(lmv, width) || !NEED(linv, width))
    return fail(env, "batchNormInfer: bad arguments");
  nnlab_batch_norm_infer(x, rows, width, gamma, beta, mm, mv, epsilon, y, inv);
  return NULL;
}

static napi_value BatchNormBackward(napi_env env, napi_callback_info info) {
  float *dy, *xhat, *gamma, *dx; double *inv, *dg, *db;
  size_t ldy, lxh, lg, ldx, linv, ldg, ldb;
  int64_t rows, width;
  if (!parse_args(env, info, "fffdiiddn", &dy, &ldy, &xhat, &lxh, &gamma, &lg, &inv, &linv, &rows, &width, &dg, &ldg, &db, &ldb, &dx, &ldx) ||
      !NEED(ldy, rows * width) || !NEED(lxh, rows * width) || (dx && !NEED(ldx, rows * width)) || rows < 1 ||
      !NEED(lg, width) || !NEED(linv, width) || !NEED(ldg, width) || !NEED(ldb, width))
    return fail(env, "batchNormBackward: bad arguments");
  nnlab_batch_norm_backward(dy, xhat, gamma, inv, rows, width, dg, db, dx);
  return NULL;
}

/* Every tap must read inside a sample: a bad one must throw, not read or write past the arrays. */
static bool taps_inside(const int32_t *taps, size_t ntaps, int64_t channels, int64_t in_size) {
  for (size_t t = 0; t < ntaps; t++) if (taps[t] < -1 || taps[t] + channels > in_size) return false;
  return true;
}

static napi_value Im2col(napi_env env, napi_callback_info info) {
  float *h, *cols; int32_t *taps; size_t lh, lt, lc; int64_t samples, channels, in_size;
  if (!parse_args(env, info, "fioiif", &h, &lh, &samples, &taps, &lt, &channels, &in_size, &cols, &lc) || !taps || channels < 1 ||
      !NEED(lh, samples * in_size) || !NEED(lc, samples * (int64_t)lt * channels) || !taps_inside(taps, lt, channels, in_size))
    return fail(env, "im2col: bad arguments");
  nnlab_im2col(h, samples, taps, (int64_t)lt, channels, in_size, cols);
  return NULL;
}

static napi_value Col2im(napi_env env, napi_callback_info info) {
  float *dc, *di; int32_t *taps; size_t ldc, lt, ldi; int64_t samples, channels, in_size;
  if (!parse_args(env, info, "fioiif", &dc, &ldc, &samples, &taps, &lt, &channels, &in_size, &di, &ldi) || !taps || channels < 1 ||
      !NEED(ldc, samples * (int64_t)lt * channels) || !NEED(ldi, samples * in_size) || !taps_inside(taps, lt, channels, in_size))
    return fail(env, "col2im: bad arguments");
  nnlab_col2im(dc, samples, taps, (int64_t)lt, channels, in_size, di);
  return NULL;
}

static napi_value MaxPool(napi_env env, napi_callback_info info) {
  float *h, *y; int32_t *taps, *from; size_t lh, lt, ly, lf; int64_t samples, span, channels, in_size;
  if (!parse_args(env, info, "fioiiifo", &h, &lh, &samples, &taps, &lt, &span, &channels, &in_size, &y, &ly, &from, &lf) || !taps || !from || span < 1 || channels < 1 || lt % (size_t)span ||
      !NEED(lh, samples * in_size) || !NEED(ly, samples * (int64_t)(lt / span) * channels) || !NEED(lf, samples * (int64_t)(lt / span) * channels) || !taps_inside(taps, lt, channels, in_size))
    return fail(env, "maxPool: bad arguments");
  nnlab_max_pool(h, samples, taps, (int64_t)lt, span, channels, in_size, y, from);
  return NULL;
}

static napi_value AveragePool(napi_env env, napi_callback_info info) {
  float *h, *inside, *y; int32_t *taps; size_t lh, lt, lin, ly; int64_t samples, span, channels, in_size;
  if (!parse_args(env, info, "fioiiiff", &h, &lh, &samples, &taps, &lt, &span, &channels, &in_size, &inside, &lin, &y, &ly) || !taps || span < 1 || channels < 1 || lt % (size_t)span ||
      !NEED(lh, samples * in_size) || !NEED(lin, (int64_t)(lt / span)) || !NEED(ly, samples * (int64_t)(lt / span) * channels) || !taps_inside(taps, lt, channels, in_size))
    return fail(env, "averagePool: bad arguments");
  nnlab_average_pool(h, samples, taps, (int64_t)lt, span, channels, in_size, inside, y);
  return NULL;
}

static napi_value ScatterAdd(napi_env env, napi_callback_info info) {
  float *d, *di; int32_t *from; size_t ld, lf, ldi; int64_t count, length;
  if (!parse_args(env, info, "foifi", &d, &ld, &from, &lf, &count, &di, &ldi, &length) || !from || !NEED(ld, count) || !NEED(lf, count) || !NEED(ldi, length))
    return fail(env, "scatterAdd: bad arguments");
  for (int64_t i = 0; i < count; i++) if (from[i] < 0 || from[i] >= length) return fail(env, "scatterAdd: an index is out of range");
  nnlab_scatter_add(d, from, count, di, length);
  return NULL;
}

static napi_value AveragePoolBackward(napi_env env, napi_callback_info info) {
  float *d, *di; int32_t *taps; size_t ld, lt, ldi; int64_t samples, span, channels, in_size;
  if (!parse_args(env, info, "fioiiif", &d, &ld, &samples, &taps, &lt, &span, &channels, &in_size, &di, &ldi) || !taps || span < 1 || channels < 1 || lt % (size_t)span ||
      !NEED(ld, samples * (int64_t)(lt / span) * channels) || !NEED(ldi, samples * in_size) || !taps_inside(taps, lt, channels, in_size))
    return fail(env, "averagePoolBackward: bad arguments");
  nnlab_average_pool_backward(d, samples, taps, (int64_t)lt, span, channels, in_size, di);
  return NULL;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn, flag;
  napi_create_function(env, "sgemm", NAPI_AUTO_LENGTH, Sgemm, NULL, &fn);
  napi_set_named_property(env, exports, "sgemm", fn);
  napi_create_function(env, "adam", NAPI_AUTO_LENGTH, Adam, NULL, &fn);
  napi_set_named_property(env, exports, "adam", fn);
  napi_create_function(env, "gemm", NAPI_AUTO_LENGTH, Gemm, NULL, &fn);
  napi_set_named_property(env, exports, "gemm", fn);
  napi_create_function(env, "gemmOwn", NAPI_AUTO_LENGTH, GemmOwn, NULL, &fn);
  napi_set_named_property(env, exports, "gemmOwn", fn);
  napi_create_function(env, "adamArrays", NAPI_AUTO_LENGTH, AdamArrays, NULL, &fn);
  napi_set_named_property(env, exports, "adamArrays", fn);
  static const struct { const char *name; napi_callback fn; } rows[] = {
    {"gatherRows", GatherRows}, {"addBias", AddBias}, {"sumRows", SumRows}, {"relu", Relu}, {"reluBackward", ReluBackward},
    {"batchNormTrain", BatchNormTrain}, {"batchNormInfer", BatchNormInfer}, {"batchNormBackward", BatchNormBackward},
    {"im2col", Im2col}, {"col2im", Col2im}, {"maxPool", MaxPool}, {"averagePool", AveragePool}, {"scatterAdd", ScatterAdd}, {"averagePoolBackward", AveragePoolBackward},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    napi_create_function(env, rows[i].name, NAPI_AUTO_LENGTH, rows[i].fn, NULL, &fn);
    napi_set_named_property(env, exports, rows[i].name, fn);
  }
#ifdef NNLAB_HAVE_BLAS
  napi_get_boolean(env, true, &flag);
#else
  napi_get_boolean(env, false, &flag);
#endif
  napi_set_named_property(env, exports, "blas", flag);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
