/**
 * The dashboard's data shaping, shared by its server (readers) and its page (bundled by esbuild):
 * tracks per unicorn, aggregate windows as the table holds them, and alerts. Pure: no Node, no DOM.
 */
import type { UnicornAggregate, UnicornStatus } from '../contracts/telemetry.ts';

/** Positions and points kept per unicorn: five minutes at one record a second. */
export const TRACK_LENGTH = 300;
/** Aggregate windows kept per unicorn (the newest). */
export const WINDOWS_PER_UNICORN = 10;

/** One record of one unicorn, as the page draws it (`t`: `StatusTime` in ms since the epoch). */
export interface Sample {
  t: number;
  lat: number;
  lon: number;
  distance: number;
  magic: number;
  health: number;
}

/** `StatusTime` (UTC, `YYYY-MM-DD HH:mm:ss.SSS`) in ms since the epoch; NaN if it is not one. */
export const statusTimeMs = (text: string): number => Date.parse(`${text.replace(' ', 'T')}Z`);

/** A raw record as a sample. */
export const sampleOf = (s: UnicornStatus): Sample => ({
  t: statusTimeMs(s.StatusTime),
  lat: s.Latitude,
  lon: s.Longitude,
  distance: s.Distance,
  magic: s.MagicPoints,
  health: s.HealthPoints,
});

/**
 * Every unicorn's recent samples, oldest first, at most `limit` each. Records arrive in order per
 * unicorn (one shard per partition key), but a record older than the newest is still placed in
 * order, so a re-read after a reconnect never scrambles a track.
 */
export class Tracks {
  readonly #tracks = new Map<string, Sample[]>();
  constructor(readonly limit = TRACK_LENGTH) {}

  /** Adds records; returns the names of the unicorns that changed. */
  add(statuses: readonly UnicornStatus[]): Set<string> {
    const changed = new Set<string>();
    for (const status of statuses) {
      const sample = sampleOf(status);
      if (Number.isNaN(sample.t)) continue;
      let track = this.#tracks.get(status.Name);
      if (!track) {
        track = [];
        this.#tracks.set(status.Name, track);
      }
      insertInOrder(track, sample);
      if (track.length > this.limit) track.splice(0, track.length - this.limit);
      changed.add(status.Name);
    }
    return changed;
  }

  /** A unicorn's samples, oldest first (empty if unknown). */
  track(name: string): readonly Sample[] {
    return this.#tracks.get(name) ?? [];
  }

  /** A unicorn's last reported sample. */
  last(name: string): Sample | undefined {
    return this.#tracks.get(name)?.at(-1);
  }

  /** Every unicorn's name, sorted. */
  names(): string[] {
    return [...this.#tracks.keys()].sort();
  }

  get size(): number {
    return this.#tracks.size;
  }

  /**
   * The records to replay to a new page, as raw records: the newest of each track, at most
   * `budget` in all (so a page opened on 1,000 unicorns gets a short tail of each, not 300,000).
   */
  toStatuses(budget = 30_000): UnicornStatus[] {
    const each = Math.max(10, Math.floor(budget / Math.max(1, this.#tracks.size)));
    const out: UnicornStatus[] = [];
    for (const [name, track] of this.#tracks) for (const s of track.slice(-each)) out.push(statusOf(name, s));
    return out;
  }

  clear(): void {
    this.#tracks.clear();
  }
}

function insertInOrder(track: Sample[], sample: Sample): void {
  let i = track.length;
  while (i > 0 && (track[i - 1] as Sample).t > sample.t) i--;
  // The same record read twice (a re-read after an expired iterator) is kept once.
  if (i > 0 && (track[i - 1] as Sample).t === sample.t) return;
  track.splice(i, 0, sample);
}

/** A sample back as the raw record it came from. */
export const statusOf = (name: string, s: Sample): UnicornStatus => ({
  Name: name,
  StatusTime: new Date(s.t).toISOString().replace('T', ' ').replace('Z', ''),
  Latitude: s.lat,
  Longitude: s.lon,
  Distance: s.distance,
  MagicPoints: s.magic,
  HealthPoints: s.health,
});

/** The samples of the last `spanMs` before the newest one (the chart's "last minutes"). */
export function recent(track: readonly Sample[], spanMs: number): readonly Sample[] {
  const newest = track.at(-1);
  if (!newest) return track;
  const from = newest.t - spanMs;
  let i = track.length;
  while (i > 0 && (track[i - 1] as Sample).t >= from) i--;
  return i === 0 ? track : track.slice(i);
}

/**
 * The aggregate windows as the table holds them: one row per (Name, StatusTime), a later write
 * of the same key replacing the earlier (as a DynamoDB put does), the newest `perUnicorn` kept.
 */
export class Windows {
  readonly #rows = new Map<string, Map<string, UnicornAggregate>>();
  constructor(readonly perUnicorn = WINDOWS_PER_UNICORN) {}

  /** Upserts rows; returns the rows that are new or changed. */
  upsert(rows: readonly UnicornAggregate[]): UnicornAggregate[] {
    const changed: UnicornAggregate[] = [];
    for (const row of rows) {
      let byTime = this.#rows.get(row.Name);
      if (!byTime) {
        byTime = new Map();
        this.#rows.set(row.Name, byTime);
      }
      const before = byTime.get(row.StatusTime);
      if (before && sameAggregate(before, row)) continue;
      byTime.set(row.StatusTime, { ...row });
      changed.push(row);
      if (byTime.size > this.perUnicorn) {
        const oldest = [...byTime.keys()].sort().slice(0, byTime.size - this.perUnicorn);
        for (const key of oldest) byTime.delete(key);
      }
    }
    return changed;
  }

  /** A unicorn's windows, newest first. */
  of(name: string): UnicornAggregate[] {
    const byTime = this.#rows.get(name);
    if (!byTime) return [];
    return [...byTime.values()].sort((a, b) => b.StatusTime.localeCompare(a.StatusTime));
  }

  /** Every row: newest window first, then by name. */
  all(): UnicornAggregate[] {
    const rows: UnicornAggregate[] = [];
    for (const byTime of this.#rows.values()) rows.push(...byTime.values());
    return rows.sort((a, b) => b.StatusTime.localeCompare(a.StatusTime) || a.Name.localeCompare(b.Name));
  }

  clear(): void {
    this.#rows.clear();
  }
}

const sameAggregate = (a: UnicornAggregate, b: UnicornAggregate): boolean =>
  a.Distance === b.Distance &&
  a.MinMagicPoints === b.MinMagicPoints &&
  a.MaxMagicPoints === b.MaxMagicPoints &&
  a.MinHealthPoints === b.MinHealthPoints &&
  a.MaxHealthPoints === b.MaxHealthPoints;
