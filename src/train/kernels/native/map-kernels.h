/*
 * The engine's passes over feature maps (see src/train/dense/map-kernels.ts, the JavaScript
 * reference with the same order of operations): im2col, col2im, max and average pooling and their
 * gradients. A sample's map is [height, width, channels] (channels last); a window's taps say where
 * each output position reads it (an offset within a sample, or -1 over the edge). Float
 * arithmetic rounds as the reference's Float32Array stores do, so the bits agree.
 */
#ifndef NNLAB_MAP_KERNELS_H
#define NNLAB_MAP_KERNELS_H
#include <stdint.h>
#include <string.h>

NNLAB_CLONES
static void nnlab_im2col(const float *h, int64_t samples, const int32_t *taps, int64_t ntaps, int64_t channels, int64_t in_size, float *cols) {
  for (int64_t s = 0; s < samples; s++) {
    const float *base = h + s * in_size;
    float *o = cols + s * ntaps * channels;
    if (channels == 1) {
      /* One value a tap (a first conv on grey images): a gather, not a copy call per value. */
      for (int64_t t = 0; t < ntaps; t++)
        if (taps[t] >= 0) o[t] = base[taps[t]];
      continue;
    }
    for (int64_t t = 0; t < ntaps; t++, o += channels) {
      if (taps[t] < 0) continue;
      const float *restrict src = base + taps[t];
      float *restrict dst = o;
      for (int64_t c = 0; c < channels; c++) dst[c] = src[c];
    }
  }
}

NNLAB_CLONES
static void nnlab_col2im(const float *d_cols, int64_t samples, const int32_t *taps, int64_t ntaps, int64_t channels, int64_t in_size, float *d_in) {
  memset(d_in, 0, sizeof(float) * (size_t)(samples * in_size));
  for (int64_t s = 0; s < samples; s++) {
    float *base = d_in + s * in_size;
    const float *o = d_cols + s * ntaps * channels;
    for (int64_t t = 0; t < ntaps; t++, o += channels) {
      if (taps[t] < 0) continue;
      float *restrict dst = base + taps[t];
      const float *restrict src = o;
      for (int64_t c = 0; c < channels; c++) dst[c] = dst[c] + src[c];
    }
  }
}

NNLAB_CLONES
static void nnlab_max_pool(const float *h, int64_t samples, const int32_t *taps, int64_t ntaps, int64_t span, int64_t channels, int64_t in_size, float *y, int32_t *from) {
  const int64_t positions = ntaps / span;
  for (int64_t s = 0; s < samples; s++) {
    const int64_t base = s * in_size;
    for (int64_t p = 0; p < positions; p++) {
      float *restrict out = y + (s * positions + p) * channels;
      int32_t *restrict at = from + (s * positions + p) * channels;
      int64_t t = p * span;
      const int64_t end = (p + 1) * span;
      while (t < end && taps[t] < 0) t++;
      if (t == end) continue;
      /* The first tap inside the map, then each later one replaces a value only where it is larger
         (so the first largest wins, and NaN never replaces): selects, which vectorize. */
      const int32_t first = (int32_t)(base + taps[t]);
      for (int64_t c = 0; c < channels; c++) {
        out[c] = h[first + c];
        at[c] = first + (int32_t)c;
      }
      for (t++; t < end; t++) {
        if (taps[t] < 0) continue;
        const int32_t src = (int32_t)(base + taps[t]);
        const float *restrict v = h + src;
        for (int64_t c = 0; c < channels; c++) {
          const int larger = v[c] > out[c];
          out[c] = larger ? v[c] : out[c];
          at[c] = larger ? src + (int32_t)c : at[c];
        }
      }
    }
  }
}

NNLAB_CLONES
static void nnlab_average_pool(const float *h, int64_t samples, const int32_t *taps, int64_t ntaps, int64_t span, int64_t channels, int64_t in_size, const float *inside, float *y) {
  const int64_t positions = ntaps / span;
  for (int64_t s = 0; s < samples; s++) {
    const float *base = h + s * in_size;
    for (int64_t p = 0; p < positions; p++) {
      float *restrict out = y + (s * positions + p) * channels;
      memset(out, 0, sizeof(float) * (size_t)channels);
      for (int64_t t = p * span; t < (p + 1) * span; t++) {
        if (taps[t] < 0) continue;
        const float *restrict src = base + taps[t];
        for (int64_t c = 0; c < channels; c++) out[c] = out[c] + src[c];
      }
      for (int64_t c = 0; c < channels; c++) out[c] = out[c] / inside[p];
    }
  }
}

static void nnlab_scatter_add(const float *d, const int32_t *from, int64_t count, float *d_in, int64_t d_in_length) {
  memset(d_in, 0, sizeof(float) * (size_t)d_in_length);
  for (int64_t i = 0; i < count; i++) d_in[from[i]] = d_in[from[i]] + d[i];
}

NNLAB_CLONES
static void nnlab_average_pool_backward(const float *d, int64_t samples, const int32_t *taps, int64_t ntaps, int64_t span, int64_t channels, int64_t in_size, float *d_in) {
  const int64_t positions = ntaps / span;
  memset(d_in, 0, sizeof(float) * (size_t)(samples * in_size));
  for (int64_t s = 0; s < samples; s++) {
    float *base = d_in + s * in_size;
    for (int64_t p = 0; p < positions; p++) {
      const float *restrict g = d + (s * positions + p) * channels;
      for (int64_t t = p * span; t < (p + 1) * span; t++) {
        if (taps[t] < 0) continue;
        float *restrict dst = base + taps[t];
        for (int64_t c = 0; c < channels; c++) dst[c] = dst[c] + g[c] / (float)span;
      }
    }
  }
}

#endif
