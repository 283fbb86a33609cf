import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaApi } from '../local/lambda/api/api.ts';
import type { FunctionRecord, MappingRecord } from '../local/lambda/api/shapes.ts';
import { installOutbox } from '../local/sns/index.ts';
import type { OutboxMessage } from '../local/sns/outbox.ts';
import { clientConfig, useLocalCloud } from '../testing/local-cloud.ts';
import { createStream, putRecords, runModuleCheck, status } from '../testing/streams.ts';
import { alertsByUnicorn, check, judgeAlerts, type MagicReading, readTelemetry } from './extra.ts';

const state = mkdtempSync(join(tmpdir(), 'wildrydes-extra-'));
process.env.WILDRYDES_STATE_DIR = state;

const reading = (name: string, magic: number, at: string): MagicReading => ({
  name,
  magic,
  arrival: new Date(`2026-11-22T09:17:${at}Z`),
});

describe('readTelemetry', () => {
  it('counts the windows in which each unicorn was below 50, and lists the healthy ones', () => {
    // Prepare: 2-s windows; Rocinante below 50 at :00.5 and :01.9 (one window) and :02.1 (the next).
    const readings = [
      reading('Rocinante', 51, '00.100'),
      reading('Rocinante', 49, '00.500'),
      reading('Rocinante', 48, '01.900'),
      reading('Rocinante', 47, '02.100'),
      reading('Shadowfax', 50, '00.300'),
      reading('Shadowfax', 150, '02.300'),
    ];

    // Act
    const verdict = readTelemetry(readings, 2);

    // Assess
    expect(verdict.tiredWindows).toEqual(new Map([['Rocinante', 2]]));
    expect(verdict.healthy).toEqual(['Shadowfax']);
  });
});

const email = (subject: string, body = ''): OutboxMessage => ({
  time: '2026-11-22T09:17:10.000Z',
  to: 'instructor@example.com',
  protocol: 'email',
  topic: 'arn:aws:sns:us-east-1:000000000000:wildrydes-alerts',
  subject,
  body,
});

describe('alertsByUnicorn', () => {
  it.each([
    [
      'the subject names the unicorn',
      [email('Wild Rydes alert: Rocinante is low on magic')],
      { Rocinante: 1 },
    ],
    ['only the body names it', [email('Alert', "Rocinante's magic fell")], { Rocinante: 1 }],
    ['a name inside another word does not count', [email('Alert: Shadowfaxes')], {}],
    [
      'the subject wins over the body',
      [email('Wild Rydes alert: Rocinante is low', 'unlike Shadowfax, who is fine')],
      { Rocinante: 1 },
    ],
    [
      'one alert per record is counted as such',
      [email('Rocinante low'), email('Rocinante low'), email('Rocinante low')],
      { Rocinante: 3 },
    ],
  ])('%s', (_, messages, expected) => {
    // Act
    const counts = alertsByUnicorn(messages, ['Rocinante', 'Shadowfax']);

    // Assess
    expect(Object.fromEntries(counts)).toEqual(expected);
  });
});

describe('judgeAlerts', () => {
  const telemetry = { tiredWindows: new Map([['Rocinante', 3]]), healthy: ['Shadowfax'] };

  it.each([
    ['one alert per window', { Rocinante: 3 }, { unalerted: [], unwarranted: [], repeated: [] }],
    ['one alert in all', { Rocinante: 1 }, { unalerted: [], unwarranted: [], repeated: [] }],
    ['no alert for the tired unicorn', {}, { unalerted: ['Rocinante'], unwarranted: [], repeated: [] }],
    [
      'an alert for the healthy unicorn',
      { Rocinante: 1, Shadowfax: 2 },
      { unalerted: [], unwarranted: [['Shadowfax', 2]], repeated: [] },
    ],
    [
      'one alert per record',
      { Rocinante: 180 },
      { unalerted: [], unwarranted: [], repeated: [{ name: 'Rocinante', alerts: 180, windows: 3 }] },
    ],
  ])('%s', (_, alerts, expected) => {
    // Act
    const judgement = judgeAlerts(telemetry, new Map(Object.entries(alerts)));

    // Assess
    expect(judgement).toEqual(expected);
  });
});

describe('check extra on a local cloud', () => {
  const cloud = useLocalCloud();
  let sns: SNSClient;
  let kinesis: KinesisClient;
  let topicArn = '';
  const functions: FunctionRecord[] = [];
  const mappings: MappingRecord[] = [];
  const run = () => runModuleCheck('extra', check, cloud().endpoint, { waitSeconds: 1 });
  const publishAbout = async (name: string, times = 1) => {
    for (let i = 0; i < times; i++) {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: `Wild Rydes alert: ${name} is low on magic`,
          Message: '…',
        }),
      );
    }
    // The outbox is written just after the publish is answered.
    await new Promise((resolve) => setTimeout(resolve, 200));
  };
  const clearOutbox = () => writeFileSync(join(state, 'outbox.jsonl'), '');

  beforeAll(() => {
    sns = new SNSClient(clientConfig(cloud()));
    kinesis = new KinesisClient(clientConfig(cloud()));
    installOutbox(cloud(), { stateDir: state });
    // The local Lambda API, serving the function and mapping the deployer would have created.
    cloud().register(
      'lambda',
      lambdaApi({
        functionRecords: () => functions,
        mappingRecords: () => mappings,
        invokeText: async () => {
          throw new Error('not invoked in this test');
        },
        note: () => {},
      }),
    );
  });

  // One cloud, growing from nothing deployed to a good alerting setup: each case is the next state.
  it('fails when the topic is missing, saying to deploy module 5', async () => {
    // Act
    const { code, output } = await run();

    // Assess
    expect(code).toBe(1);
    expect(output).toContain("there is no topic 'wildrydes-alerts'");
    expect(output).toContain('npm run deploy -- 5');
  });

  it('fails when nobody is subscribed by email', async () => {
    // Prepare
    ({ TopicArn: topicArn = '' } = await sns.send(new CreateTopicCommand({ Name: 'wildrydes-alerts' })));

    // Act
    const { code, output } = await run();

    // Assess
    expect(code).toBe(1);
    expect(output).toContain("the topic 'wildrydes-alerts' has no email subscription");
  });

  it('fails when the function is missing', async () => {
    // Prepare
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: 'instructor@example.com' }),
    );

    // Act
    const { code, output } = await run();

    // Assess
    expect(code).toBe(1);
    expect(output).toContain(
      "✔ the topic 'wildrydes-alerts' exists, with an email subscription — alerts go to instructor@example.com",
    );
    expect(output).toContain("there is no function 'wildrydes-alert'");
  });

  it('fails when no unicorn tired, saying how to send a tiring one', async () => {
    // Prepare
    const deployed = new Date(Date.now() - 60_000);
    functions.push({
      def: {
        name: 'wildrydes-alert',
        handler: 'index.handler',
        codeDir: '.',
        runtime: 'nodejs22.x',
        timeoutSeconds: 30,
        memorySizeMb: 256,
        environment: { TOPIC_ARN: topicArn },
      },
      codeSize: 1,
      codeSha256: 'x',
      lastModified: deployed,
      revisionId: '1',
    });
    mappings.push({
      def: {
        uuid: '11111111-1111-4111-8111-111111111111',
        functionName: 'wildrydes-alert',
        eventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/wildrydes',
        startingPosition: 'TRIM_HORIZON',
        tumblingWindowInSeconds: 2,
      },
      functionName: 'wildrydes-alert',
      source: 'kinesis',
      lastModified: deployed,
      lastProcessingResult: 'OK',
    });
    await createStream(kinesis, 'wildrydes');
    await putRecords(kinesis, 'wildrydes', [status({ MagicPoints: 150 })]);

    // Act
    const { code, output } = await run();

    // Assess
    expect(code).toBe(1);
    expect(output).toContain('✔ the function');
    expect(output).toContain('2-s windows');
    expect(output).toContain("no unicorn's magic fell below 50");
    expect(output).toContain('--tired Rocinante');
  });

  it('fails when the tiring unicorn got no alert', async () => {
    // Prepare
    await putRecords(kinesis, 'wildrydes', [
      status({ Name: 'Rocinante', MagicPoints: 49 }),
      status({ Name: 'Rocinante', MagicPoints: 48 }),
      status({ Name: 'Rocinante', MagicPoints: 47 }),
    ]);

    // Act
    const { code, output } = await run();

    // Assess
    expect(code).toBe(1);
    expect(output).toContain('✔ a tiring unicorn is on');
    expect(output).toContain('no alert for Rocinante in the outbox after 1 s');
  });

  it('fails when a healthy unicorn was alerted', async () => {
    // Prepare
    await publishAbout('Rocinante');
    await publishAbout('Shadowfax');

    // Act
    const { code, output } = await run();

    // Assess
    expect(code).toBe(1);
    expect(output).toContain('✔ each tiring unicorn was alerted');
    expect(output).toContain('Shadowfax got 1 alert though its magic never fell below 50');
  });

  it('fails on one alert per record', async () => {
    // Prepare
    clearOutbox();
    await publishAbout('Rocinante', 3);

    // Act
    const { code, output } = await run();

    // Assess
    expect(code).toBe(1);
    expect(output).toContain('Rocinante got 3 alerts for 1 window below 50: more than one per window');
  });

  it('passes with one alert for the tiring unicorn and none for the healthy one', async () => {
    // Prepare
    clearOutbox();
    await publishAbout('Rocinante');

    // Act
    const { code, output } = await run();

    // Assess
    expect(output).toContain('✔ one alert per unicorn per window, not one per record — Rocinante: 1 alert');
    expect(code).toBe(0);
  });
});
