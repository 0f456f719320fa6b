/*
 * The dense engine's elementwise and per-column passes (see src/train/dense/row-kernels.ts, the
 * JavaScript reference with the same formulas): batch gathering, bias, column sums, relu, Keras
 * batch norm.
 * Row-major [rows x width]; statistics in double precision as in the reference. Vectorised by the
 * compiler (AVX2 clone on x86-64); loops run over columns innermost so each row is one stream.
 */
#ifndef NNLAB_ROW_KERNELS_H
#define NNLAB_ROW_KERNELS_H
#include <math.h>
#include <stdint.h>
#include <string.h>

/* Rows of a shuffled batch are scattered over a data set of tens of megabytes: each one misses the
   caches. Asking for the row two ahead while copying this one overlaps those misses. */
#define NNLAB_GATHER_AHEAD 2

static void nnlab_gather_rows(const float *src, int64_t width, const int32_t *order, int64_t start, int64_t count, float *dst) {
  if (!order) {
    memcpy(dst, src + start * width, sizeof(float) * (size_t)(count * width));
    return;
  }
  for (int64_t i = 0; i < count; i++) {
    if (i + NNLAB_GATHER_AHEAD < count) {
      const char *next = (const char *)(src + (int64_t)order[start + i + NNLAB_GATHER_AHEAD] * width);
      for (int64_t byte = 0; byte < width * (int64_t)sizeof(float); byte += 64) __builtin_prefetch(next + byte);
    }
    memcpy(dst + i * width, src + (int64_t)order[start + i] * width, sizeof(float) * (size_t)width);
  }
}

NNLAB_CLONES
static void nnlab_add_bias(float *restrict z, const float *restrict b, int64_t rows, int64_t width) {
  for (int64_t r = 0; r < rows; r++) {
    float *restrict row = z + r * width;
    for (int64_t j = 0; j < width; j++) row[j] = row[j] + b[j];
  }
}

NNLAB_CLONES
static void nnlab_sum_rows(const float *restrict x, int64_t rows, int64_t width, float *restrict out) {
  for (int64_t j = 0; j < width; j++) out[j] = 0.0f;
  for (int64_t r = 0; r < rows; r++) {
    const float *restrict row = x + r * width;
    for (int64_t j = 0; j < width; j++) out[j] = out[j] + row[j];
  }
}

/* max(z, 0) as tfjs computes it: NaN stays NaN, −∞ and −0 give 0. A select the compiler vectorises. */
NNLAB_CLONES
static void nnlab_relu(const float *restrict z, float *restrict a, int64_t count) {
  for (int64_t i = 0; i < count; i++) a[i] = z[i] > 0.0f || z[i] != z[i] ? z[i] : 0.0f;
}

NNLAB_CLONES
static void nnlab_relu_backward(const float *restrict da, const float *restrict z, float *restrict dz, int64_t count) {
  for (int64_t i = 0; i < count; i++) dz[i] = da[i] * (z[i] > 0.0f ? 1.0f : 0.0f);
}

NNLAB_CLONES
static void nnlab_batch_norm_train(const float *restrict x, int64_t rows, int64_t width, const float *restrict gamma, const float *restrict beta,
                                   float *restrict moving_mean, float *restrict moving_variance, double decay, double epsilon,
                                   float *restrict xhat, float *restrict y, double *restrict mean, double *restrict inv) {
  for (int64_t j = 0; j < width; j++) mean[j] = 0.0;
  for (int64_t r = 0; r < rows; r++)
    for (int64_t j = 0; j < width; j++) mean[j] += x[r * width + j];
  for (int64_t j = 0; j < width; j++) { mean[j] /= (double)rows; inv[j] = 0.0; }
  for (int64_t r = 0; r < rows; r++)
    for (int64_t j = 0; j < width; j++) { double d = x[r * width + j] - mean[j]; inv[j] += d * d; }
  for (int64_t j = 0; j < width; j++) {
    double variance = inv[j] / (double)rows;
    inv[j] = 1.0 / sqrt(variance + epsilon);
    moving_mean[j] = (float)(moving_mean[j] - (moving_mean[j] - mean[j]) * decay);
    moving_variance[j] = (float)(moving_variance[j] - (moving_variance[j] - variance) * decay);
  }
  for (int64_t r = 0; r < rows; r++) {
    for (int64_t j = 0; j < width; j++) {
      double v = (x[r * width + j] - mean[j]) * inv[j];
      xhat[r * width + j] = (float)v;
      y[r * width + j] = (float)(gamma[j] * v + beta[j]);
    }
  }
}

NNLAB_CLONES
static void nnlab_batch_norm_infer(const float *restrict x, int64_t rows, int64_t width, const float *restrict gamma, const float *restrict beta,
                                   const float *restrict moving_mean, const float *restrict moving_variance, double epsilon, float *restrict y, double *restrict inv) {
  for (int64_t j = 0; j < width; j++) inv[j] = 1.0 / sqrt(moving_variance[j] + epsilon);
  for (int64_t r = 0; r < rows; r++)
    for (int64_t j = 0; j < width; j++) y[r * width + j] = (float)((x[r * width + j] - (double)moving_mean[j]) * inv[j] * gamma[j] + beta[j]);
}

NNLAB_CLONES
static void nnlab_batch_norm_backward(const float *restrict dy, const float *restrict xhat, const float *restrict gamma, const double *restrict inv,
                                      int64_t rows, int64_t width, double *restrict d_gamma, double *restrict d_beta, float *restrict dx) {
  for (int64_t j = 0; j < width; j++) { d_gamma[j] = 0.0; d_beta[j] = 0.0; }
  for (int64_t r = 0; r < rows; r++) {
    for (int64_t j = 0; j < width; j++) {
      d_gamma[j] += (double)dy[r * width + j] * xhat[r * width + j];
      d_beta[j] += dy[r * width + j];
    }
  }
  if (!dx) return;
  for (int64_t r = 0; r < rows; r++) {
    for (int64_t j = 0; j < width; j++) {
      dx[r * width + j] = (float)(((gamma[j] * inv[j]) / (double)rows) * ((double)rows * dy[r * width + j] - d_beta[j] - xhat[r * width + j] * d_gamma[j]));
    }
  }
}

#endif
