/** `0.9123 ± 0.0041`; the ± part is left out for a single seed. */
export function formatMeanStd(mean: number | null, std: number | null, digits = 4): string {
  if (mean === null) return '—';
  return std === null ? mean.toFixed(digits) : `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;
}

/** Digits that suit a metric: losses can be large, accuracies are fractions. */
export function digitsFor(column: string, values: Array<number | null>): number {
  if (/accuracy/.test(column)) return 4;
  const max = Math.max(0, ...values.filter((v): v is number => v !== null).map(Math.abs));
  return max >= 1000 ? 0 : max >= 10 ? 2 : 4;
}
