/**
 * What `--drive` sends, decided without I/O: a fresh unicorn name, and a short ride whose
 * records all arrive at once (so they land in one or two tumbling windows, not in ten).
 */
import {
  formatStatusTime,
  parseStatusTime,
  type UnicornAggregate,
  type UnicornStatus,
} from '../../contracts/telemetry.ts';
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

/**
 * What module 3 would put on `wildrydes-aggregated` for these records: one aggregate per unicorn
 * per window of `windowSeconds` (by `StatusTime`). Module 4's driven check sends these straight to
 * its input, so it waits for no window to close and does not depend on module 3.
 */
export function rideAggregates(records: readonly UnicornStatus[], windowSeconds: number): UnicornAggregate[] {
  const windowMs = windowSeconds * 1000;
  const byWindow = new Map<string, UnicornAggregate>();
  for (const r of records) {
    const at = parseStatusTime(r.StatusTime)?.getTime() ?? 0;
    const start = formatStatusTime(new Date(Math.floor(at / windowMs) * windowMs));
    const key = `${r.Name}\u0000${start}`;
    const a = byWindow.get(key);
    byWindow.set(
      key,
      a
        ? {
            ...a,
            Distance: a.Distance + r.Distance,
            MinMagicPoints: Math.min(a.MinMagicPoints, r.MagicPoints),
            MaxMagicPoints: Math.max(a.MaxMagicPoints, r.MagicPoints),
            MinHealthPoints: Math.min(a.MinHealthPoints, r.HealthPoints),
            MaxHealthPoints: Math.max(a.MaxHealthPoints, r.HealthPoints),
          }
        : {
            Name: r.Name,
            StatusTime: start,
            Distance: r.Distance,
            MinMagicPoints: r.MagicPoints,
            MaxMagicPoints: r.MagicPoints,
            MinHealthPoints: r.HealthPoints,
            MaxHealthPoints: r.HealthPoints,
          },
    );
  }
  return [...byWindow.values()];
}
