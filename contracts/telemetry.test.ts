import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregate, status } from '../testing/streams.ts';
import {
  aggregateProblems,
  formatStatusTime,
  parseAggregate,
  parseStatus,
  parseStatusTime,
  statusProblems,
} from './telemetry.ts';

const sample = (file: string) =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '..', 'modules', '02-streaming-data', 'events', file), 'utf8'),
  );

describe('statusProblems', () => {
  it('accepts the sample record and the test record', () => {
    // Assess
    expect(statusProblems(sample('unicorn-status.json'))).toEqual([]);
    expect(statusProblems(status())).toEqual([]);
  });

  it.each([
    ['a missing Name', { Name: undefined }, '`Name` is missing'],
    ['an empty Name', { Name: ' ' }, '`Name` must be a non-empty string'],
    ['a numeric Name', { Name: 42 }, '`Name` must be a non-empty string'],
    ['an ISO StatusTime', { StatusTime: '2026-11-22T09:17:08.189Z' }, '`StatusTime` must be a UTC time'],
    ['an impossible date', { StatusTime: '2026-02-31 09:17:08.189' }, '`StatusTime` must be a UTC time'],
    ['a latitude beyond the pole', { Latitude: 91 }, '`Latitude` must be a number from -90 to 90'],
    ['a longitude as text', { Longitude: '-71.9' }, '`Longitude` must be a number'],
    ['a fractional Distance', { Distance: 175.5 }, '`Distance` must be an integer'],
    ['a negative Distance', { Distance: -1 }, '`Distance` must be an integer from 0'],
    ['magic points as text', { MagicPoints: '110' }, '`MagicPoints` must be an integer'],
    [
      'health points beyond reason',
      { HealthPoints: 100_000 },
      '`HealthPoints` must be an integer from 0 to 1000',
    ],
    ['NaN magic points', { MagicPoints: Number.NaN }, '`MagicPoints` must be an integer'],
  ])('rejects %s', (_, overrides, expected) => {
    // Act
    const problems = statusProblems({ ...status(), ...overrides });

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it.each([[null], [[]], ['text'], [7]])('rejects %j as not an object', (value) => {
    // Assess
    expect(statusProblems(value)).toEqual([expect.stringContaining('not a JSON object')]);
  });
});

describe('aggregateProblems', () => {
  it('accepts the sample record', () => {
    // Assess
    expect(aggregateProblems(sample('unicorn-aggregate.json'))).toEqual([]);
  });

  it.each([
    [
      'min above max magic',
      { MinMagicPoints: 124 },
      '`MinMagicPoints` (124) is above `MaxMagicPoints` (123)',
    ],
    [
      'min above max health',
      { MaxHealthPoints: 139 },
      '`MinHealthPoints` (140) is above `MaxHealthPoints` (139)',
    ],
    ['a Distance as text', { Distance: '10452' }, '`Distance` must be an integer at least 0'],
    ['a lower-case field', { Name: undefined, name: 'Shadowfax' }, '`Name` is missing'],
    ['a window start as epoch', { StatusTime: 1795338960000 }, '`StatusTime` must be a UTC time'],
  ])('rejects %s', (_, overrides, expected) => {
    // Assess
    expect(aggregateProblems({ ...aggregate(), ...overrides })).toEqual([expect.stringContaining(expected)]);
  });
});

describe('parseStatus / parseAggregate', () => {
  it('parses valid JSON into the record', () => {
    // Act
    const parsed = parseStatus(JSON.stringify(status()));

    // Assess
    expect(parsed).toEqual({ ok: true, value: status() });
  });

  it.each([
    ['not JSON', '{"Name":', 'not JSON'],
    ['a raw record', JSON.stringify(status()), '`MinMagicPoints` is missing'],
  ])('explains why %s is not an aggregate', (_, text, expected) => {
    // Act
    const parsed = parseAggregate(text);

    // Assess
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.problems).toEqual(
      expect.arrayContaining([expect.stringContaining(expected)]),
    );
  });
});

describe('StatusTime', () => {
  it.each([
    ['2026-11-22T09:17:00Z', '2026-11-22 09:17:00.000'],
    ['2026-01-02T03:04:05.006Z', '2026-01-02 03:04:05.006'],
  ])('formats %s as %s (UTC) and parses it back', (iso, text) => {
    // Act
    const formatted = formatStatusTime(new Date(iso));

    // Assess
    expect(formatted).toBe(text);
    expect(parseStatusTime(text)?.toISOString()).toBe(new Date(iso).toISOString());
  });

  it.each([
    '2026-02-29 00:00:00.000',
    '2026-04-31 12:00:00.000',
    '2026-13-01 00:00:00.000',
    '2026-00-10 00:00:00.000',
    '2026-11-00 00:00:00.000',
    '2026-11-22 24:00:00.000',
    '2026-11-22 09:60:00.000',
    '2026-11-22 09:17:60.000',
  ])('refuses %s, a time that does not exist', (text) => {
    // Assess
    expect(parseStatusTime(text)).toBeUndefined();
  });

  it.each([
    ['2024-02-29 23:59:59.999', '2024-02-29T23:59:59.999Z'],
    ['0050-01-01 00:00:00.000', '0050-01-01T00:00:00.000Z'],
  ])('takes %s (a leap day; a year below 100 is that year, not 19xx)', (text, iso) => {
    // Assess
    expect(parseStatusTime(text)?.toISOString()).toBe(iso);
  });
});
