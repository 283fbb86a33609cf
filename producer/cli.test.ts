/**
 * The compiled producer (dist/producer.mjs) run with plain `node`, as attendees run it: built
 * once here, then spawned; the sending tests use a real local cloud on a free port.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnicornStatus } from '../contracts/telemetry.ts';
import { clientConfig, eventually, useLocalCloud } from '../testing/local-cloud.ts';
import { freePort as closedPort } from '../testing/ports.ts';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'dist', 'producer.mjs');
const STATUS_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;
const FIELDS = ['Name', 'StatusTime', 'Latitude', 'Longitude', 'Distance', 'MagicPoints', 'HealthPoints'];

/** The environment without any AWS_* variable: no credentials, no endpoint, no region. */
const cleanEnv = (extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
  ...extra,
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled producer; `onStderr` sees stderr as it comes (to interrupt it). */
function producer(
  args: string[],
  env: NodeJS.ProcessEnv = cleanEnv(),
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');
const withoutTime = ({ StatusTime: _, ...rest }: UnicornStatus) => rest;
const parse = (stdout: string) => lines(stdout).map((line) => JSON.parse(line) as UnicornStatus);

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: root });
});

describe('producer --dry-run', () => {
  it('prints one raw telemetry record per unicorn per tick, the same ones for the same seed', async () => {
    // Prepare
    const args = ['--dry-run', '--count', '120', '--seed', '7', '--unicorns', '2'];

    // Act
    const first = await producer(args);
    const second = await producer(args);

    // Assess
    expect(first.code).toBe(0);
    const records = parse(first.stdout);
    expect(records).toHaveLength(240);
    for (const record of records) {
      expect(Object.keys(record)).toEqual(FIELDS);
      expect(record.StatusTime).toMatch(STATUS_TIME);
      expect(['Shadowfax', 'Rocinante']).toContain(record.Name);
    }
    expect(parse(second.stdout).map(withoutTime)).toEqual(records.map(withoutTime));
    expect(lines(first.stderr)).toEqual(['dry run: printed 240 records for 2 unicorns, sent nothing']);
  });
});

describe('producer --help', () => {
  it('explains itself with examples and exits 0', async () => {
    // Act
    const { code, stdout } = await producer(['--help']);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('--unicorns');
    expect(stdout).toContain('Examples:');
  });
});

describe('producer with bad input', () => {
  it.each([
    [['--bogus'], /Unknown argument: bogus/],
    [['--rate', '0'], /--rate must be/],
    [['--rate', '-2'], /--rate must be/],
    [['--count', 'many'], /--count must be a whole number/],
    [['--count', '0'], /--count must be a whole number/],
    [['--count'], /Not enough arguments following: count/],
    [['--duration', '-1'], /--duration must be/],
    [['--count', '1', '--duration', '1'], /either --count or --duration/],
    [['--unicorns', '2', '--name', 'Epona'], /either --name or --unicorns/],
    [['--tired', 'Epona'], /--tired Epona is not one of the unicorns/],
    [['--endpoint', 'localhost'], /--endpoint 'localhost' is not a URL/],
  ])('%j: one line on stderr, exit 2', async (args, message) => {
    // Act
    const { code, stderr } = await producer(['--dry-run', ...args]);

    // Assess
    expect(code).toBe(2);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain('    at ');
  });

  it('reports an unreachable endpoint in one line, exit 2', async () => {
    // Prepare
    const endpoint = `http://127.0.0.1:${await closedPort()}`;

    // Act
    const { code, stderr } = await producer(['--endpoint', endpoint, '--count', '1']);

    // Assess
    expect(code).toBe(2);
    expect(lines(stderr)).toEqual([
      `error: cannot reach ${endpoint}: is the local cloud running? Start it with \`npm start\`, or set AWS_ENDPOINT_URL to its endpoint`,
    ]);
  });

  it('gives up on an endpoint that accepts connections but never answers within seconds', async () => {
    // Prepare: a server that takes the connection and says nothing
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;

    // Act
    const { code, stderr } = await producer(['--endpoint', `http://127.0.0.1:${port}`, '--count', '1']);
    silent.close();

    // Assess
    expect(code).toBe(2);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/cannot reach .* \(no answer within 5 s\)/);
  });

  it('reports missing credentials for a remote endpoint in one line, exit 2', async () => {
    // Prepare
    const env = cleanEnv({
      HOME: mkdtempSync(join(tmpdir(), 'producer-home-')),
      AWS_EC2_METADATA_DISABLED: 'true',
    });

    // Act
    const { code, stderr } = await producer(['--endpoint', 'http://192.0.2.1:4566', '--count', '1'], env);

    // Assess
    expect(code).toBe(2);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/^error: no AWS credentials found: .*`aws configure`/);
  });
});

describe('producer against the local cloud', () => {
  const cloud = useLocalCloud();
  const kinesis = () => new KinesisClient({ ...clientConfig(cloud()), maxAttempts: 1 });

  async function createStream(name: string, shards: number): Promise<void> {
    const client = kinesis();
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    await eventually(async () => {
      const { StreamDescriptionSummary: s } = await client.send(
        new DescribeStreamSummaryCommand({ StreamName: name }),
      );
      return s?.StreamStatus === 'ACTIVE' ? true : undefined;
    });
    client.destroy();
  }

  async function readAll(name: string): Promise<UnicornStatus[]> {
    const client = kinesis();
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: name }));
    const records: UnicornStatus[] = [];
    for (const shard of Shards) {
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({
          StreamName: name,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const { Records = [] } = await client.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
      records.push(...Records.map((r) => JSON.parse(new TextDecoder().decode(r.Data)) as UnicornStatus));
    }
    client.destroy();
    return records;
  }

  it('fails fast when the stream does not exist, naming the deploy command', async () => {
    // Act
    const { code, stderr } = await producer([
      '--endpoint',
      cloud().endpoint,
      '--stream',
      'nowhere',
      '--count',
      '1',
    ]);

    // Assess
    expect(code).toBe(2);
    expect(lines(stderr)).toEqual([
      `error: stream 'nowhere' does not exist in ${cloud().endpoint}: deploy module 2 first (\`npm run deploy -- 2\`)`,
    ]);
  });

  it('sends every record, in order per unicorn, the same records a dry run prints', async () => {
    // Prepare
    await createStream('producer-send', 2);
    const args = ['--count', '5', '--unicorns', '2', '--seed', '3', '--rate', '20'];
    const expected = parse((await producer(['--dry-run', ...args])).stdout).map(withoutTime);

    // Act
    const run = await producer([
      ...args,
      '--endpoint',
      cloud().endpoint,
      '--stream',
      'producer-send',
      '--quiet',
    ]);
    const received = (await readAll('producer-send')).map(withoutTime);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^sent 10 records for 2 unicorns to stream 'producer-send' in .* retried 0, failed 0$/m,
    );
    for (const name of ['Shadowfax', 'Rocinante']) {
      expect(received.filter((r) => r.Name === name)).toEqual(expected.filter((r) => r.Name === name));
    }
  });

  it('warns before sending when a shard would get more than it takes, and still sends every record', async () => {
    // Prepare
    await createStream('producer-overload', 1);

    // Act: 1,001 unicorns at a record a second on one shard
    const run = await producer([
      ...['--unicorns', '1001', '--count', '1', '--quiet'],
      ...['--endpoint', cloud().endpoint, '--stream', 'producer-overload'],
    ]);

    // Assess
    expect(run.code).toBe(0);
    expect(lines(run.stderr)[0]).toBe(
      'warning: at 1 record/s per unicorn, the stream’s one shard gets 1,001 records/s, over the 1,000 a shard ' +
        'takes: expect it throttled for as long as this runs; 2 shards would carry this fleet (README, “Shards”), ' +
        'or send slower (--rate)',
    );
    expect(run.stderr).toMatch(/sent 1,001 records for 1,001 unicorns .* failed 0/);
    expect(await readAll('producer-overload')).toHaveLength(1001);
  });

  it('stops on Ctrl-C, sends what is buffered and exits 0 with a summary', async () => {
    // Prepare
    await createStream('producer-sigint', 1);
    let interrupted = false;

    // Act
    const run = await producer(
      ['--endpoint', cloud().endpoint, '--stream', 'producer-sigint', '--unicorns', '3', '--rate', '20'],
      cleanEnv(),
      (stderr, child) => {
        if (!interrupted && stderr.includes('riding')) {
          interrupted = true;
          setTimeout(() => child.kill('SIGINT'), 500);
        }
      },
    );

    // Assess
    expect(run.code).toBe(0);
    const summary = lines(run.stderr).at(-1) ?? '';
    expect(summary).toMatch(/^stopped by Ctrl-C: sent \d+ records for 3 unicorns .* failed 0$/);
    const sent = Number(/sent (\d+) records/.exec(summary)?.[1]);
    expect(sent).toBeGreaterThan(0);
    expect(await readAll('producer-sigint')).toHaveLength(sent);
  });
});
