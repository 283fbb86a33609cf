/**
 * A tiny seeded pseudo-random generator: the telemetry model never calls `Math.random`, so the
 * same seed always gives the same rides.
 */

/** A source of numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a 32-bit generator, small and fast, plenty for a simulation (not for secrets).
 * @param seed any number; only its low 32 bits are used.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a of `seed` and `text`: derives one independent 32-bit seed per unicorn from the run's seed. */
export function hashSeed(seed: number, text: string): number {
  let hash = 0x811c9dc5;
  for (const ch of `${seed >>> 0}:${text}`) {
    hash = Math.imul(hash ^ (ch.codePointAt(0) ?? 0), 0x01000193);
  }
  return hash >>> 0;
}

/** A whole number from `min` to `max`, both included. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
