import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ResponseListener } from '../cloud.ts';
import { awsError } from '../gateway/server.ts';
import {
  type EventRuleDefinition,
  type EventsControl,
  type GatewayRequest,
  type GatewayResponse,
  LOCAL_ACCOUNT,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type ServiceHandler,
} from '../types.ts';
import { InvalidEventPatternError, matchesPattern, parsePattern } from './pattern.ts';
import {
  deletedBucketOf,
  type EventEnvelope,
  envelope,
  eventBridgeSettingOf,
  objectCreatedEntry,
  objectWriteOf,
} from './s3-events.ts';

export interface LocalEventBridgeOptions {
  /** The local cloud's endpoint: targets are reached through it, like any SDK client would. */
  endpoint: string;
  /** Delivery problems (a target queue that does not exist); silent by default. */
  log?: (line: string) => void;
  /** Attempts per target before an event is dropped (EventBridge retries for up to 24 h). */
  deliveryAttempts?: number;
}

interface Rule {
  name: string;
  bus: string;
  pattern: ReturnType<typeof parsePattern>;
  patternText: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  targets: Map<string, string>;
}

/** A request EventBridge refuses: the SDK throws an exception of class `type`. */
class EventsRequestError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'EventsRequestError';
  }
}

const TARGET_PREFIX = 'AWSEvents.';
const DEFAULT_BUS = 'default';

/**
 * The default event bus of the local cloud: rules with event patterns delivering to SQS (and SNS,
 * Lambda) targets, S3 "Object Created" events for buckets with EventBridge notifications on,
 * `PutEvents` for anyone. Implements the deployer's `EventsControl`.
 */
/** The total entry size of a PutEvents request is at most 256 KB. */
const MAX_ENTRIES_BYTES = 256 * 1024;

/** An entry's size as EventBridge counts it: Time 14 bytes; Source, DetailType, Detail, Resources in UTF-8. */
function entrySize(entry: Record<string, unknown>): number {
  const bytes = (v: unknown) => (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  const resources = Array.isArray(entry.Resources)
    ? entry.Resources.reduce((s: number, r) => s + bytes(r), 0)
    : 0;
  return (
    (entry.Time !== undefined ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    resources
  );
}

export class LocalEventBridge implements EventsControl {
  private readonly rules = new Map<string, Rule>();
  private readonly buckets = new Set<string>();
  private readonly queueUrls = new Map<string, string>();
  private readonly sqs: SQSClient;
  private readonly sns: SNSClient;
  private readonly lambda: LambdaClient;
  private readonly s3: S3Client;
  private readonly log: (line: string) => void;
  private readonly attempts: number;
  private readonly pending = new Set<Promise<void>>();

  constructor(opts: LocalEventBridgeOptions) {
    const config = { endpoint: opts.endpoint, region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS } };
    this.sqs = new SQSClient(config);
    this.sns = new SNSClient(config);
    this.lambda = new LambdaClient(config);
    this.s3 = new S3Client({ ...config, forcePathStyle: true });
    this.log = opts.log ?? (() => undefined);
    this.attempts = opts.deliveryAttempts ?? 3;
  }

  /** Creates or replaces a rule on the default bus with its targets (from `AWS::Events::Rule`). */
  async putRule(rule: EventRuleDefinition): Promise<{ ruleArn: string }> {
    const pattern = parsePattern(rule.eventPattern);
    this.rules.set(rule.name, {
      name: rule.name,
      bus: DEFAULT_BUS,
      pattern,
      patternText: JSON.stringify(pattern),
      state: rule.state,
      targets: new Map(rule.targets.map((t) => [t.id, t.arn])),
    });
    return { ruleArn: this.ruleArn(rule.name) };
  }

  async deleteRule(name: string): Promise<void> {
    this.rules.delete(name);
  }

  /** S3 sends this bucket's events to EventBridge (`NotificationConfiguration.EventBridgeConfiguration`). */
  enableBucket(bucket: string): void {
    this.buckets.add(bucket);
  }

  disableBucket(bucket: string): void {
    this.buckets.delete(bucket);
  }

  /** Buckets whose events reach EventBridge. */
  eventBridgeBuckets(): string[] {
    return [...this.buckets].sort();
  }

  /** Rule names, for the deployer and tests. */
  ruleNames(): string[] {
    return [...this.rules.keys()].sort();
  }

  /**
   * Puts events on the bus: each is matched against every enabled rule and delivered to the
   * matching rules' targets in the background. Returns the event ids.
   */
  putEvents(
    entries: { Source: string; DetailType: string; Detail: unknown; Resources?: string[]; Time?: Date }[],
    bus = DEFAULT_BUS,
  ): string[] {
    return entries.map((entry) => {
      const event = envelope(entry);
      this.track(this.route(event, bus));
      return event.id;
    });
  }

  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** `cloud.observe('s3', …)`: object writes become events; notification settings are recorded. */
  readonly onS3Response: ResponseListener = async (req, res) => {
    const setting = eventBridgeSettingOf(req, res.status);
    if (setting) {
      if (setting.enabled) this.enableBucket(setting.bucket);
      else this.disableBucket(setting.bucket);
      return;
    }
    const deleted = deletedBucketOf(req, res.status);
    if (deleted) {
      this.disableBucket(deleted);
      return;
    }
    const write = objectWriteOf(req, res.status);
    if (!write || !this.buckets.has(write.bucket)) return;
    // Copies and multipart uploads do not carry the size in the request: ask S3, which knows it.
    // (A listing, because the gateway answers HEAD with content-length 0.)
    const listing = await this.s3.send(
      new ListObjectsV2Command({ Bucket: write.bucket, Prefix: write.key, MaxKeys: 1 }),
    );
    const object = listing.Contents?.find((o) => o.Key === write.key);
    this.putEvents([
      objectCreatedEntry({
        ...write,
        size: object?.Size ?? 0,
        etag: object?.ETag ?? '',
        requestId: res.headers?.['x-amz-request-id'],
      }),
    ]);
  };

  /** The EventBridge API over JSON 1.1 (`X-Amz-Target: AWSEvents.<Operation>`). */
  readonly handle: ServiceHandler = async (req: GatewayRequest): Promise<GatewayResponse> => {
    const target = req.headers['x-amz-target'] ?? '';
    const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const operation = this.operations[name];
    if (!operation) {
      return awsError(
        400,
        'UnknownOperationException',
        `the local EventBridge serves ${Object.keys(this.operations).join(', ')}, not '${target}'`,
      );
    }
    try {
      const input = JSON.parse(req.body.toString('utf8') || '{}') as unknown;
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new EventsRequestError('SerializationException', 'the request body must be a JSON object');
      }
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify(await operation(input as Record<string, unknown>)),
      };
    } catch (err) {
      if (err instanceof EventsRequestError) return awsError(400, err.type, err.message);
      if (err instanceof InvalidEventPatternError)
        return awsError(400, 'InvalidEventPatternException', err.message);
      if (err instanceof SyntaxError)
        return awsError(400, 'SerializationException', 'the request body is not JSON');
      throw err;
    }
  };

  private readonly operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    PutEvents: (input) => {
      const entries = Array.isArray(input.Entries) ? (input.Entries as Record<string, unknown>[]) : [];
      if (entries.length === 0 || entries.length > 10) {
        throw new EventsRequestError('ValidationException', 'Entries must hold 1 to 10 events');
      }
      if (!entries.every((entry) => typeof entry === 'object' && entry !== null && !Array.isArray(entry))) {
        throw new EventsRequestError('ValidationException', 'each member of Entries must be an object');
      }
      if (entries.reduce((sum, entry) => sum + entrySize(entry), 0) > MAX_ENTRIES_BYTES) {
        throw new EventsRequestError(
          'ValidationException',
          'Total size of the entries in the request is over the limit (256 KB).',
        );
      }
      const results = entries.map((entry) => {
        const bus = busName(entry.EventBusName);
        if (typeof entry.Source !== 'string' || typeof entry.DetailType !== 'string') {
          return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source and DetailType are required' };
        }
        let detail: unknown;
        try {
          detail = JSON.parse(typeof entry.Detail === 'string' ? entry.Detail : '{}');
        } catch {
          return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
        }
        const time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : undefined;
        const [id] = this.putEvents(
          [
            {
              Source: entry.Source,
              DetailType: entry.DetailType,
              Detail: detail,
              Resources: Array.isArray(entry.Resources) ? (entry.Resources as string[]) : [],
              Time: time,
            },
          ],
          bus,
        );
        return { EventId: id };
      });
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    },
    PutRule: (input) => {
      const name = requireString(input.Name, 'Name');
      if (input.ScheduleExpression) {
        throw new EventsRequestError(
          'ValidationException',
          'scheduled rules are not emulated by the local cloud',
        );
      }
      const pattern = parsePattern(input.EventPattern);
      const previous = this.rules.get(name);
      this.rules.set(name, {
        name,
        bus: busName(input.EventBusName),
        pattern,
        patternText: typeof input.EventPattern === 'string' ? input.EventPattern : JSON.stringify(pattern),
        state: input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
        description: typeof input.Description === 'string' ? input.Description : undefined,
        targets: previous?.targets ?? new Map(),
      });
      return { RuleArn: this.ruleArn(name) };
    },
    PutTargets: (input) => {
      const rule = this.ruleNamed(input.Rule);
      const targets = Array.isArray(input.Targets) ? (input.Targets as { Id?: string; Arn?: string }[]) : [];
      for (const t of targets)
        rule.targets.set(requireString(t.Id, 'Targets.Id'), requireString(t.Arn, 'Targets.Arn'));
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    RemoveTargets: (input) => {
      const rule = this.ruleNamed(input.Rule);
      for (const id of Array.isArray(input.Ids) ? (input.Ids as string[]) : []) rule.targets.delete(id);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    DeleteRule: (input) => {
      this.rules.delete(requireString(input.Name, 'Name'));
      return {};
    },
    DescribeRule: (input) => this.describe(this.ruleNamed(input.Name)),
    ListRules: (input) => {
      const prefix = typeof input.NamePrefix === 'string' ? input.NamePrefix : '';
      const bus = busName(input.EventBusName);
      return {
        Rules: [...this.rules.values()]
          .filter((r) => r.name.startsWith(prefix) && r.bus === bus)
          .map((r) => this.describe(r)),
      };
    },
    ListTargetsByRule: (input) => ({
      Targets: [...this.ruleNamed(input.Rule).targets].map(([Id, Arn]) => ({ Id, Arn })),
    }),
  };

  private describe(rule: Rule) {
    return {
      Name: rule.name,
      Arn: this.ruleArn(rule.name),
      EventPattern: rule.patternText,
      State: rule.state,
      Description: rule.description,
      EventBusName: rule.bus,
    };
  }

  private ruleNamed(name: unknown): Rule {
    const rule = this.rules.get(requireString(name, 'Rule'));
    if (!rule)
      throw new EventsRequestError('ResourceNotFoundException', `Rule ${String(name)} does not exist.`);
    return rule;
  }

  private ruleArn(name: string): string {
    return `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${name}`;
  }

  private track(delivery: Promise<void>): void {
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  private async route(event: EventEnvelope, bus: string): Promise<void> {
    const deliveries: Promise<void>[] = [];
    for (const rule of this.rules.values()) {
      if (rule.state !== 'ENABLED' || rule.bus !== bus || !matchesPattern(rule.pattern, event)) continue;
      for (const arn of rule.targets.values()) deliveries.push(this.deliver(rule.name, arn, event));
    }
    await Promise.all(deliveries);
  }

  /** Sends one event to one target, retrying a few times: a queue may still be being created. */
  private async deliver(rule: string, arn: string, event: EventEnvelope): Promise<void> {
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        await this.send(arn, JSON.stringify(event));
        return;
      } catch (err) {
        this.queueUrls.delete(arn);
        if (attempt === this.attempts) {
          this.log(`[events] rule ${rule} could not deliver to ${arn}: ${(err as Error).message}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  private async send(arn: string, body: string): Promise<void> {
    const [, , service, , account, resource = ''] = arn.split(':');
    if (service === 'sqs') {
      await this.sqs.send(
        new SendMessageCommand({ QueueUrl: await this.queueUrl(arn, resource, account), MessageBody: body }),
      );
    } else if (service === 'sns') {
      await this.sns.send(new PublishCommand({ TopicArn: arn, Message: body }));
    } else if (service === 'lambda') {
      await this.lambda.send(
        new InvokeCommand({ FunctionName: arn, InvocationType: 'Event', Payload: body }),
      );
    } else {
      throw new Error(`targets of service '${service}' are not emulated (SQS, SNS and Lambda are)`);
    }
  }

  private async queueUrl(arn: string, name: string, account?: string): Promise<string> {
    const cached = this.queueUrls.get(arn);
    if (cached) return cached;
    const { QueueUrl } = await this.sqs.send(
      new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }),
    );
    if (!QueueUrl) throw new Error(`queue ${name} has no URL`);
    this.queueUrls.set(arn, QueueUrl);
    return QueueUrl;
  }
}

const busName = (value: unknown): string => {
  if (typeof value !== 'string' || value === '') return DEFAULT_BUS;
  // A bus may be named by its ARN: arn:aws:events:region:account:event-bus/name
  return value.startsWith('arn:') ? (value.split('/').pop() ?? DEFAULT_BUS) : value;
};

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new EventsRequestError('ValidationException', `${name} is required`);
  }
  return value;
}
