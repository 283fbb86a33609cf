import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, eventually, useLocalCloud } from '../../testing/local-cloud.ts';
import { installOutbox, outboxFile, parseOutbox, readOutbox } from './index.ts';

describe('the local outbox for SNS email subscriptions', () => {
  const cloud = useLocalCloud();
  let stateDir: string;
  let sns: SNSClient;
  let topicArn: string;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'wildrydes-outbox-'));
    installOutbox(cloud(), { stateDir });
    sns = new SNSClient(clientConfig(cloud()));
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'alarms' }))).TopicArn ?? '';
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: 'ops@example.com' }),
    );
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email-json', Endpoint: 'robot@example.com' }),
    );
  });

  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('writes one message per email subscriber for each publish', async () => {
    // Act
    await sns.send(
      new PublishCommand({ TopicArn: topicArn, Subject: 'ALARM: dlq', Message: 'A file is in the DLQ' }),
    );

    // Assess
    const messages = await eventually(async () => {
      const all = await readOutbox(outboxFile(stateDir));
      return all.length >= 2 ? all : undefined;
    });
    expect(messages).toEqual([
      expect.objectContaining({
        to: 'ops@example.com',
        protocol: 'email',
        topic: topicArn,
        subject: 'ALARM: dlq',
        body: 'A file is in the DLQ',
      }),
      expect.objectContaining({ to: 'robot@example.com', protocol: 'email-json', subject: 'ALARM: dlq' }),
    ]);
    expect(JSON.parse(messages[1]?.body ?? '{}')).toMatchObject({
      Type: 'Notification',
      TopicArn: topicArn,
      Message: 'A file is in the DLQ',
    });
    expect(Date.parse(messages[0]?.time ?? '')).not.toBeNaN();
  });

  it('writes batches too, and nothing for a topic without email subscribers', async () => {
    // Prepare
    const quiet = (await sns.send(new CreateTopicCommand({ Name: 'quiet' }))).TopicArn ?? '';
    const before = (await readOutbox(outboxFile(stateDir))).length;

    // Act
    await sns.send(new PublishCommand({ TopicArn: quiet, Message: 'nobody reads this' }));
    await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: [
          { Id: '1', Message: 'first' },
          { Id: '2', Message: 'second', Subject: 'two' },
        ],
      }),
    );

    // Assess
    const added = await eventually(async () => {
      const all = (await readOutbox(outboxFile(stateDir))).slice(before);
      return all.length >= 4 ? all : undefined;
    });
    expect(added.filter((m) => m.protocol === 'email').map((m) => [m.subject, m.body])).toEqual([
      ['AWS Notification Message', 'first'],
      ['two', 'second'],
    ]);
    expect(added.some((m) => m.body.includes('nobody reads this'))).toBe(false);
  });

  it('refuses a subject with a line break or an escape code, as SNS does, and sends nothing', async () => {
    // Prepare
    const before = (await readOutbox(outboxFile(stateDir))).length;

    // Act
    const injected = await sns
      .send(
        new PublishCommand({ TopicArn: topicArn, Subject: 'ALARM\r\nBcc: all@example.com', Message: 'x' }),
      )
      .catch((err: Error) => err);
    const escaped = await sns
      .send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: [{ Id: '1', Message: 'y', Subject: '\u001b[2Jcleared' }],
        }),
      )
      .catch((err: Error) => err);

    // Assess
    expect(injected).toMatchObject({ name: 'InvalidParameterException' });
    expect(escaped).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringMatching(/Invalid parameter: Subject/),
    });
    await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: 'after', Message: 'z' }));
    const added = await eventually(async () => {
      const all = (await readOutbox(outboxFile(stateDir))).slice(before);
      return all.length >= 2 ? all : undefined;
    });
    expect(added.map((m) => m.subject)).toEqual(['after', 'after']);
  });

  it('skips a half-written line', () => {
    // Act
    const messages = parseOutbox('{"to":"a@b","body":"x"}\n{"to":"c@');

    // Assess
    expect(messages).toHaveLength(1);
  });
});
