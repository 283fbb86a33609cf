/**
 * What `--drive` sends, decided without I/O: a fresh unicorn name, and a short ride whose
 * records all arrive at once (so they land in one or two tumbling windows, not in ten).
 */
import type { UnicornStatus } from '../../contracts/telemetry.ts';
import { createFleet } from '../../producer/telemetry.ts';

/** Simulated seconds of a driven ride: a tiring unicorn's magic falls below 50 within ~120. */
export const RIDE_TICKS = 180;

/** Module 1's driven notes go under `drive-<fresh>/` in the input bucket. */
export const DRIVE_PREFIX = 'drive';

/**
 * A name no earlier attempt used: `<base>-<time><random>` in base 36, letters and digits only, so
 * it is a whole word in an alert's subject and a valid partition key.
 */
export function freshName(base: string, now: number, random: () => number): string {
  const suffix = `${now.toString(36).slice(-5)}${Math.floor(random() * 36 ** 3)
    .toString(36)
    .padStart(3, '0')}`;
  return `${base}-${suffix}`;
}

/** Which unicorns a module's driven check sends, and which one tires. */
export interface RidePlan {
  unicorns: string[];
  tired?: string;
}

/**
 * Modules 2 to 4: one test unicorn. The extra credit: a tiring and a healthy one, so the check
 * sees both an alert that must come and one that must not.
 */
export function ridePlan(moduleKey: string, fresh: (base: string) => string): RidePlan {
  if (moduleKey === 'extra') {
    const tired = fresh('Tiring');
    return { unicorns: [tired, fresh('Healthy')], tired };
  }
  return { unicorns: [fresh('Tester')] };
}

/**
 * The ride's records, tick by tick, with `StatusTime`s one simulated second apart ending at
 * `end`: what the producer would send over `ticks` seconds, sent in one go.
 */
export function rideRecords(plan: RidePlan, end: Date, seed: number, ticks = RIDE_TICKS): UnicornStatus[] {
  // An explicit list of tired unicorns: none but `plan.tired` (the name `-` can never be sent).
  const fleet = createFleet({ names: plan.unicorns, seed, tired: [plan.tired ?? '-'] });
  const records: UnicornStatus[] = [];
  for (let i = ticks - 1; i >= 0; i--) records.push(...fleet.tick(new Date(end.getTime() - i * 1000)));
  return records;
}
