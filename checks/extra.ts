import { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  type EventSourceMappingConfiguration,
  GetFunctionCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
} from '@aws-sdk/client-lambda';
import {
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  SNSClient,
  type Subscription,
} from '@aws-sdk/client-sns';
import { MAGIC_THRESHOLD } from '../contracts/threshold.ts';
import { stateDir } from '../core/state.ts';
import type { TargetConfig } from '../core/target.ts';
import { type OutboxMessage, outboxFile, readOutbox } from '../local/sns/outbox.ts';
import { names } from './names.ts';
import { type CheckArgs, type CheckStep, type Drive, fail, type ModuleCheck, pass } from './report.ts';
import { command, plural, producerCommand, readStatuses, type StatusRecord, waitUntil } from './streams.ts';

/** A raw record reduced to what alerting looks at. */
export interface MagicReading {
  name: string;
  magic: number;
  arrival: Date;
}

/** What the raw stream says about alerts: who tired (and in how many windows), who did not. */
export interface TelemetryVerdict {
  /** Unicorn → the number of windows in which its magic was below the threshold. */
  tiredWindows: Map<string, number>;
  /** Unicorns whose magic never fell below the threshold. */
  healthy: string[];
}

/**
 * Which unicorns tired, and in how many tumbling windows (aligned on multiples of the window,
 * by arrival time, as Lambda aligns them): at most that many alerts each.
 */
export function readTelemetry(
  readings: readonly MagicReading[],
  windowSeconds: number,
  threshold = MAGIC_THRESHOLD,
): TelemetryVerdict {
  const windows = new Map<string, Set<number>>();
  const seen = new Set<string>();
  for (const r of readings) {
    seen.add(r.name);
    if (r.magic >= threshold) continue;
    const set = windows.get(r.name) ?? new Set<number>();
    set.add(Math.floor(r.arrival.getTime() / (windowSeconds * 1000)));
    windows.set(r.name, set);
  }
  return {
    tiredWindows: new Map([...windows].map(([name, set]) => [name, set.size])),
    healthy: [...seen].filter((name) => !windows.has(name)).sort(),
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const mentions = (text: string, name: string) =>
  new RegExp(`(^|[^\\p{L}\\p{N}_])${escapeRegExp(name)}($|[^\\p{L}\\p{N}_])`, 'u').test(text);

/**
 * The alerts each unicorn received: an email is about the unicorns its subject names (whole
 * words), or, if the subject names none, those its body names.
 */
export function alertsByUnicorn(
  messages: readonly OutboxMessage[],
  unicorns: readonly string[],
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) {
    const inSubject = unicorns.filter((u) => mentions(m.subject, u));
    const about = inSubject.length > 0 ? inSubject : unicorns.filter((u) => mentions(m.body, u));
    for (const u of about) counts.set(u, (counts.get(u) ?? 0) + 1);
  }
  return counts;
}

/** What is wrong with the alerts sent, given what the telemetry says. */
export interface AlertJudgement {
  /** Tired unicorns with no alert. */
  unalerted: string[];
  /** Healthy unicorns that were alerted, and how often. */
  unwarranted: [string, number][];
  /** Unicorns alerted more often than they had windows below the threshold. */
  repeated: { name: string; alerts: number; windows: number }[];
}

/**
 * Judges the alerts: every tired unicorn alerted, no healthy one, and at most one alert per
 * window below the threshold (plus one, for a retried invocation or a window boundary).
 */
export function judgeAlerts(
  telemetry: TelemetryVerdict,
  alerts: ReadonlyMap<string, number>,
  mustAlert: readonly string[] = [...telemetry.tiredWindows.keys()],
): AlertJudgement {
  return {
    unalerted: mustAlert.filter((name) => !alerts.get(name)),
    unwarranted: telemetry.healthy.flatMap((name): [string, number][] => {
      const n = alerts.get(name) ?? 0;
      return n > 0 ? [[name, n]] : [];
    }),
    repeated: [...telemetry.tiredWindows].flatMap(([name, windows]) => {
      const n = alerts.get(name) ?? 0;
      return n > windows + 1 ? [{ name, alerts: n, windows }] : [];
    }),
  };
}

/** What the extra-credit steps share. */
export interface ExtraContext {
  target: TargetConfig;
  kinesis: KinesisClient;
  sns: SNSClient;
  lambda: LambdaClient;
  waitSeconds: number;
  outboxFile: string;
  topicArn?: string;
  email?: string;
  windowSeconds: number;
  /** When the function was last deployed: alerts before it came from older code. */
  since: Date;
  raw: StatusRecord[];
  telemetry?: TelemetryVerdict;
  /** Unicorns that tired after the function was deployed: each must have an alert. */
  mustAlert: string[];
  /** `--drive`: the check sent a ride itself (a tiring and a healthy unicorn) and judges only that. */
  drive?: Drive;
}

async function findTopic(sns: SNSClient): Promise<string | undefined> {
  let NextToken: string | undefined;
  do {
    const page = await sns.send(new ListTopicsCommand({ NextToken }));
    const found = page.Topics?.find((t) => t.TopicArn?.endsWith(`:${names.alertTopic}`));
    if (found?.TopicArn) return found.TopicArn;
    NextToken = page.NextToken;
  } while (NextToken);
  return undefined;
}

async function subscriptionsOf(sns: SNSClient, topicArn: string): Promise<Subscription[]> {
  const all: Subscription[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
    all.push(...(page.Subscriptions ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

/** Lambda writes `2026-11-22T09:17:08.189+0000`, which not every parser takes. */
const lambdaDate = (text?: string) => {
  const date = new Date((text ?? '').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? new Date(0) : date;
};

const isMissing = (err: unknown) => (err as Error)?.name === 'ResourceNotFoundException';

const readings = (raw: readonly StatusRecord[]): MagicReading[] =>
  raw.flatMap((r) =>
    r.parsed.ok
      ? [{ name: r.parsed.value.Name, magic: r.parsed.value.MagicPoints, arrival: r.record.arrival }]
      : [],
  );

const steps: CheckStep<ExtraContext>[] = [
  {
    title: `the topic '${names.alertTopic}' exists, with an email subscription`,
    run: async (ctx) => {
      ctx.topicArn = await findTopic(ctx.sns);
      if (!ctx.topicArn) {
        return fail(
          `there is no topic '${names.alertTopic}' in ${ctx.target.describe}`,
          `deploy the extra credit: \`${command(ctx.target, 'npm run deploy -- 5')}\``,
        );
      }
      const email = (await subscriptionsOf(ctx.sns, ctx.topicArn)).find((s) => s.Protocol === 'email');
      if (!email) {
        return fail(
          `the topic '${names.alertTopic}' has no email subscription`,
          'modules/05-alerting/stack.ts subscribes `alertEmail` (CDK context `email`): redeploy module 5',
        );
      }
      ctx.email = email.Endpoint;
      if (email.SubscriptionArn === 'PendingConfirmation') {
        return fail(
          `the subscription of ${email.Endpoint} is not confirmed yet`,
          `open the email "AWS Notification - Subscription Confirmation" sent to ${email.Endpoint} and confirm it`,
        );
      }
      return pass(`alerts go to ${email.Endpoint}`);
    },
  },
  {
    title: `the function '${names.alertFunction}' reads '${names.rawStream}' with a tumbling window and publishes to the topic`,
    run: async (ctx) => {
      let topic: string | undefined;
      let mappings: EventSourceMappingConfiguration[];
      try {
        const fn = await ctx.lambda.send(new GetFunctionCommand({ FunctionName: names.alertFunction }));
        topic = fn.Configuration?.Environment?.Variables?.TOPIC_ARN;
        ctx.since = lambdaDate(fn.Configuration?.LastModified);
        if (ctx.drive && ctx.drive.since > ctx.since) ctx.since = ctx.drive.since;
        mappings =
          (await ctx.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: names.alertFunction })))
            .EventSourceMappings ?? [];
      } catch (err) {
        if (!isMissing(err)) throw err;
        return fail(
          `there is no function '${names.alertFunction}' in ${ctx.target.describe}`,
          `deploy the extra credit: \`${command(ctx.target, 'npm run deploy -- 5')}\``,
        );
      }
      const mapping = mappings.find((m) => m.EventSourceArn?.endsWith(`:stream/${names.rawStream}`));
      if (!mapping) {
        return fail(
          `'${names.alertFunction}' does not read the stream '${names.rawStream}'`,
          'redeploy module 5',
        );
      }
      if (!mapping.TumblingWindowInSeconds) {
        return fail(
          `'${names.alertFunction}' reads '${names.rawStream}' without a tumbling window: nothing remembers who was alerted`,
          'redeploy module 5 (modules/05-alerting/stack.ts sets `tumblingWindow`)',
        );
      }
      if (topic !== ctx.topicArn) {
        return fail(
          `the function publishes to ${topic ?? 'no topic'} (TOPIC_ARN), not to '${names.alertTopic}'`,
        );
      }
      ctx.windowSeconds = mapping.TumblingWindowInSeconds;
      return pass(`${ctx.windowSeconds}-s windows, mapping ${mapping.State ?? 'Enabled'}`);
    },
  },
  {
    title: `a tiring unicorn is on '${names.rawStream}'`,
    run: async (ctx) => {
      const all = await readStatuses(ctx.kinesis, names.rawStream).catch((err: unknown) => {
        if (isMissing(err)) return [];
        throw err;
      });
      const driven = ctx.drive?.unicorns;
      ctx.raw = driven ? all.filter((r) => r.name !== undefined && driven.includes(r.name)) : all;
      ctx.telemetry = readTelemetry(readings(ctx.raw), ctx.windowSeconds);
      const recent = readTelemetry(
        readings(ctx.raw.filter((r) => r.record.arrival >= ctx.since)),
        ctx.windowSeconds,
      );
      ctx.mustAlert = [...recent.tiredWindows.keys()].sort();
      const example = producerCommand('Shadowfax', 'Rocinante');
      if (ctx.mustAlert.length === 0) {
        return fail(
          ctx.telemetry.tiredWindows.size > 0
            ? `no unicorn's magic fell below ${MAGIC_THRESHOLD} since '${names.alertFunction}' was last deployed (${ctx.since.toISOString()})`
            : `no unicorn's magic fell below ${MAGIC_THRESHOLD} in the telemetry on '${names.rawStream}'`,
          `send a tiring unicorn for three minutes (it takes about two to tire): \`${example.replace('--duration 60', '--duration 180')}\``,
        );
      }
      return pass(
        `${ctx.mustAlert.map((n) => `${n} (${plural(recent.tiredWindows.get(n) ?? 0, 'window')} below ${MAGIC_THRESHOLD})`).join(', ')}${ctx.telemetry.healthy.length ? `; healthy: ${ctx.telemetry.healthy.join(', ')}` : ''}`,
      );
    },
  },
  {
    title: 'each tiring unicorn was alerted',
    run: async (ctx) => {
      if (ctx.target.target === 'aws') {
        return pass(
          `AWS sends the alerts by email: look in ${ctx.email ?? 'the inbox'} for "Wild Rydes alert: ${ctx.mustAlert[0] ?? 'Rocinante'} is low on magic"`,
        );
      }
      const verdict = await waitUntil(
        async () => {
          const judgement = judgeAlerts(
            ctx.telemetry ?? readTelemetry([], 1),
            await alertCounts(ctx),
            ctx.mustAlert,
          );
          return judgement.unalerted.length === 0
            ? { done: true, value: judgement }
            : { done: false, waitingFor: `an alert for ${judgement.unalerted.join(', ')}`, value: judgement };
        },
        { seconds: ctx.waitSeconds },
      );
      if (verdict.done) return pass(`${ctx.mustAlert.join(', ')}: see \`npm run outbox\``);
      return fail(
        `no alert for ${verdict.value.unalerted.join(', ')} in the outbox after ${ctx.waitSeconds} s, though its magic fell below ${MAGIC_THRESHOLD}`,
      );
    },
  },
  {
    title: 'no healthy unicorn was alerted',
    run: async (ctx) => {
      if (ctx.target.target === 'aws') return pass('checked on the local cloud only');
      const { unwarranted } = judgeAlerts(
        ctx.telemetry ?? readTelemetry([], 1),
        await alertCounts(ctx),
        ctx.mustAlert,
      );
      const [first] = unwarranted;
      if (!first) return pass(ctx.telemetry?.healthy.length ? ctx.telemetry.healthy.join(', ') : undefined);
      return fail(
        `${first[0]} got ${plural(first[1], 'alert')} though its magic never fell below ${MAGIC_THRESHOLD}`,
        `alert only for records whose MagicPoints are below ${MAGIC_THRESHOLD} (\`MAGIC_THRESHOLD\`)`,
      );
    },
  },
  {
    title: 'one alert per unicorn per window, not one per record',
    run: async (ctx) => {
      if (ctx.target.target === 'aws') return pass('checked on the local cloud only');
      const counts = await alertCounts(ctx);
      const { repeated } = judgeAlerts(ctx.telemetry ?? readTelemetry([], 1), counts, ctx.mustAlert);
      const [first] = repeated;
      if (!first) {
        return pass(ctx.mustAlert.map((n) => `${n}: ${plural(counts.get(n) ?? 0, 'alert')}`).join(', '));
      }
      return fail(
        `${first.name} got ${first.alerts} alerts for ${plural(first.windows, 'window')} below ${MAGIC_THRESHOLD}: more than one per window`,
        'remember in the window state who was alerted, and skip them until the window ends (Lambda starts each window with an empty state)',
      );
    },
  },
];

/** Alerts in the outbox since the function was deployed, per unicorn of the telemetry. */
async function alertCounts(ctx: ExtraContext): Promise<Map<string, number>> {
  const messages = (await readOutbox(ctx.outboxFile)).filter(
    (m) => (!ctx.topicArn || m.topic === ctx.topicArn) && new Date(m.time) >= ctx.since,
  );
  const unicorns = [...new Set(readings(ctx.raw).map((r) => r.name))];
  return alertsByUnicorn(messages, unicorns);
}

/** Extra credit: a tiring unicorn is alerted, once per window; a healthy one is not. */
export const check: ModuleCheck<ExtraContext> = {
  context: (target: TargetConfig, args: CheckArgs): ExtraContext => ({
    target,
    kinesis: new KinesisClient(target.clientConfig),
    sns: new SNSClient(target.clientConfig),
    lambda: new LambdaClient(target.clientConfig),
    waitSeconds: args.waitSeconds,
    outboxFile: outboxFile(stateDir()),
    windowSeconds: 60,
    since: new Date(0),
    raw: [],
    mustAlert: [],
    drive: args.drive,
  }),
  steps,
};
