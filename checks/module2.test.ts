import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseStatus } from '../contracts/telemetry.ts';
import { clientConfig, useLocalCloud } from '../testing/local-cloud.ts';
import { createStream, putRecords, runModuleCheck, status } from '../testing/streams.ts';
import { check, schemaFindings } from './module2.ts';
import { decodeRecord, type StreamRecord } from './streams.ts';

process.env.WILDRYDES_STATE_DIR = mkdtempSync(join(tmpdir(), 'wildrydes-check2-'));

const streamRecord = (data: unknown, partitionKey = 'Shadowfax'): StreamRecord => ({
  shardId: 'shardId-000000000000',
  sequenceNumber: '1',
  partitionKey,
  arrival: new Date(),
  text: typeof data === 'string' ? data : JSON.stringify(data),
});

describe('schemaFindings', () => {
  it('finds nothing wrong with good records', () => {
    // Assess
    expect(schemaFindings([decodeRecord(streamRecord(status()), parseStatus)])).toEqual([]);
  });

  it.each([
    ['a wrong partition key', streamRecord(status(), 'unicorns'), "the partition key is 'unicorns'"],
    ['text that is not JSON', streamRecord('Shadowfax,175'), 'not JSON'],
    [
      'a distance as text',
      streamRecord(status({ Distance: '175' as unknown as number })),
      '`Distance` must be an integer',
    ],
    [
      'points out of range',
      streamRecord(status({ MagicPoints: -3 })),
      '`MagicPoints` must be an integer from 0',
    ],
  ])('reports %s', (_, record, expected) => {
    // Act
    const findings = schemaFindings([decodeRecord(record, parseStatus)]);

    // Assess
    expect(findings).toEqual([{ sequenceNumber: '1', problems: [expect.stringContaining(expected)] }]);
  });
});

describe('check module 2 on a local cloud', () => {
  const cloud = useLocalCloud();
  let kinesis: KinesisClient;
  const run = (name = 'Shadowfax') => runModuleCheck('module2', check, cloud().endpoint, { name });

  beforeAll(() => {
    kinesis = new KinesisClient(clientConfig(cloud()));
  });

  // One cloud, its stream growing from missing to good: each case is the next state.
  it('fails when the stream is missing, and says to deploy module 2', async () => {
    // Act
    const { code, output } = await run();

    // Assess
    expect(code).toBe(1);
    expect(output).toContain("✖ the stream 'wildrydes' exists and is active");
    expect(output).toContain("there is no stream 'wildrydes' in the local cloud");
    expect(output).toContain('hint: deploy it: `npm run deploy -- 2`');
  });

  it('fails when the stream is empty, and says how to run the producer', async () => {
    // Prepare
    await createStream(kinesis, 'wildrydes');

    // Act
    const { code, output } = await run();

    // Assess
    expect(code).toBe(1);
    expect(output).toContain("✔ the stream 'wildrydes' exists and is active");
    expect(output).toContain("the stream 'wildrydes' is empty");
    expect(output).toContain('npm run producer -- --name Shadowfax --duration 60');
  });

  it('fails when only other unicorns are on the stream, naming them', async () => {
    // Prepare
    await putRecords(kinesis, 'wildrydes', [status({ Name: 'Rocinante' })]);

    // Act
    const { code, output } = await run();

    // Assess
    expect(code).toBe(1);
    expect(output).toContain('none from Shadowfax');
    expect(output).toContain('--name Rocinante');
  });

  it('fails on a malformed record of the unicorn, saying what is wrong with it', async () => {
    // Prepare
    await putRecords(kinesis, 'wildrydes', [status(), status({ Latitude: 123 })]);

    // Act
    const { code, output } = await run();

    // Assess
    expect(code).toBe(1);
    expect(output).toContain('✔ the stream holds telemetry from your unicorn — 2 records from Shadowfax');
    expect(output).toContain('1 of 2 records from Shadowfax do not follow the schema');
    expect(output).toContain('`Latitude` must be a number from -90 to 90, got 123');
  });

  it('passes for a unicorn whose records are all good', async () => {
    // Act
    const { code, output } = await run('Rocinante');

    // Assess
    expect(output).toContain('✔ every record of your unicorn has the raw telemetry schema');
    expect(code).toBe(0);
  });
});
