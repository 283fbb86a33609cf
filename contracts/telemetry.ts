/**
 * The two record shapes of the streaming modules (see contracts/README.md) and their validation.
 * Handlers, the consumer and the checks all read records through these functions, so "valid"
 * means the same thing everywhere.
 */

/** One second of one unicorn, as the producer puts it on `wildrydes` (partition key = Name). */
export interface UnicornStatus {
  Name: string;
  /** UTC, `YYYY-MM-DD HH:mm:ss.SSS`. */
  StatusTime: string;
  Latitude: number;
  Longitude: number;
  /** Metres covered in the last second. */
  Distance: number;
  MagicPoints: number;
  HealthPoints: number;
}

/** One unicorn over one window, on `wildrydes-aggregated` and in `UnicornSensorData`. */
export interface UnicornAggregate {
  Name: string;
  /** The window start, UTC, `YYYY-MM-DD HH:mm:ss.SSS`. */
  StatusTime: string;
  /** Sum of the raw `Distance` over the window. */
  Distance: number;
  MinMagicPoints: number;
  MaxMagicPoints: number;
  MinHealthPoints: number;
  MaxHealthPoints: number;
  /**
   * Which part of the window this record sums up (on the stream, not in the table): Lambda may
   * end a window early and go on with a fresh state, so one unicorn's window can come in several
   * parts, and a retry may deliver a part twice. Module 3 names each part
   * (`shardId-000000000000/<sequence number of its first record>`), module 4 merges distinct parts.
   */
  Part?: string;
}

/** The numbers of an aggregate, the ones that merge. */
export const AGGREGATE_NUMBERS = [
  'Distance',
  'MinMagicPoints',
  'MaxMagicPoints',
  'MinHealthPoints',
  'MaxHealthPoints',
] as const;

/** Two aggregates of one unicorn as one: distances add up, minima and maxima are kept. */
export function mergeAggregates<T extends UnicornAggregate>(a: T, b: UnicornAggregate): T {
  return {
    ...a,
    Distance: a.Distance + b.Distance,
    MinMagicPoints: Math.min(a.MinMagicPoints, b.MinMagicPoints),
    MaxMagicPoints: Math.max(a.MaxMagicPoints, b.MaxMagicPoints),
    MinHealthPoints: Math.min(a.MinHealthPoints, b.MinHealthPoints),
    MaxHealthPoints: Math.max(a.MaxHealthPoints, b.MaxHealthPoints),
  };
}

type Rule =
  | { kind: 'name' }
  | { kind: 'time' }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'integer'; min: number; max: number };

// Ranges are generous bounds of what the producer sends: a value outside them is a bug, not a
// tired unicorn. Points start near 150 and drift by at most 1 a second.
const POINTS: Rule = { kind: 'integer', min: 0, max: 1_000 };

const statusRules: Record<keyof UnicornStatus, Rule> = {
  Name: { kind: 'name' },
  StatusTime: { kind: 'time' },
  Latitude: { kind: 'number', min: -90, max: 90 },
  Longitude: { kind: 'number', min: -180, max: 180 },
  Distance: { kind: 'integer', min: 0, max: 1_000 },
  MagicPoints: POINTS,
  HealthPoints: POINTS,
};

const aggregateRules: Record<Exclude<keyof UnicornAggregate, 'Part'>, Rule> = {
  Name: { kind: 'name' },
  StatusTime: { kind: 'time' },
  Distance: { kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
  MinMagicPoints: POINTS,
  MaxMagicPoints: POINTS,
  MinHealthPoints: POINTS,
  MaxHealthPoints: POINTS,
};

const TIME_FORMAT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})$/;

/** Formats a date as the workshop's `StatusTime`: UTC, `YYYY-MM-DD HH:mm:ss.SSS`. */
export function formatStatusTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** Parses a `StatusTime` (UTC); undefined if it is not one. */
export function parseStatusTime(text: string): Date | undefined {
  const match = TIME_FORMAT.exec(text);
  if (!match) return undefined;
  // Seven fields, all digits (the regex): the defaults are never used.
  const [year = 0, month = 0, day = 0, hours = 0, minutes = 0, seconds = 0, ms = 0] = match
    .slice(1)
    .map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hours, minutes, seconds, ms);
  // Date rolls 2026-02-31 over into March (and 24:00 into the next day): a field that comes back
  // changed was out of range. Every record is checked, so no string round trip here.
  const exact =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hours &&
    date.getUTCMinutes() === minutes &&
    date.getUTCSeconds() === seconds;
  return exact ? date : undefined;
}

const show = (value: unknown) => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value));

function ruleProblem(field: string, rule: Rule, value: unknown): string | undefined {
  if (value === undefined) return `\`${field}\` is missing`;
  switch (rule.kind) {
    case 'name':
      return typeof value === 'string' && value.trim() !== '' && value.length <= 64
        ? undefined
        : `\`${field}\` must be a non-empty string of at most 64 characters, got ${show(value)}`;
    case 'time':
      return typeof value === 'string' && parseStatusTime(value)
        ? undefined
        : `\`${field}\` must be a UTC time like '2026-11-22 09:17:08.189', got ${show(value)}`;
    case 'number':
    case 'integer': {
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (rule.kind === 'number' || Number.isInteger(value)) &&
        value >= rule.min &&
        value <= rule.max;
      if (ok) return undefined;
      const range =
        rule.max === Number.MAX_SAFE_INTEGER ? `at least ${rule.min}` : `from ${rule.min} to ${rule.max}`;
      return `\`${field}\` must be ${rule.kind === 'integer' ? 'an integer' : 'a number'} ${range}, got ${show(value)}`;
    }
  }
}

function problemsOf(value: unknown, rules: Record<string, Rule>): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`not a JSON object: ${show(value)}`];
  }
  const record = value as Record<string, unknown>;
  return Object.entries(rules).flatMap(([field, rule]) => ruleProblem(field, rule, record[field]) ?? []);
}

/** What is wrong with a raw telemetry record (empty when it is valid). */
export function statusProblems(value: unknown): string[] {
  return problemsOf(value, statusRules);
}

/** What is wrong with an aggregated record or item (empty when it is valid). */
export function aggregateProblems(value: unknown): string[] {
  const problems = problemsOf(value, aggregateRules);
  if (problems.length > 0) return problems;
  const a = value as UnicornAggregate;
  if (a.Part !== undefined && (typeof a.Part !== 'string' || a.Part === '' || a.Part.length > 256))
    problems.push(`\`Part\` must be a non-empty string of at most 256 characters, got ${show(a.Part)}`);
  if (a.MinMagicPoints > a.MaxMagicPoints)
    problems.push(
      `\`MinMagicPoints\` (${a.MinMagicPoints}) is above \`MaxMagicPoints\` (${a.MaxMagicPoints})`,
    );
  if (a.MinHealthPoints > a.MaxHealthPoints)
    problems.push(
      `\`MinHealthPoints\` (${a.MinHealthPoints}) is above \`MaxHealthPoints\` (${a.MaxHealthPoints})`,
    );
  return problems;
}

/** Whether a value (an item, a parsed record) is a valid aggregated record. */
export const isAggregate = (value: unknown): value is UnicornAggregate =>
  aggregateProblems(value).length === 0;

/** A record decoded and validated: the value, or why it is not one. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

function parseWith<T>(text: string, problemsFn: (value: unknown) => string[]): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problems: [`not JSON: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`] };
  }
  const problems = problemsFn(value);
  return problems.length === 0 ? { ok: true, value: value as T } : { ok: false, problems };
}

/** Parses the text of a raw telemetry record. */
export const parseStatus = (text: string): Parsed<UnicornStatus> => parseWith(text, statusProblems);

/** Parses the text of an aggregated record. */
export const parseAggregate = (text: string): Parsed<UnicornAggregate> => parseWith(text, aggregateProblems);

/** The text of a Kinesis record as Lambda delivers it (base64). */
export const decodeKinesisData = (base64: string): string => Buffer.from(base64, 'base64').toString('utf8');
