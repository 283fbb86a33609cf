import { describe, expect, it } from 'vitest';
import { formatStatusTime, statusProblems, type UnicornStatus } from '../contracts/telemetry.ts';
import { haversine } from './geo.ts';
import { unicornNames } from './names.ts';
import { createFleet, HOME, tiringUnicorns } from './telemetry.ts';

const FIELDS = ['Name', 'StatusTime', 'Latitude', 'Longitude', 'Distance', 'MagicPoints', 'HealthPoints'];
const T0 = Date.UTC(2026, 10, 22, 9, 17, 8, 189);

/** `ticks` ticks of a fleet, one array of records per unicorn. */
function ride(opts: Parameters<typeof createFleet>[0], ticks: number): Map<string, UnicornStatus[]> {
  const fleet = createFleet(opts);
  const rides = new Map(opts.names.map((name) => [name, [] as UnicornStatus[]]));
  for (let i = 0; i < ticks; i++) {
    for (const record of fleet.tick(new Date(T0 + i * 1000))) rides.get(record.Name)?.push(record);
  }
  return rides;
}

const pairs = <T>(xs: T[]): [T, T][] => xs.slice(1).map((x, i) => [xs[i] as T, x]);
const decimals = (x: number) => (String(x).split('.')[1] ?? '').length;

describe('formatStatusTime', () => {
  it.each([
    [T0, '2026-11-22 09:17:08.189'],
    [Date.UTC(2027, 0, 2, 3, 4, 5, 6), '2027-01-02 03:04:05.006'],
  ])('formats %d as %s in UTC', (time, expected) => {
    // Act & Assess
    expect(formatStatusTime(new Date(time))).toBe(expected);
  });
});

describe('unicornNames', () => {
  it.each([
    [1, ['Shadowfax']],
    [5, ['Shadowfax', 'Rocinante', 'Bucephalus', 'Pegasus', 'Sleipnir']],
  ])('names %d unicorns', (n, expected) => {
    // Act & Assess
    expect(unicornNames(n)).toEqual(expected);
  });

  it('suffixes names beyond the list and never repeats one', () => {
    // Act
    const names = unicornNames(40);

    // Assess
    expect(new Set(names).size).toBe(40);
    expect(names).toContain('Shadowfax-2');
    expect(names).toContain('Rocinante-3');
  });
});

describe('createFleet', () => {
  it('emits one record per unicorn per tick in the raw telemetry schema (contracts/README.md)', () => {
    // Prepare
    const fleet = createFleet({ names: ['Shadowfax', 'Rocinante'], seed: 7 });

    // Act
    const records = fleet.tick(new Date(T0));

    // Assess
    expect(records.map((r) => r.Name)).toEqual(['Shadowfax', 'Rocinante']);
    for (const record of records) {
      expect(Object.keys(record)).toEqual(FIELDS);
      expect(record.StatusTime).toBe('2026-11-22 09:17:08.189');
    }
  });

  it.each([1, 7, 42, 2026])('keeps every value in range with seed %d', (seed) => {
    // Act
    const rides = ride({ names: unicornNames(3), seed }, 600);

    // Assess
    for (const records of rides.values()) {
      for (const r of records) {
        expect(Number.isInteger(r.Distance)).toBe(true);
        expect(r.Distance).toBeGreaterThanOrEqual(100);
        expect(r.Distance).toBeLessThanOrEqual(220);
        expect(decimals(r.Latitude)).toBeLessThanOrEqual(6);
        expect(decimals(r.Longitude)).toBeLessThanOrEqual(6);
        expect(haversine(HOME, { lat: r.Latitude, lon: r.Longitude })).toBeLessThan(40_000);
        expect(Number.isInteger(r.MagicPoints) && r.MagicPoints >= 0).toBe(true);
        expect(Number.isInteger(r.HealthPoints) && r.HealthPoints >= 0).toBe(true);
      }
      const first = records[0];
      expect(first?.MagicPoints).toBeGreaterThanOrEqual(140);
      expect(first?.MagicPoints).toBeLessThanOrEqual(160);
      expect(first?.HealthPoints).toBeGreaterThanOrEqual(140);
      expect(first?.HealthPoints).toBeLessThanOrEqual(160);
    }
  });

  it('drifts magic and health points by at most 1 per tick', () => {
    // Act
    const rides = ride({ names: unicornNames(6), seed: 3 }, 2_000);

    // Assess
    for (const records of rides.values()) {
      for (const [a, b] of pairs(records)) {
        expect(Math.abs(b.MagicPoints - a.MagicPoints)).toBeLessThanOrEqual(1);
        expect(Math.abs(b.HealthPoints - a.HealthPoints)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('moves each unicorn by Distance metres between consecutive records (haversine, ±1 m)', () => {
    // Act
    const rides = ride({ names: unicornNames(3), seed: 11 }, 3_000);

    // Assess
    for (const records of rides.values()) {
      for (const [a, b] of pairs(records)) {
        const metres = haversine(
          { lat: a.Latitude, lon: a.Longitude },
          { lat: b.Latitude, lon: b.Longitude },
        );
        expect(Math.abs(metres - b.Distance)).toBeLessThan(1);
      }
    }
  });

  it.each([1, 2, 3, 7, 99])(
    'tires the chosen unicorns below 50 within 120 ticks, the others never (seed %d)',
    (seed) => {
      // Prepare
      const names = unicornNames(6);
      const tired = createFleet({ names, seed }).tired;

      // Act
      const rides = ride({ names, seed }, 5_000);

      // Assess
      for (const [name, records] of rides) {
        const lowest = Math.min(...records.map((r) => r.MagicPoints));
        if (tired.includes(name)) {
          expect(records.slice(0, 120).some((r) => r.MagicPoints < 50)).toBe(true);
          expect(lowest).toBeGreaterThanOrEqual(0);
        } else {
          expect(lowest).toBeGreaterThan(50);
        }
      }
    },
  );

  it('gives the same records for the same seed, other records for another seed', () => {
    // Act
    const a = ride({ names: unicornNames(3), seed: 5 }, 200);
    const b = ride({ names: unicornNames(3), seed: 5 }, 200);
    const c = ride({ names: unicornNames(3), seed: 6 }, 200);

    // Assess
    expect(a).toEqual(b);
    expect(a.get('Shadowfax')).not.toEqual(c.get('Shadowfax'));
  });

  it("keeps a unicorn's ride whoever else rides with it", () => {
    // Act
    const alone = ride({ names: ['Pegasus'], seed: 9, tired: ['Pegasus'] }, 300);
    const together = ride({ names: ['Shadowfax', 'Pegasus'], seed: 9, tired: ['Pegasus'] }, 300);

    // Assess
    expect(together.get('Pegasus')).toEqual(alone.get('Pegasus'));
  });

  it('tires exactly the unicorns named by `tired`', () => {
    // Prepare
    const names = unicornNames(3);

    // Act
    const fleet = createFleet({ names, seed: 1, tired: ['Bucephalus'] });
    const rides = ride({ names, seed: 1, tired: ['Bucephalus'] }, 200);

    // Assess
    expect(fleet.tired).toEqual(['Bucephalus']);
    expect(rides.get('Bucephalus')?.some((r) => r.MagicPoints < 50)).toBe(true);
    expect(rides.get('Shadowfax')?.every((r) => r.MagicPoints > 50)).toBe(true);
    expect(rides.get('Rocinante')?.every((r) => r.MagicPoints > 50)).toBe(true);
  });
});

describe('tiringUnicorns', () => {
  it('tires one of three unicorns with the default seed', () => {
    // Act
    const tired = tiringUnicorns(unicornNames(3), 1);

    // Assess
    expect(tired).toHaveLength(1);
  });

  it.each([
    [1, 1],
    [2, 1],
    [3, 1],
    [4, 2],
    [6, 2],
    [7, 3],
  ])('tires a third, rounded up, of %d unicorns: %d', (n, expected) => {
    // Act & Assess
    for (let seed = 0; seed < 30; seed++)
      expect(tiringUnicorns(unicornNames(n), seed)).toHaveLength(expected);
  });

  it('lets the seed choose which unicorns tire', () => {
    // Act
    const choices = new Set(
      Array.from({ length: 30 }, (_, seed) => tiringUnicorns(unicornNames(3), seed).join()),
    );

    // Assess
    expect(choices.size).toBe(3);
  });
});

describe("the producer's records and the handlers' parser", () => {
  it.each([
    ['a healthy fleet', { names: unicornNames(5), seed: 7, tired: [] }],
    ['a fleet that tires', { names: unicornNames(3), seed: 11, tired: unicornNames(3) }],
  ])('every record of %s parses as the contract says', (_, opts) => {
    // Prepare
    const records = [...ride(opts, 600).values()].flat();

    // Act
    const problems = records.flatMap((record) => statusProblems(JSON.parse(JSON.stringify(record))));

    // Assess
    expect(records).toHaveLength(opts.names.length * 600);
    expect(problems).toEqual([]);
  });
});
