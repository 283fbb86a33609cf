/**
 * Many attendees on one AWS account (or one local cloud): `--attendee ada` prefixes every stack
 * and every physical name with `ada-`, so nothing collides. Without an attendee the names are
 * those of names.ts and file-processing.ts, unchanged. Pure: no I/O.
 */
import { UsageError } from '../core/errors.ts';
import { type FileProcessingNames, fileProcessingNames } from './file-processing.ts';
import { names } from './names.ts';

/** The names every part of the workshop uses, for one attendee (or none). */
export interface WorkshopNames {
  /** The attendee the names are for; undefined: the unprefixed names. */
  attendee?: string;
  rawStream: string;
  aggregatedStream: string;
  aggregateFunction: string;
  table: string;
  persistFunction: string;
  alertFunction: string;
  alertTopic: string;
  /** Module 1's names in an account and region. */
  fileProcessing(account: string, region: string): FileProcessingNames;
  /** A stack's name: `WildRydesStreaming`, or `ada-WildRydesStreaming` for ada. */
  stack(name: string): string;
  /** Any other name given the same prefix (`wildrydes-conversion` → `ada-wildrydes-conversion`). */
  prefixed(name: string): string;
}

/** AWS's length limits on the names the workshop gives (the service quotas pages). */
export const NAME_LIMITS = {
  bucket: 63,
  function: 64,
  queue: 80,
  stream: 128,
  stack: 128,
  table: 255,
  topic: 256,
  alarm: 255,
} as const;
export type NameKind = keyof typeof NAME_LIMITS;

/**
 * The longest account and region a bucket name carries: 12 digits, and the longest region code
 * of the commercial, China and GovCloud partitions (14 characters: ap-southeast-1, cn-northwest-1).
 */
export const LONGEST_ACCOUNT = '123456789012';
export const LONGEST_REGION = 'ap-southeast-1';

/**
 * Every physical name of a set of names, with its kind. The stacks' names come from the
 * curriculum (core/): `stacks` adds them (stack names are far below their limit of 128).
 */
export function physicalNames(
  n: WorkshopNames,
  stacks: readonly string[] = [],
  account = LONGEST_ACCOUNT,
  region = LONGEST_REGION,
): [NameKind, string][] {
  const fp = n.fileProcessing(account, region);
  return [
    ['bucket', fp.inputBucket],
    ['bucket', fp.outputBucket],
    ['table', fp.table],
    ['queue', fp.conversionQueue],
    ['queue', fp.conversionDlq],
    ['queue', fp.sentimentQueue],
    ['queue', fp.sentimentDlq],
    ['topic', fp.alarmTopic],
    ['function', fp.conversionFunction],
    ['function', fp.sentimentFunction],
    // The longest alarm module 1 names (see its stack).
    ['alarm', `${fp.alarmPrefix}conversion-dlq-not-empty`],
    ['stream', n.rawStream],
    ['stream', n.aggregatedStream],
    ['function', n.aggregateFunction],
    ['table', n.table],
    ['function', n.persistFunction],
    ['function', n.alertFunction],
    ['topic', n.alertTopic],
    ...stacks.map((s): [NameKind, string] => ['stack', n.stack(s)]),
  ];
}

const prefixer = (attendee: string | undefined) => (name: string) =>
  attendee ? `${attendee}-${name}` : name;

function buildNames(attendee: string | undefined): WorkshopNames {
  const p = prefixer(attendee);
  return {
    attendee,
    rawStream: p(names.rawStream),
    aggregatedStream: p(names.aggregatedStream),
    aggregateFunction: p(names.aggregateFunction),
    table: p(names.table),
    persistFunction: p(names.persistFunction),
    alertFunction: p(names.alertFunction),
    alertTopic: p(names.alertTopic),
    fileProcessing: (account, region) => {
      const base = fileProcessingNames(account, region);
      return Object.fromEntries(
        Object.entries(base).map(([key, value]) => [key, p(value)]),
      ) as unknown as FileProcessingNames;
    },
    stack: p,
    prefixed: p,
  };
}

/**
 * The longest attendee name: each name of the workshop, prefixed with it and a hyphen, stays
 * within its AWS limit. Module 1's bucket names (63, with the account and region) decide: 12.
 */
export const MAX_ATTENDEE_LENGTH = Math.min(
  ...physicalNames(buildNames(undefined)).map(([kind, name]) => NAME_LIMITS[kind] - name.length - 1),
);

/** Bucket names may not start with these (S3's naming rules); an attendee prefix would. */
const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];

/** What is wrong with an attendee name, or undefined when it is fine. */
export function attendeeProblem(attendee: string): string | undefined {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(attendee)) {
    return 'use lowercase letters, digits and single hyphens, starting with a letter (e.g. ada or grace-h)';
  }
  if (attendee.length > MAX_ATTENDEE_LENGTH) {
    return `at most ${MAX_ATTENDEE_LENGTH} characters (S3 bucket names carry it, the account and the region in 63)`;
  }
  const reserved = RESERVED_BUCKET_PREFIXES.find((prefix) => `${attendee}-`.startsWith(prefix));
  if (reserved) return `S3 refuses bucket names that start with '${reserved}': choose another name`;
  return undefined;
}

/**
 * The names for an attendee (prefixed `<attendee>-`), or the workshop's own names when there is
 * none (undefined or empty).
 * @throws UsageError when the attendee name cannot prefix AWS names.
 */
export function namesFor(attendee?: string): WorkshopNames {
  if (!attendee) return buildNames(undefined);
  const problem = attendeeProblem(attendee);
  if (problem) throw new UsageError(`the attendee name '${attendee}' does not fit AWS names: ${problem}`);
  return buildNames(attendee);
}
