import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisStreamTumblingWindowEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeStream, readWholeStream } from '../../checks/streams.ts';
import { clientConfig, eventually, useLocalCloud } from '../../testing/local-cloud.ts';
import { fakeContext, kinesisRecord, status, windowEvent } from '../../testing/streams.ts';

// The handler's I/O against a local cloud. A file of its own: the handler reads its environment
// when it is loaded, as in Lambda, so nothing may load it before the environment is set.

const events = join(import.meta.dirname, '..', '..', 'modules', '03-stream-aggregation', 'events');
const sampleEvent = (file: string): KinesisStreamTumblingWindowEvent =>
  JSON.parse(readFileSync(join(events, file), 'utf8'));

describe('handler (on a local cloud)', () => {
  const cloud = useLocalCloud();
  let kinesis: KinesisClient;
  let handler: typeof import('./aggregate.ts').handler;
  const streamName = 'aggregated-handler-test';

  beforeAll(async () => {
    kinesis = new KinesisClient(clientConfig(cloud()));
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: cloud().endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AGGREGATED_STREAM_NAME: streamName,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    // The handler reads its environment when it is loaded, as in Lambda.
    ({ handler } = await import('./aggregate.ts'));
    await eventually(
      async () => (await describeStream(kinesis, streamName))?.status === 'ACTIVE' || undefined,
    );
  });

  it('returns the state and puts nothing before the window closes, then one record per unicorn', async () => {
    // Prepare
    const batch = sampleEvent('window-batch.json');
    const context = fakeContext('wildrydes-aggregate');

    // Act
    const first = await handler(batch, context);
    const before = await readWholeStream(kinesis, streamName);
    const final = await handler({ ...sampleEvent('final-invoke.json'), state: first.state }, context);
    const after = await readWholeStream(kinesis, streamName);

    // Assess
    expect(first.state).toEqual(sampleEvent('final-invoke.json').state);
    expect(before).toEqual([]);
    expect(final.state).toEqual({});
    const part = 'shardId-000000000000/49590338271490256608559692538361571095921575989136588890';
    expect(after.map((r) => [r.partitionKey, JSON.parse(r.text)])).toEqual([
      [
        'Rocinante',
        expect.objectContaining({
          Name: 'Rocinante',
          StatusTime: '2026-11-22 09:17:00.000',
          Distance: 320,
          Part: part,
        }),
      ],
      [
        'Shadowfax',
        expect.objectContaining({
          Name: 'Shadowfax',
          StatusTime: '2026-11-22 09:17:00.000',
          Distance: 356,
          Part: part,
        }),
      ],
    ]);
  });

  it('skips a malformed record instead of failing the whole window', async () => {
    // Prepare
    const event = windowEvent([
      kinesisRecord('not json'),
      kinesisRecord({ Name: 'Shadowfax' }),
      kinesisRecord(status()),
    ]);

    // Act
    const result = await handler(event, fakeContext());

    // Assess
    expect(Object.keys(result.state.tallies)).toEqual(['Shadowfax']);
    expect(result.batchItemFailures).toEqual([]);
  });

  it('names each part of a window Lambda ended early, the same again when the final invocation is retried', async () => {
    // Prepare: the window's first part ended early (state over 1 MB); the second part starts afresh.
    const stream = () => readWholeStream(kinesis, streamName);
    const seen = (await stream()).length;
    const shard = { shardId: 'shardId-000000000007' };
    const firstPart = await handler(
      { ...windowEvent([kinesisRecord(status({ Distance: 100 }), { sequenceNumber: '11' })]), ...shard },
      fakeContext(),
    );
    const secondPart = await handler(
      { ...windowEvent([kinesisRecord(status({ Distance: 50 }), { sequenceNumber: '22' })]), ...shard },
      fakeContext(),
    );

    // Act
    const close = (state: Record<string, unknown>, early: boolean) =>
      handler(
        { ...windowEvent([], { state, final: true }), ...shard, isWindowTerminatedEarly: early },
        fakeContext(),
      );
    await close(firstPart.state, true);
    await close(firstPart.state, true); // a retry of the same final invocation
    await close(secondPart.state, false);

    // Assess
    const emitted = (await stream()).slice(seen).map((r) => JSON.parse(r.text));
    expect(emitted.map((a) => [a.Part, a.Distance])).toEqual([
      ['shardId-000000000007/11', 100],
      ['shardId-000000000007/11', 100],
      ['shardId-000000000007/22', 50],
    ]);
  });
});
