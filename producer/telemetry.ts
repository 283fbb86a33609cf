/**
 * The fleet model: pure, seeded, one record per unicorn per tick. A tick is one simulated
 * second of a ride, whatever the real rate at which ticks are sent.
 */
import { formatStatusTime, type UnicornStatus } from '../contracts/telemetry.ts';
import { bearing, destination, haversine, type LatLon } from './geo.ts';
import { hashSeed, mulberry32, type Random, randomInt } from './rng.ts';

/** Where every ride starts (near Boston, as in the original workshop). */
export const HOME: LatLon = { lat: 42.26, lon: -71.97 };
/** Unicorns wander freely within this distance of home, then turn back. */
export const ROAM_RADIUS_M = 20_000;
/** Bounds of `Distance`. */
export const MIN_DISTANCE = 100;
export const MAX_DISTANCE = 220;
/** Healthy unicorns' points hover around this. */
export const HEALTHY_POINTS = 150;
/** A tired unicorn's magic points sink to this floor and hover there. */
export const TIRED_FLOOR = 20;

/** What a fleet is made of. */
export interface FleetOptions {
  /** Distinct unicorn names (also the partition keys). */
  names: readonly string[];
  seed: number;
  /** Unicorns that tire; when given, exactly these tire instead of the seed's choice. */
  tired?: readonly string[];
}

/** A fleet of unicorns riding in step. */
export interface Fleet {
  readonly names: readonly string[];
  /** The unicorns whose magic points fall below 50. */
  readonly tired: readonly string[];
  /** Advances every unicorn by one simulated second; one record per unicorn, in `names` order. */
  tick(now: Date): UnicornStatus[];
}

/**
 * The seed's choice of tiring unicorns: a third of the fleet, rounded up, so one unicorn alone
 * tires, and a fleet of two or more always has at least one tiring and one healthy unicorn. The
 * unicorns with the lowest seeded scores (a hash of the seed and the name) are the tired ones.
 */
export function tiringUnicorns(names: readonly string[], seed: number): string[] {
  const count = Math.ceil(names.length / 3);
  const ranked = names
    .map((name, index) => ({ name, index, score: hashSeed(seed, `tired:${name}`) }))
    .sort((a, b) => a.score - b.score || a.index - b.index);
  const chosen = new Set(ranked.slice(0, count).map((u) => u.name));
  return names.filter((name) => chosen.has(name));
}

/** Creates a fleet; each unicorn draws from its own generator, seeded by the seed and its name. */
export function createFleet(opts: FleetOptions): Fleet {
  const tired = opts.tired && opts.tired.length > 0 ? [...opts.tired] : tiringUnicorns(opts.names, opts.seed);
  const unicorns = opts.names.map((name) => createUnicorn(name, opts.seed, tired.includes(name)));
  return {
    names: [...opts.names],
    tired,
    tick: (now) => {
      const statusTime = formatStatusTime(now);
      return unicorns.map((unicorn) => unicorn.step(statusTime));
    },
  };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const clamp = (x: number, min: number, max: number) => Math.min(max, Math.max(min, x));

/**
 * One step of at most 1 point, pulled back towards `target` (a mean-reverting walk): a third of
 * the time each way plus a bias of up to 0.1 towards the target, a third of the time no change.
 */
export function drift(value: number, target: number, r: number): number {
  const bias = clamp((target - value) / 100, -0.3, 0.3);
  const up = (1 + bias) / 3;
  const down = (1 - bias) / 3;
  if (r < up) return 1;
  if (r < up + down) return -1;
  return 0;
}

function createUnicorn(name: string, seed: number, tired: boolean) {
  const random: Random = mulberry32(hashSeed(seed, name));
  let position: LatLon = {
    lat: round6(HOME.lat + (random() - 0.5) * 0.04),
    lon: round6(HOME.lon + (random() - 0.5) * 0.04),
  };
  let heading = random() * 2 * Math.PI;
  let speed = randomInt(random, 140, 190);
  let magic = randomInt(random, 145, 155);
  let health = randomInt(random, 145, 155);

  return {
    step(statusTime: string): UnicornStatus {
      // Every step draws the same numbers whatever the unicorn's state, so tiring changes only
      // MagicPoints, never the ride.
      speed = clamp(speed + randomInt(random, -8, 8), MIN_DISTANCE, MAX_DISTANCE);
      heading += (random() - 0.5) * 0.3;
      if (haversine(position, HOME) > ROAM_RADIUS_M) {
        const turn = Math.atan2(
          Math.sin(bearing(position, HOME) - heading),
          Math.cos(bearing(position, HOME) - heading),
        );
        heading += clamp(turn, -0.1, 0.1);
      }
      // From the rounded position to the rounded position: the haversine of two consecutive
      // records is `speed` give or take the rounding (~0.1 m), with no error piling up.
      const next = destination(position, heading, speed);
      position = { lat: round6(next.lat), lon: round6(next.lon) };
      const r = random();
      if (tired && magic > TIRED_FLOOR) magic -= r < 0.97 ? 1 : 0;
      else magic += drift(magic, tired ? TIRED_FLOOR : HEALTHY_POINTS, r);
      health += drift(health, HEALTHY_POINTS, random());
      magic = Math.max(0, magic);
      health = Math.max(0, health);
      return {
        Name: name,
        StatusTime: statusTime,
        Latitude: position.lat,
        Longitude: position.lon,
        Distance: speed,
        MagicPoints: magic,
        HealthPoints: health,
      };
    },
  };
}
