import { describe, expect, it } from 'vitest';
import { aggregateProblems, type UnicornStatus } from '../../contracts/telemetry.ts';
import { status } from '../../testing/streams.ts';
import { aggregatesOf, foldStatuses, type WindowState } from './aggregate.ts';

/** A small deterministic generator (mulberry32), so the property tests are repeatable. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` seconds of telemetry for a few unicorns, points drifting by at most 1 a tick. */
function telemetry(seed: number, count: number): UnicornStatus[] {
  const next = random(seed);
  const names = ['Shadowfax', 'Rocinante', 'Bucephalus'];
  const points = new Map(names.map((n) => [n, { magic: 150, health: 150 }]));
  return Array.from({ length: count }, (_, i) => {
    const Name = names[Math.floor(next() * names.length)] ?? 'Shadowfax';
    const p = points.get(Name) ?? { magic: 150, health: 150 };
    p.magic += Math.round(next() * 2) - 1;
    p.health += Math.round(next() * 2) - 1;
    return status({
      Name,
      Distance: 100 + Math.floor(next() * 121),
      MagicPoints: p.magic,
      HealthPoints: p.health,
      StatusTime: `2026-11-22 09:17:${String(i % 60).padStart(2, '0')}.000`,
    });
  });
}

describe('foldStatuses', () => {
  it('starts a tally for a unicorn seen for the first time', () => {
    // Act
    const state = foldStatuses({}, [status({ Distance: 175, MagicPoints: 110, HealthPoints: 150 })]);

    // Assess
    expect(state).toEqual({
      Shadowfax: {
        Distance: 175,
        MinMagicPoints: 110,
        MaxMagicPoints: 110,
        MinHealthPoints: 150,
        MaxHealthPoints: 150,
      },
    });
  });

  it('adds distances and keeps the min and max of the points, per unicorn', () => {
    // Prepare
    const batch = [
      status({ Distance: 175, MagicPoints: 110, HealthPoints: 150 }),
      status({ Name: 'Rocinante', Distance: 100, MagicPoints: 49, HealthPoints: 133 }),
      status({ Distance: 181, MagicPoints: 111, HealthPoints: 149 }),
      status({ Distance: 160, MagicPoints: 109, HealthPoints: 151 }),
    ];

    // Act
    const state = foldStatuses({}, batch);

    // Assess
    expect(state).toEqual({
      Shadowfax: {
        Distance: 516,
        MinMagicPoints: 109,
        MaxMagicPoints: 111,
        MinHealthPoints: 149,
        MaxHealthPoints: 151,
      },
      Rocinante: {
        Distance: 100,
        MinMagicPoints: 49,
        MaxMagicPoints: 49,
        MinHealthPoints: 133,
        MaxHealthPoints: 133,
      },
    });
  });

  it('carries the state of earlier invocations of the window', () => {
    // Prepare
    const earlier: WindowState = {
      Shadowfax: {
        Distance: 1000,
        MinMagicPoints: 100,
        MaxMagicPoints: 120,
        MinHealthPoints: 140,
        MaxHealthPoints: 160,
      },
    };

    // Act
    const state = foldStatuses(earlier, [status({ Distance: 175, MagicPoints: 99, HealthPoints: 161 })]);

    // Assess
    expect(state.Shadowfax).toEqual({
      Distance: 1175,
      MinMagicPoints: 99,
      MaxMagicPoints: 120,
      MinHealthPoints: 140,
      MaxHealthPoints: 161,
    });
  });

  it('does not change the state it is given (Lambda may retry with it)', () => {
    // Prepare
    const earlier: WindowState = {
      Shadowfax: {
        Distance: 1,
        MinMagicPoints: 1,
        MaxMagicPoints: 1,
        MinHealthPoints: 1,
        MaxHealthPoints: 1,
      },
    };
    const copy = structuredClone(earlier);

    // Act
    foldStatuses(earlier, [status()]);

    // Assess
    expect(earlier).toEqual(copy);
  });

  it('treats any unicorn name as data, even __proto__', () => {
    // Act
    const state = foldStatuses({}, [status({ Name: '__proto__' })]);

    // Assess
    const roundTrip = JSON.parse(JSON.stringify(state));
    expect(Object.getOwnPropertyDescriptor(roundTrip, '__proto__')?.value).toMatchObject({ Distance: 175 });
    expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
  });

  it.each([
    [1, 300, 1],
    [2, 300, 7],
    [3, 500, 50],
    [4, 37, 100],
  ])(
    'conserves distance and extremes however a window is split into invocations (seed %i, %i records, batches of %i)',
    (seed, count, batchSize) => {
      // Prepare
      const statuses = telemetry(seed, count);

      // Act
      let state: WindowState = {};
      for (let i = 0; i < statuses.length; i += batchSize)
        state = foldStatuses(state, statuses.slice(i, i + batchSize));
      const aggregates = aggregatesOf(state, '2026-11-22 09:17:00.000');

      // Assess
      for (const a of aggregates) {
        const mine = statuses.filter((s) => s.Name === a.Name);
        expect(a.Distance).toBe(mine.reduce((sum, s) => sum + s.Distance, 0));
        expect(a.MinMagicPoints).toBe(Math.min(...mine.map((s) => s.MagicPoints)));
        expect(a.MaxMagicPoints).toBe(Math.max(...mine.map((s) => s.MagicPoints)));
        expect(a.MinHealthPoints).toBe(Math.min(...mine.map((s) => s.HealthPoints)));
        expect(a.MaxHealthPoints).toBe(Math.max(...mine.map((s) => s.HealthPoints)));
      }
      expect(aggregates.map((a) => a.Name).sort()).toEqual([...new Set(statuses.map((s) => s.Name))].sort());
    },
  );
});

describe('aggregatesOf', () => {
  it('emits one valid record per unicorn, stamped with the window start, in name order', () => {
    // Prepare
    const state = foldStatuses({}, [status({ Name: 'Shadowfax' }), status({ Name: 'Rocinante' })]);

    // Act
    const aggregates = aggregatesOf(state, '2026-11-22 09:17:00.000');

    // Assess
    expect(aggregates.map((a) => [a.Name, a.StatusTime])).toEqual([
      ['Rocinante', '2026-11-22 09:17:00.000'],
      ['Shadowfax', '2026-11-22 09:17:00.000'],
    ]);
    for (const a of aggregates) expect(aggregateProblems(a)).toEqual([]);
  });

  it('emits nothing for an empty window', () => {
    // Assess
    expect(aggregatesOf({}, '2026-11-22 09:17:00.000')).toEqual([]);
  });
});
