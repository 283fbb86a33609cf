import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { KinesisStreamTumblingWindowEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, useLocalCloud } from '../../testing/local-cloud.ts';
import { fakeContext } from '../../testing/streams.ts';

// The handler's I/O against a local cloud: alerts are published to a topic with a queue
// subscribed, so the test can read what was sent. A file of its own: the handler reads its
// environment when it is loaded, as in Lambda.

const sample = (file: string): KinesisStreamTumblingWindowEvent =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '..', '..', 'modules', '05-alerting', 'events', file), 'utf8'),
  );

describe('handler (on a local cloud)', () => {
  const cloud = useLocalCloud();
  let sqs: SQSClient;
  let queueUrl: string;
  let handler: typeof import('./alert.ts').handler;

  beforeAll(async () => {
    const sns = new SNSClient(clientConfig(cloud()));
    sqs = new SQSClient(clientConfig(cloud()));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alert-handler-test' }));
    ({ QueueUrl: queueUrl = '' } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'alert-handler-test' }),
    ));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: cloud().endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      TOPIC_ARN: TopicArn,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    ({ handler } = await import('./alert.ts'));
  });

  const received = async () => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    return Messages.map((m) => (JSON.parse(m.Body ?? '{}') as { Subject?: string }).Subject);
  };

  it('publishes one alert for the tired unicorn of the sample batch, and remembers it', async () => {
    // Act
    const result = await handler(sample('low-magic-batch.json'), fakeContext('wildrydes-alert'));

    // Assess
    expect(await received()).toEqual(['Wild Rydes alert: Rocinante is low on magic']);
    expect(result.state).toEqual({ Rocinante: '2026-11-22 09:17:08.201' });
  });

  it('publishes nothing when the state says the unicorn was already alerted in this window', async () => {
    // Act
    const result = await handler(sample('already-alerted-batch.json'), fakeContext('wildrydes-alert'));

    // Assess
    expect(await received()).toEqual([]);
    expect(result.state).toEqual({ Rocinante: '2026-11-22 09:17:08.201' });
  });

  it('returns an empty state on the final invocation of a window', async () => {
    // Act
    const result = await handler(
      { ...sample('already-alerted-batch.json'), Records: [], isFinalInvokeForWindow: true },
      fakeContext('wildrydes-alert'),
    );

    // Assess
    expect(result.state).toEqual({});
  });
});
