import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import type { LocalCloud, ResponseListener } from '../cloud.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../types.ts';
import { appendOutbox, emailFor, outboxFile, type Publication } from './outbox.ts';

export { appendOutbox, emailFor, type OutboxMessage, outboxFile, parseOutbox, readOutbox } from './outbox.ts';

export interface OutboxOptions {
  /** Where `outbox.jsonl` is written (the workshop's state directory). */
  stateDir: string;
}

/** The messages of a successful Publish or PublishBatch (SNS query protocol, form-encoded). */
export function publicationsOf(body: Buffer, responseXml: string, time = new Date()): Publication[] {
  const form = new URLSearchParams(body.toString('utf8'));
  const topic = form.get('TopicArn') ?? '';
  const ids = [...responseXml.matchAll(/<MessageId>([^<]+)<\/MessageId>/g)].map((m) => m[1]);
  if (form.get('Action') === 'Publish') {
    const message = form.get('Message');
    if (!topic || message === null) return [];
    return [{ topic, message, subject: form.get('Subject') ?? undefined, messageId: ids[0], time }];
  }
  if (form.get('Action') === 'PublishBatch') {
    const publications: Publication[] = [];
    for (let n = 1; form.has(`PublishBatchRequestEntries.member.${n}.Message`); n++) {
      const entry = (field: string) =>
        form.get(`PublishBatchRequestEntries.member.${n}.${field}`) ?? undefined;
      publications.push({
        topic,
        message: entry('Message') ?? '',
        subject: entry('Subject'),
        messageId: ids[n - 1],
        time,
      });
    }
    return publications;
  }
  return [];
}

/**
 * SNS email subscriptions, delivered to a local outbox: after each successful Publish to a topic
 * with `email`/`email-json` subscribers (fauxqs keeps the subscriptions and lists them), one
 * message per subscriber is appended to `<stateDir>/outbox.jsonl`. `npm run outbox` reads it.
 */
export function installOutbox(cloud: Pick<LocalCloud, 'endpoint' | 'observe'>, opts: OutboxOptions): void {
  const sns = new SNSClient({
    endpoint: cloud.endpoint,
    region: LOCAL_REGION,
    credentials: { ...LOCAL_CREDENTIALS },
  });
  const file = outboxFile(opts.stateDir);
  const listener: ResponseListener = async (req, res) => {
    if (res.status !== 200) return;
    const publications = publicationsOf(req.body, res.body?.toString() ?? '');
    const [first] = publications;
    if (!first) return;
    const subscribers: { endpoint: string; protocol: 'email' | 'email-json'; arn?: string }[] = [];
    let NextToken: string | undefined;
    do {
      const page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: first.topic, NextToken }));
      for (const s of page.Subscriptions ?? []) {
        if ((s.Protocol === 'email' || s.Protocol === 'email-json') && s.Endpoint) {
          subscribers.push({ endpoint: s.Endpoint, protocol: s.Protocol, arn: s.SubscriptionArn });
        }
      }
      NextToken = page.NextToken;
    } while (NextToken);
    await appendOutbox(
      file,
      publications.flatMap((p) => subscribers.map((s) => emailFor(p, s))),
    );
  };
  cloud.observe('sns', listener);
}
