/** Pure helpers for the benchmark figures: percentiles, spreads and number formatting. */

/**
 * The `p`-th percentile (0–100) of `values` by the nearest-rank method: the smallest value with
 * at least p% of the values at or below it. Throws on an empty list, which has no percentile.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('a percentile of no values is undefined');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`a percentile must be within 0–100, not ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** The median of repeated runs and their range, so a noisy figure shows how noisy it was. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** The median (nearest rank) and the range of repeated measurements. */
export function spread(values: readonly number[]): Spread {
  return {
    median: percentile(values, 50),
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values.length,
  };
}

/** `12,345` */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `1,234–1,456` for several runs, nothing for one. */
export const range = (s: Spread, format: (n: number) => string = count): string =>
  s.runs > 1 ? ` (${format(s.min)}–${format(s.max)}, ${s.runs} runs)` : '';

/**
 * How much longer the same work takes through the gateway than straight to the emulator, as a
 * fraction: 0.25 is 25% more time per record. Derived from throughputs (records per second).
 */
export const overhead = (gatewayPerSecond: number, directPerSecond: number): number =>
  directPerSecond / gatewayPerSecond - 1;
