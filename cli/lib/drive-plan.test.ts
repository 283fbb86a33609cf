import { describe, expect, it } from 'vitest';
import { MAGIC_THRESHOLD } from '../../contracts/threshold.ts';
import { freshName, RIDE_TICKS, rideAggregates, ridePlan, rideRecords } from './drive-plan.ts';

describe('freshName', () => {
  it('gives a new name for another time or another draw, of letters, digits and one dash', () => {
    // Act
    const a = freshName('Tester', 1_764_000_000_000, () => 0.5);
    const b = freshName('Tester', 1_764_000_001_000, () => 0.5);
    const c = freshName('Tester', 1_764_000_000_000, () => 0.25);

    // Assess
    expect(new Set([a, b, c]).size).toBe(3);
    for (const name of [a, b, c]) expect(name).toMatch(/^Tester-[a-z0-9]{8}$/);
  });
});

describe('ridePlan', () => {
  let n = 0;
  const fresh = (base: string) => `${base}-${n++}`;

  it('sends one unicorn for modules 2 to 4, none of them tiring', () => {
    // Act
    const plan = ridePlan('module4', fresh);

    // Assess
    expect(plan.unicorns).toHaveLength(1);
    expect(plan.tired).toBeUndefined();
  });

  it('sends a tiring and a healthy unicorn for the extra credit', () => {
    // Act
    const plan = ridePlan('extra', fresh);

    // Assess
    expect(plan.unicorns).toHaveLength(2);
    expect(plan.unicorns).toContain(plan.tired);
    expect(new Set(plan.unicorns).size).toBe(2);
  });
});

describe('rideRecords', () => {
  const end = new Date('2026-12-02T12:00:00.000Z');

  it('gives one record per unicorn per simulated second, ending at the given time', () => {
    // Act
    const records = rideRecords({ unicorns: ['A', 'B'] }, end, 7);

    // Assess
    expect(records).toHaveLength(2 * RIDE_TICKS);
    expect(records.at(-1)?.StatusTime).toBe('2026-12-02 12:00:00.000');
    expect(records[0]?.StatusTime).toBe('2026-12-02 11:57:01.000');
  });

  it('tires only the unicorn the plan names: its magic falls below the threshold, the other stays above', () => {
    // Act
    const records = rideRecords({ unicorns: ['Tired', 'Fine'], tired: 'Tired' }, end, 7);
    const lowest = (name: string) =>
      Math.min(...records.filter((r) => r.Name === name).map((r) => r.MagicPoints));

    // Assess
    expect(lowest('Tired')).toBeLessThan(MAGIC_THRESHOLD);
    expect(lowest('Fine')).toBeGreaterThanOrEqual(MAGIC_THRESHOLD);
  });

  it('tires nobody when the plan names no tiring unicorn, even a fleet of one', () => {
    // Act
    const records = rideRecords({ unicorns: ['Solo'] }, end, 7);

    // Assess
    expect(Math.min(...records.map((r) => r.MagicPoints))).toBeGreaterThanOrEqual(MAGIC_THRESHOLD);
  });
});

describe('rideAggregates', () => {
  const end = new Date('2026-12-02T12:00:09.000Z');

  it('sums up a ride per unicorn per window, conserving distance, min and max', () => {
    // Arrange
    const records = rideRecords({ unicorns: ['A', 'B'] }, end, 3);

    // Act
    const aggregates = rideAggregates(records, 10);

    // Assess: 180 s ending at :09 cover 18 windows of 10 s, for each of the two unicorns.
    expect(aggregates).toHaveLength(2 * 18);
    for (const name of ['A', 'B']) {
      const raw = records.filter((r) => r.Name === name);
      const mine = aggregates.filter((a) => a.Name === name);
      expect(mine.reduce((sum, a) => sum + a.Distance, 0)).toBe(raw.reduce((sum, r) => sum + r.Distance, 0));
      expect(Math.min(...mine.map((a) => a.MinMagicPoints))).toBe(Math.min(...raw.map((r) => r.MagicPoints)));
      expect(Math.max(...mine.map((a) => a.MaxHealthPoints))).toBe(
        Math.max(...raw.map((r) => r.HealthPoints)),
      );
    }
    expect(aggregates.map((a) => a.StatusTime)).toContain('2026-12-02 12:00:00.000');
    expect(aggregates.every((a) => /0\.000$/.test(a.StatusTime))).toBe(true);
  });
});
