import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it.each([
    [1, 50],
    [2, 100],
    [4, 400],
    [6, 1_600],
    [7, 2_000],
    [30, 2_000],
  ])('waits at most min(2 s, 50 ms × 2^(%d - 1)) = %d ms by default', (retry, ceiling) => {
    // Act
    const longest = backoffDelay(retry, { random: () => 0.999_999_9 });
    const shortest = backoffDelay(retry, { random: () => 0 });

    // Assess
    expect(longest).toBeLessThanOrEqual(ceiling);
    expect(longest).toBeGreaterThanOrEqual(Math.floor(ceiling * 0.99));
    expect(shortest).toBe(0);
  });

  it('spreads the wait uniformly below the ceiling (full jitter)', () => {
    // Act
    const half = backoffDelay(3, { baseDelayMs: 100, random: () => 0.5 });

    // Assess
    expect(half).toBe(200);
  });
});
