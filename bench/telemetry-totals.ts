import { unicornNames } from '../producer/names.ts';
import { DEFAULT_SEED } from '../producer/options.ts';
import { createFleet } from '../producer/telemetry.ts';

/** What the producer sends for `--unicorns N --count ticks` with the default seed. */
export interface TelemetryTotals {
  records: number;
  /** The sum of `Distance` over every record: what the aggregates must add up to (conservation). */
  distance: number;
}

/**
 * The producer's telemetry is a pure function of the names, the seed and the tick count (the
 * clock only sets `StatusTime`), so the totals it will send are known without reading the stream.
 */
export function telemetryTotals(unicorns: number, ticks: number): TelemetryTotals {
  const fleet = createFleet({ names: unicornNames(unicorns), seed: DEFAULT_SEED });
  let distance = 0;
  const now = new Date();
  for (let t = 0; t < ticks; t++) for (const record of fleet.tick(now)) distance += record.Distance;
  return { records: unicorns * ticks, distance };
}
