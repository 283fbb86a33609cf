import { describe, expect, it } from 'vitest';
import { overhead, percentile, spread } from './stats.ts';
import { formatTable } from './table.ts';

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100, 99, …, 1: unsorted

  it.each([
    [50, 50],
    [99, 99],
    [100, 100],
    [0, 1],
    [1, 1],
    [99.5, 100],
  ])('p%d of 1..100 is %d (nearest rank)', (p, expected) => {
    // Act
    const value = percentile(hundred, p);

    // Assess
    expect(value).toBe(expected);
  });

  it('takes the upper of two middle values for the median of an even count, and leaves the input alone', () => {
    // Prepare
    const values = [40, 10, 30, 20];

    // Act
    const median = percentile(values, 50);

    // Assess
    expect(median).toBe(20);
    expect(values).toEqual([40, 10, 30, 20]);
  });

  it.each([
    [[], 50],
    [[1], -1],
    [[1], 101],
    [[1], Number.NaN],
  ])('refuses %j at p%d', (values, p) => {
    // Act / Assess
    expect(() => percentile(values, p)).toThrow(RangeError);
  });
});

describe('spread and overhead', () => {
  it('gives the median and the range of runs', () => {
    // Act
    const s = spread([7, 3, 5]);

    // Assess
    expect(s).toEqual({ median: 5, min: 3, max: 7, runs: 3 });
  });

  it('counts overhead as extra time per record: 80 records/s through the gateway vs 100 direct is 25%', () => {
    // Act / Assess
    expect(overhead(80, 100)).toBeCloseTo(0.25);
    expect(overhead(100, 100)).toBe(0);
    expect(overhead(120, 100)).toBeCloseTo(-1 / 6);
  });
});

describe('formatTable', () => {
  it('aligns every column under its header, with a rule, and no trailing spaces', () => {
    // Act
    const lines = formatTable([
      { figure: 'a long figure name', value: '1', target: '≥ 10', met: 'no' },
      { figure: 'b', value: '12,345 records/s', target: '', met: '' },
    ]);

    // Assess
    expect(lines).toEqual([
      'figure              value             target  met?',
      '------------------  ----------------  ------  ----',
      'a long figure name  1                 ≥ 10    no',
      'b                   12,345 records/s',
    ]);
  });
});
