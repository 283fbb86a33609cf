import { describe, expect, it } from 'vitest';
import { cpuBetween, statFields } from './cpu-split.ts';

describe('statFields', () => {
  it('cuts a /proc stat line after the command name, even one with spaces and parentheses', () => {
    // Prepare
    const line = '4242 (node (worker) x) S 17 4242 17 0 -1 4194560 1 0 0 0 250 30 7 2 20 0 11';

    // Act
    const fields = statFields(line);

    // Assess
    expect(fields[0]).toBe('S');
    expect(fields[1]).toBe('17');
    expect(fields.slice(11, 15)).toEqual(['250', '30', '7', '2']);
  });
});

describe('cpuBetween', () => {
  it('is what each part used between two readings; a part that started in between counts whole', () => {
    // Prepare
    const before = new Map([
      ['local cloud', 10],
      ['wildrydes-aggregate', 2],
    ]);
    const after = new Map([
      ['local cloud', 25.5],
      ['wildrydes-aggregate', 5],
      ['wildrydes-persist', 4],
    ]);

    // Act
    const used = cpuBetween(before, after);

    // Assess
    expect([...used]).toEqual([
      ['local cloud', 15.5],
      ['wildrydes-aggregate', 3],
      ['wildrydes-persist', 4],
    ]);
  });

  it('never counts less than nothing (processes that ended in between took their CPU with them)', () => {
    // Act
    const used = cpuBetween(new Map([['wildrydes-persist', 9]]), new Map([['wildrydes-persist', 1]]));

    // Assess
    expect(used.get('wildrydes-persist')).toBe(0);
  });
});
