import { describe, expect, it } from 'vitest';
import type { UnicornAggregate } from '../contracts/telemetry.ts';
import { status } from '../testing/streams.ts';
import { recent, statusTimeMs, Tracks, Windows } from './model.ts';
import { pickNames } from './readers/table.ts';

const at = (second: number) => `2026-11-22 09:17:${String(second).padStart(2, '0')}.000`;

const window = (over: Partial<UnicornAggregate>): UnicornAggregate => ({
  Name: 'Shadowfax',
  StatusTime: '2026-11-22 09:17:00.000',
  Distance: 1_000,
  MinMagicPoints: 100,
  MaxMagicPoints: 110,
  MinHealthPoints: 140,
  MaxHealthPoints: 150,
  ...over,
});

describe('Tracks', () => {
  it("keeps each unicorn's records in time order, its last one as its position", () => {
    // Prepare
    const tracks = new Tracks();

    // Act
    const changed = tracks.add([
      status({ StatusTime: at(1), Latitude: 42.1 }),
      status({ Name: 'Rocinante', StatusTime: at(1) }),
      status({ StatusTime: at(3), Latitude: 42.3 }),
      status({ StatusTime: at(2), Latitude: 42.2 }),
    ]);

    // Assess
    expect([...changed].sort()).toEqual(['Rocinante', 'Shadowfax']);
    expect(tracks.names()).toEqual(['Rocinante', 'Shadowfax']);
    expect(tracks.track('Shadowfax').map((s) => s.lat)).toEqual([42.1, 42.2, 42.3]);
    expect(tracks.last('Shadowfax')?.lat).toBe(42.3);
  });

  it('keeps a record read twice once (a re-read after an expired iterator)', () => {
    // Prepare
    const tracks = new Tracks();
    tracks.add([status({ StatusTime: at(1) }), status({ StatusTime: at(2) })]);

    // Act
    tracks.add([status({ StatusTime: at(2) })]);

    // Assess
    expect(tracks.track('Shadowfax')).toHaveLength(2);
  });

  it('keeps the newest `limit` records of each unicorn', () => {
    // Prepare
    const tracks = new Tracks(3);

    // Act
    tracks.add([1, 2, 3, 4, 5].map((s) => status({ StatusTime: at(s), MagicPoints: 100 + s })));

    // Assess
    expect(tracks.track('Shadowfax').map((s) => s.magic)).toEqual([103, 104, 105]);
  });

  it('replays a short tail of each track to a new page when there are many unicorns', () => {
    // Prepare
    const tracks = new Tracks();
    for (let s = 0; s < 30; s++) {
      tracks.add([status({ StatusTime: at(s) }), status({ Name: 'Rocinante', StatusTime: at(s) })]);
    }

    // Act
    const all = tracks.toStatuses();
    const budgeted = tracks.toStatuses(20);

    // Assess
    expect(all).toHaveLength(60);
    expect(budgeted).toHaveLength(20);
    expect(budgeted.filter((s) => s.Name === 'Rocinante').at(-1)?.StatusTime).toBe(at(29));
  });

  it('skips a record whose time is not a StatusTime', () => {
    // Prepare
    const tracks = new Tracks();

    // Act
    const changed = tracks.add([status({ StatusTime: 'yesterday' })]);

    // Assess
    expect(changed.size).toBe(0);
    expect(tracks.size).toBe(0);
  });
});

describe('recent', () => {
  it('keeps the samples of the last span before the newest one', () => {
    // Prepare
    const tracks = new Tracks();
    tracks.add([0, 10, 20, 30].map((s) => status({ StatusTime: at(s) })));

    // Act
    const last15 = recent(tracks.track('Shadowfax'), 15_000);

    // Assess
    expect(last15.map((s) => s.t)).toEqual([statusTimeMs(at(20)), statusTimeMs(at(30))]);
    expect(recent([], 15_000)).toEqual([]);
  });
});

describe('Windows', () => {
  it('holds one row per unicorn and window start, a later write replacing it (as a put does)', () => {
    // Prepare
    const windows = new Windows();
    windows.upsert([window({}), window({ Name: 'Rocinante' })]);

    // Act
    const changed = windows.upsert([window({ Distance: 2_000 }), window({ Name: 'Rocinante' })]);

    // Assess
    expect(changed).toEqual([window({ Distance: 2_000 })]);
    expect(windows.of('Shadowfax')).toEqual([window({ Distance: 2_000 })]);
    expect(windows.all().map((w) => w.Name)).toEqual(['Rocinante', 'Shadowfax']);
  });

  it('keeps the newest windows of each unicorn, newest first', () => {
    // Prepare
    const windows = new Windows(2);

    // Act
    windows.upsert([0, 1, 2].map((m) => window({ StatusTime: `2026-11-22 09:1${m}:00.000` })));

    // Assess
    expect(windows.of('Shadowfax').map((w) => w.StatusTime)).toEqual([
      '2026-11-22 09:12:00.000',
      '2026-11-22 09:11:00.000',
    ]);
  });
});

describe('pickNames (which unicorns the table reader queries)', () => {
  it.each([
    ['all when few', ['a', 'b', 'c'], [], 0, 5, ['a', 'b', 'c']],
    ['the moved first, then in turns', ['a', 'b', 'c', 'd'], ['d'], 1, 3, ['d', 'b', 'c']],
    ['wrapping around', ['a', 'b', 'c', 'd'], [], 3, 2, ['d', 'a']],
    ['none when there is no unicorn', [], [], 0, 5, []],
  ])('%s', (_what, names, first, turn, limit, expected) => {
    // Act
    const chosen = pickNames(names, first, turn, limit);

    // Assess
    expect(chosen).toEqual(expected);
  });
});
