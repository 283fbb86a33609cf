import { describe, expect, it } from 'vitest';
import type { UnicornStatus } from '../contracts/telemetry.ts';
import { conservationMisses, type UnicornTotals } from './conservation.ts';

const status = (
  Name: string,
  Distance: number,
  MagicPoints: number,
  HealthPoints: number,
): UnicornStatus => ({
  Name,
  StatusTime: '2026-12-03 07:10:20.211',
  Latitude: 42.26,
  Longitude: -71.8,
  Distance,
  MagicPoints,
  HealthPoints,
});

const item = (Name: string, StatusTime: string, n: number[]): UnicornTotals => ({
  Name,
  StatusTime,
  Distance: n[0] ?? 0,
  MinMagicPoints: n[1] ?? 0,
  MaxMagicPoints: n[2] ?? 0,
  MinHealthPoints: n[3] ?? 0,
  MaxHealthPoints: n[4] ?? 0,
});

// Two unicorns over two windows: Shadowfax's records in both, Rocinante's in the second.
const RAW = [
  status('Shadowfax', 140, 110, 150),
  status('Shadowfax', 150, 120, 140),
  status('Shadowfax', 145, 100, 160),
  status('Rocinante', 130, 90, 180),
];
const ITEMS = [
  item('Shadowfax', '2026-12-03 07:10:15.000', [290, 110, 120, 140, 150]),
  item('Shadowfax', '2026-12-03 07:10:20.000', [145, 100, 100, 160, 160]),
  item('Rocinante', '2026-12-03 07:10:20.000', [130, 90, 90, 180, 180]),
];

describe('conservationMisses', () => {
  it('finds nothing when the windows add up to the raw records, per unicorn', () => {
    expect(conservationMisses(RAW, ITEMS)).toEqual([]);
  });

  it('finds a raw record the stream holds twice (the table counts it once)', () => {
    expect(conservationMisses([...RAW, RAW[3] as UnicornStatus], ITEMS)).toEqual([
      'Rocinante: Distance 130 in the table ≠ 260 raw',
    ]);
  });

  it('finds a window counted twice, and a minimum the table missed', () => {
    const items = [...ITEMS, ITEMS[2] as UnicornTotals];
    items[1] = item('Shadowfax', '2026-12-03 07:10:20.000', [145, 105, 105, 160, 160]);

    expect(conservationMisses(RAW, items)).toEqual([
      'Rocinante: Distance 260 in the table ≠ 130 raw',
      'Shadowfax: MinMagicPoints 105 in the table ≠ 100 raw',
    ]);
  });

  it('finds a unicorn on one side only', () => {
    expect(conservationMisses(RAW.slice(0, 3), ITEMS)).toEqual(['Rocinante: items with no raw record']);
    expect(conservationMisses(RAW, ITEMS.slice(0, 2))).toEqual(['Rocinante: no item in the table']);
  });
});
