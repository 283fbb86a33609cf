/**
 * Conservation end to end, per unicorn: the table's items of a run add up to the raw records the
 * stream holds for it — the sum of `Distance`, the least and greatest `MagicPoints` and
 * `HealthPoints`. Pure: the caller reads the stream and the table.
 */
import {
  AGGREGATE_NUMBERS,
  mergeAggregates,
  type UnicornAggregate,
  type UnicornStatus,
} from '../contracts/telemetry.ts';

/** What conservation keeps of a unicorn's records: an aggregate over all of its windows. */
export type UnicornTotals = Pick<
  UnicornAggregate,
  'Name' | 'StatusTime' | (typeof AGGREGATE_NUMBERS)[number]
>;

const ofStatus = (s: UnicornStatus): UnicornTotals => ({
  Name: s.Name,
  StatusTime: '',
  Distance: s.Distance,
  MinMagicPoints: s.MagicPoints,
  MaxMagicPoints: s.MagicPoints,
  MinHealthPoints: s.HealthPoints,
  MaxHealthPoints: s.HealthPoints,
});

function byUnicorn(aggregates: Iterable<UnicornTotals>): Map<string, UnicornTotals> {
  const totals = new Map<string, UnicornTotals>();
  for (const a of aggregates) {
    const sofar = totals.get(a.Name);
    totals.set(a.Name, sofar ? mergeAggregates(sofar, a) : { ...a, StatusTime: '' });
  }
  return totals;
}

/**
 * The unicorns whose items do not add up to their raw records (or that only one side has), each
 * as `Name: field table ≠ raw`, sorted by name. Empty when the table conserves the records.
 */
export function conservationMisses(raw: Iterable<UnicornStatus>, items: Iterable<UnicornTotals>): string[] {
  const expected = byUnicorn([...raw].map(ofStatus));
  const stored = byUnicorn(items);
  const misses: string[] = [];
  for (const name of [...new Set([...expected.keys(), ...stored.keys()])].sort()) {
    const want = expected.get(name);
    const got = stored.get(name);
    if (!want || !got) {
      misses.push(`${name}: ${want ? 'no item in the table' : 'items with no raw record'}`);
      continue;
    }
    const off = AGGREGATE_NUMBERS.find((f) => want[f] !== got[f]);
    if (off) misses.push(`${name}: ${off} ${got[off]} in the table ≠ ${want[off]} raw`);
  }
  return misses;
}
