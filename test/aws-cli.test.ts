/**
 * The `aws` CLI with `--endpoint-url` works against the local cloud, as the module instructions
 * tell attendees to use it. Every `aws` on the PATH is tried: Debian 12's awscli 2.9 speaks SQS's
 * older query protocol, newer CLIs its JSON protocol. No `aws` at all fails, saying how to get one.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkshopCloud, type WorkshopCloud } from '../cli/workshop-cloud.ts';
import { findAwsClis } from '../testing/aws-cli.ts';
import { fixture } from '../testing/lambda.ts';

const run = promisify(execFile);

const CLIS = findAwsClis();
/** Without an `aws`, every case still runs, and fails with the fix. */
const MISSING = 'install the aws CLI: apt-get install -y awscli';

let workshop: WorkshopCloud | undefined;
const endpoint = () => workshop?.cloud.endpoint ?? '';
const noConfig = join(mkdtempSync(join(tmpdir(), 'aws-cli-')), 'none');

/** Runs `aws --endpoint-url <cloud> …` with dummy credentials and no ~/.aws profile; parses JSON. */
async function aws(cli: string | undefined, args: string[]): Promise<string> {
  if (!cli) throw new Error(MISSING);
  const { stdout } = await run(cli, ['--endpoint-url', endpoint(), '--output', 'json', ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: noConfig,
      AWS_SHARED_CREDENTIALS_FILE: noConfig,
      AWS_PAGER: '',
    },
    timeout: 60_000,
  });
  return stdout;
}

beforeAll(async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'aws-cli-state-'));
  workshop = await startWorkshopCloud({ port: 0, stateDir, log: () => {} });
  const config = {
    endpoint: endpoint(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  // Prepare: one of each, so the listings have something to show.
  await new KinesisClient(config).send(new CreateStreamCommand({ StreamName: 'cli-stream', ShardCount: 1 }));
  await new DynamoDBClient(config).send(
    new CreateTableCommand({
      TableName: 'cli-table',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await new S3Client({ ...config, forcePathStyle: true }).send(
    new CreateBucketCommand({ Bucket: 'cli-bucket' }),
  );
  await new SQSClient(config).send(new CreateQueueCommand({ QueueName: 'cli-queue' }));
  await workshop.lambda.putFunction(fixture('inspect.handler', { name: 'cli-function' }));
});

afterAll(async () => {
  await workshop?.stop();
});

const cases = (CLIS.length > 0 ? CLIS : [undefined]).map(
  (cli) => [cli ?? '(no aws on the PATH)', cli] as const,
);

describe.each(cases)('%s --endpoint-url <local cloud>', (_, cli) => {
  it.concurrent.each<[string, string[], (out: string) => void]>([
    [
      'kinesis list-streams',
      ['kinesis', 'list-streams'],
      (out) => expect(JSON.parse(out).StreamNames).toContain('cli-stream'),
    ],
    [
      'dynamodb list-tables',
      ['dynamodb', 'list-tables'],
      (out) => expect(JSON.parse(out).TableNames).toContain('cli-table'),
    ],
    ['s3 ls', ['s3', 'ls'], (out) => expect(out).toMatch(/^\S+ \S+ cli-bucket$/m)],
    [
      'sqs list-queues',
      ['sqs', 'list-queues'],
      (out) =>
        expect(JSON.parse(out).QueueUrls).toContainEqual(expect.stringMatching(/\/000000000000\/cli-queue$/)),
    ],
    [
      'lambda list-functions',
      ['lambda', 'list-functions'],
      (out) =>
        expect(JSON.parse(out).Functions).toContainEqual(
          expect.objectContaining({ FunctionName: 'cli-function' }),
        ),
    ],
  ])('%s', async (_, args, assess) => {
    // Act
    const out = await aws(cli, args);

    // Assess
    assess(out);
  });

  it('sends and receives an SQS message', async () => {
    // Prepare
    const queueName = `cli-roundtrip-${CLIS.indexOf(cli ?? '')}`;
    const { QueueUrl } = JSON.parse(await aws(cli, ['sqs', 'create-queue', '--queue-name', queueName]));

    // Act
    await aws(cli, ['sqs', 'send-message', '--queue-url', QueueUrl, '--message-body', 'hello & <welcome>']);
    const received = JSON.parse(await aws(cli, ['sqs', 'receive-message', '--queue-url', QueueUrl]));

    // Assess
    expect(received.Messages.map((m: { Body: string }) => m.Body)).toEqual(['hello & <welcome>']);
  });
});
