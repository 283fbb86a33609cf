import dynalite from 'dynalite';
import { describe, expect, it } from 'vitest';
import { dispatchInProcess } from '../gateway/in-process.ts';
import { createLeanStore, levelStore, withStore } from './lean-storage.ts';

/** Calls a dynalite in this process, as the gateway does, and reads its JSON answer. */
function caller(server: ReturnType<typeof dynalite>) {
  return async (target: string, body: unknown) => {
    const day = '20261122T091708Z';
    const res = await dispatchInProcess(server, {
      service: 'dynamodb',
      method: 'POST',
      url: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${target}`,
        'x-amz-date': day,
        authorization: `AWS4-HMAC-SHA256 Credential=test/${day.slice(0, 8)}/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=local`,
      },
      body: Buffer.from(JSON.stringify(body)),
    });
    const out = JSON.parse(String(res.body || '{}'));
    return { status: res.status, ...out };
  };
}

type Call = ReturnType<typeof caller>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function active(call: Call, table: string) {
  for (let i = 0; i < 200; i++) {
    const out = await call('DescribeTable', { TableName: table });
    if (out.Table?.TableStatus === 'ACTIVE') return;
    await sleep(5);
  }
  throw new Error(`${table} never became ACTIVE`);
}

const item = (name: string, minute: number, distance: number) => ({
  Name: { S: name },
  StatusTime: { S: `2026-11-22 09:${String(minute).padStart(2, '0')}:00.000` },
  Distance: { N: String(distance) },
});

/** Every page of a Query or Scan, following LastEvaluatedKey. */
async function pages(call: Call, target: 'Query' | 'Scan', input: Record<string, unknown>) {
  const seen: unknown[] = [];
  let start: unknown;
  do {
    const out = await call(target, { ...input, ...(start ? { ExclusiveStartKey: start } : {}) });
    seen.push({ status: out.status, type: out.__type, items: out.Items, count: out.Count });
    start = out.LastEvaluatedKey;
  } while (start);
  return seen;
}

/**
 * One script of DynamoDB calls on a table with a global and a local index, its answers with what
 * depends on the clock (descriptions, times) left out: the lean store must answer it as
 * dynalite's own store does.
 */
async function script(call: Call) {
  const seen: unknown[] = [];
  await call('CreateTable', {
    TableName: 'sensors',
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'Name', AttributeType: 'S' },
      { AttributeName: 'StatusTime', AttributeType: 'S' },
      { AttributeName: 'Distance', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'Name', KeyType: 'HASH' },
      { AttributeName: 'StatusTime', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byTime',
        KeySchema: [{ AttributeName: 'StatusTime', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byDistance',
        KeySchema: [
          { AttributeName: 'Name', KeyType: 'HASH' },
          { AttributeName: 'Distance', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  });
  await active(call, 'sensors');
  const names = ['Shadowfax', 'Rocinante', 'Bucephalus'];
  for (const [n, name] of names.entries())
    for (let chunk = 0; chunk < 2; chunk++) {
      const out = await call('BatchWriteItem', {
        RequestItems: {
          sensors: Array.from({ length: 20 }, (_, i) => ({
            PutRequest: { Item: item(name, chunk * 20 + i, (n + 1) * 100 + ((i * 7) % 20)) },
          })),
        },
      });
      seen.push(out.UnprocessedItems);
    }
  seen.push(
    await call('PutItem', { TableName: 'sensors', Item: item('Shadowfax', 59, 1), ReturnValues: 'ALL_OLD' }),
  );
  seen.push(
    await call('PutItem', {
      TableName: 'sensors',
      Item: item('Shadowfax', 59, 2),
      ConditionExpression: 'attribute_not_exists(#n)',
      ExpressionAttributeNames: { '#n': 'Name' },
    }),
  );
  seen.push(
    await call('UpdateItem', {
      TableName: 'sensors',
      Key: { Name: { S: 'Rocinante' }, StatusTime: item('', 3, 0).StatusTime },
      UpdateExpression: 'ADD Distance :d SET Parts = list_append(if_not_exists(Parts, :none), :p)',
      ExpressionAttributeValues: { ':d': { N: '5' }, ':none': { L: [] }, ':p': { L: [{ S: 'shard/1' }] } },
      ReturnValues: 'ALL_NEW',
    }),
  );
  seen.push(
    await call('DeleteItem', {
      TableName: 'sensors',
      Key: { Name: { S: 'Bucephalus' }, StatusTime: item('', 7, 0).StatusTime },
      ReturnValues: 'ALL_OLD',
    }),
  );
  seen.push(
    await call('GetItem', {
      TableName: 'sensors',
      Key: { Name: { S: 'Bucephalus' }, StatusTime: item('', 7, 0).StatusTime },
    }),
  );
  seen.push(
    await call('GetItem', {
      TableName: 'sensors',
      Key: { Name: { S: 'Shadowfax' }, StatusTime: item('', 8, 0).StatusTime },
    }),
  );
  const batch = await call('BatchGetItem', {
    RequestItems: {
      sensors: { Keys: names.map((name) => ({ Name: { S: name }, StatusTime: item('', 11, 0).StatusTime })) },
    },
  });
  seen.push(
    batch.Responses?.sensors?.sort((a: { Name: { S: string } }, b: { Name: { S: string } }) =>
      a.Name.S.localeCompare(b.Name.S),
    ),
  );
  seen.push(
    await pages(call, 'Query', {
      TableName: 'sensors',
      KeyConditionExpression: '#n = :n AND StatusTime BETWEEN :a AND :b',
      ExpressionAttributeNames: { '#n': 'Name' },
      ExpressionAttributeValues: {
        ':n': { S: 'Shadowfax' },
        ':a': item('', 5, 0).StatusTime,
        ':b': item('', 30, 0).StatusTime,
      },
      ScanIndexForward: false,
      Limit: 7,
    }),
  );
  seen.push(
    await pages(call, 'Query', {
      TableName: 'sensors',
      IndexName: 'byTime',
      KeyConditionExpression: 'StatusTime = :t',
      ExpressionAttributeValues: { ':t': item('', 12, 0).StatusTime },
    }),
  );
  seen.push(
    await pages(call, 'Query', {
      TableName: 'sensors',
      IndexName: 'byDistance',
      KeyConditionExpression: '#n = :n AND Distance > :d',
      ExpressionAttributeNames: { '#n': 'Name' },
      ExpressionAttributeValues: { ':n': { S: 'Rocinante' }, ':d': { N: '210' } },
    }),
  );
  seen.push(await pages(call, 'Scan', { TableName: 'sensors', Limit: 13 }));
  seen.push(
    await pages(call, 'Scan', {
      TableName: 'sensors',
      FilterExpression: 'Distance >= :d',
      ExpressionAttributeValues: { ':d': { N: '310' } },
    }),
  );
  const arn = (await call('DescribeTable', { TableName: 'sensors' })).Table.TableArn;
  await call('TagResource', { ResourceArn: arn, Tags: [{ Key: 'workshop', Value: 'wildrydes' }] });
  seen.push((await call('ListTagsOfResource', { ResourceArn: arn })).Tags);
  // A table deleted and created again under its name starts empty.
  await call('DeleteTable', { TableName: 'sensors' });
  for (let i = 0; i < 200 && (await call('DescribeTable', { TableName: 'sensors' })).status === 200; i++)
    await sleep(5);
  seen.push(
    (await call('GetItem', { TableName: 'sensors', Key: { Name: { S: 'x' }, StatusTime: { S: 'y' } } }))
      .__type,
  );
  await call('CreateTable', {
    TableName: 'sensors',
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'Name', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'Name', KeyType: 'HASH' }],
  });
  await active(call, 'sensors');
  seen.push('recreated', await pages(call, 'Scan', { TableName: 'sensors' }));
  seen.push((await call('ListTables', {})).TableNames);
  return seen;
}

describe('createLeanStore in dynalite', () => {
  it('answers a script of writes, reads, queries, scans, indexes, tags and deletes as dynalite’s own store does', async () => {
    // Prepare
    const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };
    const lean = withStore(createLeanStore, () => dynalite(options));
    const level = withStore(levelStore, () => dynalite(options));

    // Act
    const fromLean = await script(caller(lean));
    const fromLevel = await script(caller(level));

    // Assess
    expect(fromLean).toEqual(fromLevel);
    // The script read what it wrote: 120 items, one more put, one deleted, in pages of 13.
    const scan = fromLean[fromLean.length - 7] as { items: unknown[] }[];
    expect(scan.flatMap((page) => page.items)).toHaveLength(120);
  });
});
