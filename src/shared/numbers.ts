/**
 * Every metric nnlab writes is rounded to this many significant digits. Float32 training carries
 * about 7; six keeps files stable to diff while losing nothing a comparison could use.
 */
const SIGNIFICANT_DIGITS = 6;

/** Round for output; non-finite values become null (JSON has no NaN). @example roundForOutput(0.123456789) === 0.123457 */
export function roundForOutput(x: number | null | undefined): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  if (x === 0) return 0;
  return Number(x.toPrecision(SIGNIFICANT_DIGITS));
}

/** Mean of finite values; null for none. */
export function mean(values: number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Sample standard deviation (n − 1); null below two values. */
export function sampleStd(values: number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values)!;
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

/**
 * Median; null for none. Values may be ±Infinity (a censored epoch count): between a finite value
 * and an infinite one the median is the infinite one, so it never becomes NaN.
 * @example median([3, 1, 2, 10]) === 2.5
 */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = sorted.length >> 1;
  if (sorted.length % 2) return sorted[mid]!;
  const [a, b] = [sorted[mid - 1]!, sorted[mid]!];
  if (a === b) return a;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Number.isFinite(a) ? b : a;
  return (a + b) / 2;
}

/**
 * A statistic as reports write it, with digits that suit the size of the numbers it stands among
 * (`scale`): one decimal for epochs, four below 10, two below 1,000, whole numbers below 100,000,
 * and three significant digits in scientific notation beyond (6.13e8, not 613173227).
 * @example formatQuantityValue(613173227, 613173227) === '6.13e8'
 */
export function formatQuantityValue(x: number, scale: number | 'epochs'): string {
  if (scale === 'epochs') return x.toFixed(1);
  const size = Math.abs(scale);
  if (size >= 1e5) return x.toExponential(2).replace('e+', 'e');
  return x.toFixed(size >= 1000 ? 0 : size >= 10 ? 2 : 4);
}
