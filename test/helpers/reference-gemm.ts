/**
 * The references every matrix-product kernel of nnlab (native, WebAssembly SIMD, JavaScript) is
 * tested against: C = op(A)·op(B) (+ C) in float64, and the SIMD kernel's own summation order in
 * float32 for bit-for-bit comparisons.
 */

/** C = op(A)·op(B) (+ C) in float64; A is m×k (k×m transposed), B k×n (n×k transposed). */
export function referenceGemm(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array | null,
  m: number,
  n: number,
  k: number,
  ta = false,
  tb = false,
  acc = false,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = acc && c ? c[i * n + j]! : 0;
      for (let p = 0; p < k; p++) sum += a[ta ? p * m + i : i * k + p]! * b[tb ? j * k + p : p * n + j]!;
      out[i * n + j] = sum;
    }
  }
  return out;
}

/**
 * The SIMD product's summation order, one float32 rounding per operation: each element sums its K
 * blocks of 256 from +0 in the order of k, then the block's sum is added to C (written by the first
 * block unless accumulating). With it the kernel's results can be compared bit for bit.
 */
export function float32GemmInOrder(
  a: Float32Array,
  b: Float32Array,
  c0: Float32Array,
  m: number,
  n: number,
  k: number,
  ta: boolean,
  tb: boolean,
  acc: boolean,
): Float32Array {
  const f = Math.fround;
  const c = acc ? c0.slice() : new Float32Array(m * n);
  const A = (i: number, p: number) => (ta ? a[p * m + i]! : a[i * k + p]!);
  const B = (p: number, j: number) => (tb ? b[j * k + p]! : b[p * n + j]!);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      for (let pc = 0; pc < k; pc += 256) {
        let sum = 0;
        for (let p = pc; p < Math.min(k, pc + 256); p++) sum = f(sum + f(A(i, p) * B(p, j)));
        c[i * n + j] = acc || pc > 0 ? f(c[i * n + j]! + sum) : sum;
      }
    }
  }
  return c;
}
