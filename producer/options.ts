/** Checks the producer's options and turns them into what the run needs (pure, no I/O). */
import { UsageError } from '../core/errors.ts';
import { unicornNames } from './names.ts';

/** The options as yargs parsed them. */
export interface ProducerArgs {
  name?: unknown;
  unicorns?: unknown;
  tired?: unknown;
  stream?: unknown;
  region?: unknown;
  endpoint?: unknown;
  rate?: unknown;
  duration?: unknown;
  count?: unknown;
  seed?: unknown;
  dryRun?: unknown;
  quiet?: unknown;
}

/** A checked configuration. */
export interface ProducerConfig {
  names: string[];
  /** Unicorns forced to tire (`--tired`); empty lets the seed choose. */
  tired: string[];
  stream: string;
  region?: string;
  endpoint?: string;
  /** Records per unicorn per real second. */
  rate: number;
  /** Records per unicorn; `Infinity` until Ctrl-C. */
  ticks: number;
  seed: number;
  dryRun: boolean;
  quiet: boolean;
}

/** The unicorn when no `--name` or `--unicorns` is given. */
export const DEFAULT_NAME = 'Shadowfax';
/** The stream module 2 deploys. */
export const DEFAULT_STREAM = 'wildrydes';
/** The default `--seed`. */
export const DEFAULT_SEED = 1;
/** Most unicorns `--unicorns` makes. */
export const MAX_UNICORNS = 10_000;
/** Kinesis' limit on a partition key (a unicorn's name). */
export const MAX_NAME_LENGTH = 256;

const single = (value: unknown, option: string): unknown => {
  if (Array.isArray(value)) throw new UsageError(`${option} is given more than once: give it once`);
  return value;
};

const strings = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => String(v));

const optionalNumber = (value: unknown, option: string, ok: (n: number) => boolean, fix: string) => {
  const v = single(value, option);
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number.NaN;
  if (!Number.isFinite(n) || !ok(n)) throw new UsageError(`${option} must be ${fix}`);
  return n;
};

const optionalString = (value: unknown, option: string): string | undefined => {
  const v = single(value, option);
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`${option} needs a value`);
  return v.trim();
};

function fleetNames(args: ProducerArgs): string[] {
  const given = strings(args.name);
  const unicorns = optionalNumber(
    args.unicorns,
    '--unicorns',
    (n) => Number.isInteger(n) && n >= 1 && n <= MAX_UNICORNS,
    `a whole number from 1 to ${MAX_UNICORNS}, e.g. --unicorns 3`,
  );
  if (unicorns !== undefined && given.length > 0) {
    throw new UsageError('use either --name or --unicorns, not both');
  }
  if (unicorns !== undefined) return unicornNames(unicorns);
  if (given.length === 0) return [DEFAULT_NAME];
  const seen = new Set<string>();
  for (const name of given) {
    if (name.trim() === '') throw new UsageError("--name needs a unicorn's name, e.g. --name Shadowfax");
    if (name.length > MAX_NAME_LENGTH) {
      throw new UsageError(
        `--name '${name.slice(0, 20)}…' is too long: the name is the partition key, at most ${MAX_NAME_LENGTH} characters`,
      );
    }
    if (seen.has(name)) throw new UsageError(`--name ${name} is given twice: give each unicorn its own name`);
    seen.add(name);
  }
  return given;
}

function streamName(value: unknown): string {
  const stream = optionalString(value, '--stream') ?? DEFAULT_STREAM;
  if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(stream)) {
    throw new UsageError(
      `--stream '${stream}' is not a stream name: use letters, digits, '_', '-' and '.', at most 128, e.g. --stream ${DEFAULT_STREAM}`,
    );
  }
  return stream;
}

function endpointUrl(value: unknown): string | undefined {
  const endpoint = optionalString(value, '--endpoint');
  if (endpoint === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`--endpoint '${endpoint}' is not a URL: use one like http://127.0.0.1:4566`);
  }
  return endpoint;
}

/** Checks the parsed options; a bad one is a `UsageError` that names the fix. */
export function resolveOptions(args: ProducerArgs): ProducerConfig {
  const names = fleetNames(args);
  const tired = strings(args.tired);
  for (const name of tired) {
    if (!names.includes(name)) {
      throw new UsageError(
        `--tired ${name} is not one of the unicorns (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}): add --name ${name}, or tire one of them`,
      );
    }
  }
  const rate =
    optionalNumber(
      args.rate,
      '--rate',
      (n) => n > 0,
      'a number of records per unicorn per second above 0, e.g. --rate 1 or --rate 0.5',
    ) ?? 1;
  const count = optionalNumber(
    args.count,
    '--count',
    (n) => Number.isInteger(n) && n >= 1,
    'a whole number of records per unicorn, 1 or more, e.g. --count 60',
  );
  const duration = optionalNumber(
    args.duration,
    '--duration',
    (n) => n > 0,
    'a number of seconds above 0, e.g. --duration 60',
  );
  if (count !== undefined && duration !== undefined) {
    throw new UsageError('use either --count or --duration, not both');
  }
  const seed =
    optionalNumber(args.seed, '--seed', (n) => Number.isSafeInteger(n), 'a whole number, e.g. --seed 7') ??
    DEFAULT_SEED;
  return {
    names,
    tired,
    stream: streamName(args.stream),
    region: optionalString(args.region, '--region'),
    endpoint: endpointUrl(args.endpoint),
    rate,
    ticks:
      count ?? (duration === undefined ? Number.POSITIVE_INFINITY : Math.max(1, Math.round(duration * rate))),
    seed,
    dryRun: single(args.dryRun, '--dry-run') === true,
    quiet: single(args.quiet, '--quiet') === true,
  };
}
