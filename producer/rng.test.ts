import { describe, expect, it } from 'vitest';
import { destination, haversine } from './geo.ts';
import { hashSeed, mulberry32, randomInt } from './rng.ts';

describe('mulberry32', () => {
  it('gives the same numbers for the same seed, others for another seed', () => {
    // Act
    const a = Array.from({ length: 5 }, mulberry32(7));
    const b = Array.from({ length: 5 }, mulberry32(7));
    const c = Array.from({ length: 5 }, mulberry32(8));

    // Assess
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    // Prepare
    const random = mulberry32(42);
    const buckets = Array(10).fill(0);

    // Act
    for (let i = 0; i < 100_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
      buckets[Math.floor(x * 10)]++;
    }

    // Assess
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('is pinned: the same seed gives the same rides in every release', () => {
    // Act & Assess
    expect(mulberry32(1)()).toBeCloseTo(0.6270739405881613, 15);
  });
});

describe('hashSeed', () => {
  it.each([
    [1, 'Shadowfax', 1, 'Rocinante'],
    [1, 'Shadowfax', 2, 'Shadowfax'],
  ])('separates (%d, %s) from (%d, %s)', (s1, t1, s2, t2) => {
    // Act & Assess
    expect(hashSeed(s1, t1)).not.toBe(hashSeed(s2, t2));
  });
});

describe('randomInt', () => {
  it('covers both ends and nothing outside', () => {
    // Prepare
    const random = mulberry32(3);

    // Act
    const seen = new Set(Array.from({ length: 1_000 }, () => randomInt(random, -2, 2)));

    // Assess
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2]);
  });
});

describe('geo', () => {
  it('measures Boston to New York as about 306 km', () => {
    // Act
    const metres = haversine({ lat: 42.3601, lon: -71.0589 }, { lat: 40.7128, lon: -74.006 });

    // Assess
    expect(metres / 1000).toBeCloseTo(306, 0);
  });

  it.each([0, 1, 2.5, -2])('lands `d` metres away along heading %d rad', (heading) => {
    // Prepare
    const from = { lat: 42.26, lon: -71.97 };

    // Act
    const to = destination(from, heading, 175);

    // Assess
    expect(haversine(from, to)).toBeCloseTo(175, 6);
  });
});
