import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TargetConfig } from '../core/target.ts';
import { clientConfig, useLocalCloud } from '../testing/local-cloud.ts';
import { aggregate, createStream, putRecords, runModuleCheck } from '../testing/streams.ts';
import { check, compareItems, itemFindings, keySchemaProblems } from './module4.ts';

process.env.WILDRYDES_STATE_DIR = mkdtempSync(join(tmpdir(), 'wildrydes-check4-'));

const at = (minute: number) => `2026-11-22 09:${String(minute).padStart(2, '0')}:00.000`;
const r1 = aggregate({ StatusTime: at(1) });
const r2 = aggregate({ StatusTime: at(2) });
const r3 = aggregate({ StatusTime: at(3) });
const records = [r1, r2, r3];

const table = (keys: [string, 'HASH' | 'RANGE', 'S' | 'N'][]): CreateTableCommandInput => ({
  TableName: 'UnicornSensorData',
  KeySchema: keys.map(([AttributeName, KeyType]) => ({ AttributeName, KeyType })),
  AttributeDefinitions: keys.map(([AttributeName, , AttributeType]) => ({ AttributeName, AttributeType })),
  BillingMode: 'PAY_PER_REQUEST',
});
const goodTable = table([
  ['Name', 'HASH', 'S'],
  ['StatusTime', 'RANGE', 'S'],
]);

describe('keySchemaProblems', () => {
  it.each([
    ['the workshop keys', goodTable, []],
    [
      'a single id key',
      table([['id', 'HASH', 'S']]),
      ["the partition key is 'id', not 'Name'", 'the sort key is missing, not'],
    ],
    [
      'a numeric sort key',
      table([
        ['Name', 'HASH', 'S'],
        ['StatusTime', 'RANGE', 'N'],
      ]),
      ["the sort key 'StatusTime' has type N, not S (string)"],
    ],
    [
      'swapped keys',
      table([
        ['StatusTime', 'HASH', 'S'],
        ['Name', 'RANGE', 'S'],
      ]),
      ["the partition key is 'StatusTime'", "the sort key is 'Name'"],
    ],
  ])('%s', (_, description, expected) => {
    // Act
    const problems = keySchemaProblems(description);

    // Assess
    expect(problems).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(problems[i]).toContain(e);
    });
  });
});

describe('itemFindings', () => {
  it.each([
    ['a distance stored as a string', { ...aggregate(), Distance: '10452' }, '`Distance` must be an integer'],
    ['a missing field', { ...aggregate(), MaxHealthPoints: undefined }, '`MaxHealthPoints` is missing'],
    ['min above max', { ...aggregate(), MinMagicPoints: 500 }, 'is above `MaxMagicPoints`'],
    [
      'a time in another format',
      { ...aggregate(), StatusTime: '2026-11-22T09:17:00Z' },
      '`StatusTime` must be',
    ],
  ])('reports %s', (_, item, expected) => {
    // Act
    const findings = itemFindings([{ ...aggregate() }, item]);

    // Assess
    expect(findings).toEqual([
      { key: expect.stringContaining('Shadowfax / '), problems: [expect.stringContaining(expected)] },
    ]);
  });
});

describe('compareItems', () => {
  it('matches every record to its item', () => {
    // Assess
    expect(compareItems(records, records)).toEqual({
      matched: 3,
      missing: [],
      different: [],
      unexpected: [],
      ignored: { records: 0, items: 0 },
    });
  });

  it.each([
    ['a missing item', records, [r1, r3], { missing: [r2], matched: 2 }],
    [
      'a double-counted item',
      records,
      [r1, { ...r2, Distance: 2 * r2.Distance }, r3],
      {
        different: [{ expected: r2, item: expect.objectContaining({ Distance: 20904 }) }],
        matched: 2,
      },
    ],
    [
      'an item with no record',
      records,
      [...records, aggregate({ StatusTime: '2026-11-22 09:02:30.000' })],
      { unexpected: [expect.objectContaining({ StatusTime: '2026-11-22 09:02:30.000' })], matched: 3 },
    ],
    ['a redelivered record (one item)', [...records, r2], records, { matched: 3, missing: [] }],
    [
      'a window in two parts, one delivered twice (one merged item)',
      [
        r1,
        { ...r2, Part: 'p/1', Distance: 1 },
        { ...r2, Part: 'p/2', Distance: r2.Distance - 1 },
        { ...r2, Part: 'p/1', Distance: 1 },
        r3,
      ],
      records,
      { matched: 3, missing: [] },
    ],
    [
      'records before the first item (read by the starter)',
      records,
      records.slice(1),
      { matched: 2, ignored: { records: 1, items: 0 } },
    ],
    [
      'items older than the stream keeps',
      records.slice(1),
      records,
      { matched: 2, ignored: { records: 0, items: 1 } },
    ],
  ])('finds %s', (_, recs, items, expected) => {
    // Act
    const result = compareItems(recs, items);

    // Assess
    expect(result).toMatchObject(expected);
  });
});

describe('check module 4 on a local cloud: the table', () => {
  const cloud = useLocalCloud();
  const awsTarget = (region: string): TargetConfig => ({
    target: 'aws',
    clientConfig: {
      region,
      endpoint: cloud().endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    },
    describe: `AWS (${region})`,
  });
  const saved = { ...process.env };

  afterEach(() => {
    process.env = { ...saved };
  });

  it('fails without credentials on AWS, saying how to configure them', async () => {
    // Prepare: nothing the SDK's credential chain could find.
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
      delete process.env[key];
    Object.assign(process.env, {
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const target: TargetConfig = {
      target: 'aws',
      clientConfig: { region: 'us-east-1' },
      describe: 'AWS (us-east-1)',
    };

    // Act
    const { code, output } = await runModuleCheck('module4', check, '', {}, target);

    // Assess
    expect(code).toBe(1);
    expect(output).toContain('no AWS credentials found');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('fails in a region without the table, suggesting --region', async () => {
    // Act
    const { code, output } = await runModuleCheck('module4', check, '', {}, awsTarget('eu-west-3'));

    // Assess
    expect(code).toBe(1);
    expect(output).toContain("there is no table 'UnicornSensorData' in AWS (eu-west-3)");
    expect(output).toContain('--region REGION');
  });

  it('fails locally when the table is missing, saying to deploy module 4', async () => {
    // Act
    const { code, output } = await runModuleCheck('module4', check, cloud().endpoint);

    // Assess
    expect(code).toBe(1);
    expect(output).toContain("there is no table 'UnicornSensorData' in the local cloud");
    expect(output).toContain('npm run deploy -- 4');
  });

  it('fails when the table has other keys', async () => {
    // Prepare
    const dynamodb = new DynamoDBClient(clientConfig(cloud()));
    await dynamodb.send(new CreateTableCommand(table([['id', 'HASH', 'S']])));
    await waitUntilTableExists(
      { client: dynamodb, maxWaitTime: 20, minDelay: 0.2 },
      { TableName: 'UnicornSensorData' },
    );

    // Act
    const { code, output } = await runModuleCheck('module4', check, cloud().endpoint);

    // Assess
    expect(code).toBe(1);
    expect(output).toContain("has the wrong keys: the partition key is 'id', not 'Name'");
  });
});

describe('check module 4 on a local cloud: the items', () => {
  const cloud = useLocalCloud();
  let kinesis: KinesisClient;
  let documents: DynamoDBDocumentClient;
  const run = (name: string) => runModuleCheck('module4', check, cloud().endpoint, { name, waitSeconds: 1 });
  const put = (items: Record<string, unknown>[]) =>
    documents.send(
      new BatchWriteCommand({
        RequestItems: { UnicornSensorData: items.map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  const recordsOf = (Name: string) => records.map((r) => ({ ...r, Name }));

  beforeAll(async () => {
    const dynamodb = new DynamoDBClient(clientConfig(cloud()));
    documents = DynamoDBDocumentClient.from(dynamodb);
    kinesis = new KinesisClient(clientConfig(cloud()));
    await dynamodb.send(new CreateTableCommand(goodTable));
    await waitUntilTableExists(
      { client: dynamodb, maxWaitTime: 20, minDelay: 0.2 },
      { TableName: 'UnicornSensorData' },
    );
  });

  it('fails when module 3 left no aggregated stream', async () => {
    // Act
    const { code, output } = await run('Shadowfax');

    // Assess
    expect(code).toBe(1);
    expect(output).toContain("there is no stream 'wildrydes-aggregated'");
    expect(output).toContain('npm run catchup -- 3');
  });

  it('fails on an empty table, naming the function to look at', async () => {
    // Prepare
    await createStream(kinesis, 'wildrydes-aggregated');
    await putRecords(kinesis, 'wildrydes-aggregated', recordsOf('Shadowfax'));

    // Act
    const { code, output } = await run('Shadowfax');

    // Assess
    expect(code).toBe(1);
    expect(output).toContain(
      "the table 'UnicornSensorData' is empty: the function 'wildrydes-persist' has written nothing",
    );
  });

  it.each([
    [
      'malformed items',
      'Malformed',
      (n: string) => recordsOf(n).map((r, i) => (i === 1 ? { ...r, Distance: String(r.Distance) } : r)),
      '1 of 3 items of Malformed are malformed',
    ],
    [
      'a missing item',
      'Missing',
      (n: string) => recordsOf(n).filter((_, i) => i !== 1),
      '1 of 3 windows of Missing are not in the table (the first: 2026-11-22 09:02:00.000)',
    ],
    [
      'a double-counted item',
      'Doubled',
      (n: string) => recordsOf(n).map((r, i) => (i === 2 ? { ...r, Distance: 2 * r.Distance } : r)),
      'Distance 20904, the record 10452 (counted twice)',
    ],
    [
      'an item whose key was changed',
      'Rekeyed',
      (n: string) => [...recordsOf(n), { ...recordsOf(n)[0], StatusTime: '2026-11-22 09:02:30.000' }],
      '1 item of Rekeyed match no aggregated record (the first: 2026-11-22 09:02:30.000)',
    ],
  ])('fails on %s', async (_, name, items, expected) => {
    // Prepare
    await putRecords(kinesis, 'wildrydes-aggregated', recordsOf(name));
    await put(items(name));

    // Act
    const { code, output } = await run(name);

    // Assess
    expect(code).toBe(1);
    expect(output).toContain(expected);
  });

  it('fails when the table holds only other unicorns, naming them', async () => {
    // Prepare
    await putRecords(kinesis, 'wildrydes-aggregated', recordsOf('Lonely'));

    // Act
    const { code, output } = await run('Lonely');

    // Assess
    expect(code).toBe(1);
    expect(output).toContain('none of Lonely');
  });

  it('passes on a conserved set: every record once, a redelivered record included', async () => {
    // Prepare
    await putRecords(kinesis, 'wildrydes-aggregated', [
      ...recordsOf('Good'),
      ...recordsOf('Good').slice(0, 1),
    ]);
    await put(recordsOf('Good'));

    // Act
    const { code, output } = await run('Good');

    // Assess
    expect(output).toContain(
      '✔ every aggregated record is in the table once, with the same values — 3 windows',
    );
    expect(code).toBe(0);
  });
});
