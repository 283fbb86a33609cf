import { Logger } from '@aws-lambda-powertools/logger';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context, KinesisStreamStateResponse, KinesisStreamTumblingWindowEvent } from 'aws-lambda';
import { names } from '../../contracts/names.ts';
import {
  decodeKinesisData,
  formatStatusTime,
  parseStatus,
  type UnicornStatus,
} from '../../contracts/telemetry.ts';
import { MAGIC_THRESHOLD } from '../../contracts/threshold.ts';

/** A unicorn whose magic points fall below this needs attention. */
export { MAGIC_THRESHOLD };

/**
 * The tumbling-window state: unicorn name → the `StatusTime` of the record it was alerted for.
 * Lambda hands it back on every invocation of the window and starts each window empty, which
 * is exactly "one alert per unicorn per window".
 */
export type AlertState = Record<string, string>;

/** One alert to send. */
export interface LowMagicAlert {
  Name: string;
  MagicPoints: number;
  StatusTime: string;
  /** Start of the window, `YYYY-MM-DD HH:mm:ss.SSS`. */
  windowStart: string;
}

/**
 * Finds the unicorns to alert for in a batch: the first record of each unicorn whose magic
 * points are below `threshold`, unless the state says it was already alerted in this window.
 * Returns the alerts and the new state (the input is not changed).
 */
export function detectAlerts(
  state: AlertState,
  statuses: readonly UnicornStatus[],
  windowStart: string,
  threshold = MAGIC_THRESHOLD,
): { state: AlertState; alerts: LowMagicAlert[] } {
  // A Map, so that any unicorn name (even `__proto__`) is just a key.
  const alerted = new Map(Object.entries(state));
  const alerts: LowMagicAlert[] = [];
  for (const s of statuses) {
    if (s.MagicPoints >= threshold || alerted.has(s.Name)) continue;
    alerted.set(s.Name, s.StatusTime);
    alerts.push({ Name: s.Name, MagicPoints: s.MagicPoints, StatusTime: s.StatusTime, windowStart });
  }
  return { state: Object.fromEntries(alerted), alerts };
}

/** The email an alert becomes: the unicorn's name in the subject, the details in the body. */
export function alertMessage(
  alert: LowMagicAlert,
  threshold = MAGIC_THRESHOLD,
): { Subject: string; Message: string } {
  return {
    // SNS subjects: fewer than 100 characters, no line breaks (SNS refuses others).
    Subject: `Wild Rydes alert: ${alert.Name} is low on magic`.slice(0, 99),
    Message: [
      `${alert.Name}'s magic points fell to ${alert.MagicPoints}, below ${threshold}, at ${alert.StatusTime} (UTC).`,
      `This is the only alert for ${alert.Name} in the window that started at ${alert.windowStart}.`,
      'Send the unicorn back to the stable to rest.',
    ].join('\n'),
  };
}

const logger = new Logger({ serviceName: names.alertFunction });
const sns = new SNSClient({});
const topicArn = process.env.TOPIC_ARN ?? '';

/**
 * Lambda handler on `wildrydes` with a tumbling window: publishes one SNS alert per unicorn
 * per window whose magic points fell below the threshold.
 */
export async function handler(
  event: KinesisStreamTumblingWindowEvent,
  context: Context,
): Promise<KinesisStreamStateResponse> {
  logger.addContext(context);
  const statuses: UnicornStatus[] = [];
  for (const record of event.Records) {
    const parsed = parseStatus(decodeKinesisData(record.kinesis.data));
    // A malformed record can never become valid, so retrying it would only stall the shard.
    if (parsed.ok) statuses.push(parsed.value);
    else
      logger.warn('skipping a malformed record', {
        sequenceNumber: record.kinesis.sequenceNumber,
        problems: parsed.problems,
      });
  }
  const windowStart = formatStatusTime(new Date(event.window.start));
  const { state, alerts } = detectAlerts((event.state ?? {}) as AlertState, statuses, windowStart);
  // If a publish fails the invocation fails and Lambda retries it with the previous state: an
  // alert may then be sent twice, but never lost.
  for (const alert of alerts) {
    await sns.send(new PublishCommand({ TopicArn: topicArn, ...alertMessage(alert) }));
    logger.info('alert sent', { ...alert });
  }
  return { state: event.isFinalInvokeForWindow ? {} : state, batchItemFailures: [] };
}
