import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanTable } from '../../checks/streams.ts';
import { clientConfig, useLocalCloud } from '../../testing/local-cloud.ts';
import {
  aggregate,
  createSensorTable,
  fakeContext,
  kinesisEvent,
  kinesisRecord,
} from '../../testing/streams.ts';

// The handler's I/O against a local cloud. A file of its own: the handler reads its environment
// when it is loaded, as in Lambda, so nothing may load it before the environment is set.

const sample = (): KinesisStreamEvent =>
  JSON.parse(
    readFileSync(
      join(
        import.meta.dirname,
        '..',
        '..',
        'modules',
        '04-stream-processing',
        'events',
        'aggregated-batch.json',
      ),
      'utf8',
    ),
  );

describe('handler (on a local cloud)', () => {
  const cloud = useLocalCloud();
  let dynamodb: DynamoDBClient;
  let handler: typeof import('./persist.ts').handler;
  const tableName = 'persist-handler-test';

  beforeAll(async () => {
    dynamodb = new DynamoDBClient(clientConfig(cloud()));
    await createSensorTable(dynamodb, tableName);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: cloud().endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      TABLE_NAME: tableName,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    ({ handler } = await import('./persist.ts'));
  });

  it('writes the sample batch, and writing it again changes nothing (idempotent puts)', async () => {
    // Act
    const first = await handler(sample(), fakeContext('wildrydes-persist'));
    const second = await handler(sample(), fakeContext('wildrydes-persist'));
    const items = await scanTable(dynamodb, tableName);

    // Assess
    expect(first).toEqual({ batchItemFailures: [] });
    expect(second).toEqual({ batchItemFailures: [] });
    expect(items.map((i) => [i.Name, i.StatusTime, i.Distance]).sort()).toEqual([
      ['Rocinante', '2026-11-22 09:17:00.000', 320],
      ['Shadowfax', '2026-11-22 09:17:00.000', 356],
    ]);
  });

  it('writes 60 records (three batches) and reports a malformed one as failed', async () => {
    // Prepare
    const records = Array.from({ length: 60 }, (_, i) =>
      kinesisRecord(
        aggregate({ Name: 'Bucephalus', StatusTime: `2026-11-22 10:${String(i).padStart(2, '0')}:00.000` }),
      ),
    );
    const bad = kinesisRecord('{"Name":"Bucephalus"}', { sequenceNumber: '777' });

    // Act
    const result = await handler(kinesisEvent([...records, bad]), fakeContext('wildrydes-persist'));
    const items = await scanTable(dynamodb, tableName);

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '777' }] });
    expect(items.filter((i) => i.Name === 'Bucephalus')).toHaveLength(60);
  });
});
