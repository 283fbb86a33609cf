/**
 * Module 4's by-hand function (modules/04-stream-processing/by-hand/index.js) on a local cloud's
 * table: the parts of a window ended early are merged into one item, a part delivered twice is
 * counted once, and a whole window replaces its item, as the solution does.
 */
import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanTable } from '../checks/streams.ts';
import { repoRoot } from '../core/curriculum.ts';
import { clientConfig, useLocalCloud } from '../testing/local-cloud.ts';
import { aggregate, createSensorTable, kinesisEvent, kinesisRecord } from '../testing/streams.ts';

const TABLE = 'by-hand-parts-test';
const WINDOW = '2026-11-22 09:17:00.000';

describe('module 4 by hand: window parts', () => {
  const cloud = useLocalCloud();
  let dynamodb: DynamoDBClient;
  let handler: (event: KinesisStreamEvent) => Promise<void>;

  beforeAll(async () => {
    dynamodb = new DynamoDBClient(clientConfig(cloud()));
    await createSensorTable(dynamodb, TABLE);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: cloud().endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      TABLE_NAME: TABLE,
    });
    // As Lambda loads it from its zip: CommonJS (here the repository's package.json says ESM),
    // its environment read at load.
    const file = join(repoRoot, 'modules', '04-stream-processing', 'by-hand', 'index.js');
    const module = { exports: {} as { handler?: typeof handler } };
    runInThisContext(Module.wrap(readFileSync(file, 'utf8')), { filename: file })(
      module.exports,
      createRequire(file),
      module,
      file,
      dirname(file),
    );
    if (!module.exports.handler) throw new Error(`${file} exports no handler`);
    handler = module.exports.handler;
  });

  const part = (Name: string, Part: string | undefined, Distance: number, magic: [number, number]) =>
    kinesisRecord(
      aggregate({
        Name,
        StatusTime: WINDOW,
        Distance,
        MinMagicPoints: magic[0],
        MaxMagicPoints: magic[1],
        Part,
      }),
    );
  const itemOf = async (name: string) =>
    (await scanTable(dynamodb, TABLE)).filter((i) => i.Name === name && i.StatusTime === WINDOW);

  it('merges the parts of a window, in one batch and across batches, each part once', async () => {
    // Act: two parts in one batch, the first again (a retry) and a third part in the next
    await handler(kinesisEvent([part('Epona', 'p1', 100, [90, 95]), part('Epona', 'p2', 50, [80, 99])]));
    await handler(kinesisEvent([part('Epona', 'p1', 100, [90, 95]), part('Epona', 'p3', 7, [85, 96])]));

    // Assess
    const items = await itemOf('Epona');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ Distance: 157, MinMagicPoints: 80, MaxMagicPoints: 99 });
    expect([...((items[0]?.Parts as string[]) ?? [])].sort()).toEqual(['p1', 'p2', 'p3']);
  });

  it('puts a whole window (no part) as it is, again and again the same', async () => {
    // Act
    await handler(kinesisEvent([part('Arion', undefined, 300, [70, 75])]));
    await handler(kinesisEvent([part('Arion', undefined, 300, [70, 75])]));

    // Assess
    const items = await itemOf('Arion');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ Distance: 300, MinMagicPoints: 70, MaxMagicPoints: 75 });
    expect(items[0]?.Parts).toBeUndefined();
  });
});
