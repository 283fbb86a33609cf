/**
 * Physical names for resources a template does not name. CloudFormation appends a random suffix;
 * the local cloud uses `<StackName>-<LogicalId>` so that a re-deploy (or a restart without the
 * state file) finds the same resource, shortened to each service's limit with a stable hash.
 */
import { createHash } from 'node:crypto';

/** What a service accepts as a name. */
export interface NameRule {
  maxLength: number;
  /** Characters allowed; others become `-`. */
  allowed: RegExp;
  /** S3 bucket names are lower case. */
  lowercase?: boolean;
}

/** Each service's naming limits (AWS documentation), by the kind of resource. */
export const NAME_RULES = {
  kinesisStream: { maxLength: 128, allowed: /[a-zA-Z0-9_.-]/ },
  dynamodbTable: { maxLength: 255, allowed: /[a-zA-Z0-9_.-]/ },
  sqsQueue: { maxLength: 80, allowed: /[a-zA-Z0-9_-]/ },
  snsTopic: { maxLength: 256, allowed: /[a-zA-Z0-9_-]/ },
  s3Bucket: { maxLength: 63, allowed: /[a-z0-9.-]/, lowercase: true },
  lambdaFunction: { maxLength: 64, allowed: /[a-zA-Z0-9_-]/ },
  eventsRule: { maxLength: 64, allowed: /[a-zA-Z0-9_.-]/ },
  iamRole: { maxLength: 64, allowed: /[a-zA-Z0-9_+=,.@-]/ },
  iamPolicy: { maxLength: 128, allowed: /[a-zA-Z0-9_+=,.@-]/ },
  logGroup: { maxLength: 512, allowed: /[a-zA-Z0-9_.#/-]/ },
  alarm: { maxLength: 255, allowed: /[ -~]/ },
  ecrRepository: { maxLength: 256, allowed: /[a-z0-9._/-]/, lowercase: true },
  ssmParameter: { maxLength: 1011, allowed: /[a-zA-Z0-9_.-]/ },
  generic: { maxLength: 255, allowed: /[a-zA-Z0-9_.:-]/ },
} as const satisfies Record<string, NameRule>;

const HASH_LENGTH = 8;

/** A short, stable hash of a string. */
export const shortHash = (text: string, length = HASH_LENGTH): string =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/**
 * The physical name of a resource the template leaves unnamed: `<StackName>-<LogicalId>`, with
 * characters the service refuses replaced by `-`, and, when too long, cut and made unique again
 * with a hash of the full name. `suffix` (e.g. `.fifo`) is kept whole at the end.
 */
export function physicalName(stackName: string, logicalId: string, rule: NameRule, suffix = ''): string {
  const full = `${stackName}-${logicalId}`;
  let name = [...(rule.lowercase ? full.toLowerCase() : full)]
    .map((ch) => (rule.allowed.test(ch) ? ch : '-'))
    .join('');
  if (rule.lowercase) name = name.replace(/-{2,}/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  const room = rule.maxLength - suffix.length;
  if (name.length > room) {
    const hash = shortHash(full);
    name = `${name.slice(0, room - hash.length - 1).replace(/[^a-zA-Z0-9]+$/, '')}-${hash}`;
  }
  return `${name}${suffix}`;
}
