/**
 * The real `aws` CLI builds a function by hand against the local cloud, as an attendee would:
 * create-function from a zip, invoke, a Kinesis event source mapping from LATEST feeding
 * DynamoDB, updates and deletion. Every distinct `aws` on the PATH is tried (Debian's awscli 2.9,
 * a pip-installed v1…); the cases are skipped only when there is none.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAwsClis } from '../../../testing/aws-cli.ts';
import { createStream } from '../../../testing/lambda.ts';
import { clientConfig, eventually, useLocalCloud } from '../../../testing/local-cloud.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../types.ts';
import { createItemsTable, DYNAMODB_WRITER, zipOf } from '../fixtures/zips.ts';
import { LambdaService } from '../service.ts';

const execFileAsync = promisify(execFile);

const CLIS = findAwsClis();
const ROLE = 'arn:aws:iam::000000000000:role/x';
const TABLE = 'cli-items';

describe.skipIf(CLIS.length === 0)(
  'the aws CLI builds a function by hand (skipped only without an aws on the PATH)',
  () => {
    const cloud = useLocalCloud();
    let service: LambdaService;
    let dynamodb: DynamoDBClient;
    let work: string;
    let codeRoot: string;
    const zip = zipOf({ 'index.js': DYNAMODB_WRITER });

    /** Runs `aws --endpoint-url <cloud> --output json …` with dummy credentials and no profile. */
    async function aws(
      cli: string,
      args: string[],
    ): Promise<{ code: number; stdout: string; stderr: string }> {
      try {
        const { stdout, stderr } = await execFileAsync(
          cli,
          ['--endpoint-url', cloud().endpoint, '--output', 'json', ...args],
          {
            cwd: work,
            env: {
              PATH: process.env.PATH,
              HOME: work,
              AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
              AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
              AWS_DEFAULT_REGION: LOCAL_REGION,
              AWS_CONFIG_FILE: join(work, 'no-config'),
              AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
              AWS_PAGER: '',
            },
            timeout: 60_000,
          },
        );
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code?: unknown; stdout?: string; stderr?: string };
        if (typeof e.code !== 'number') throw err;
        return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
      }
    }
    /** Runs a command that must succeed; its JSON output parsed (`{}` when it prints nothing). */
    async function awsJson(cli: string, args: string[]) {
      const out = await aws(cli, args);
      if (out.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${out.code}: ${out.stderr}`);
      // biome-ignore lint/suspicious/noExplicitAny: the CLI's output is whatever the operation answers.
      return (out.stdout.trim() ? JSON.parse(out.stdout) : {}) as Record<string, any>;
    }

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'lambda-cli-'));
      codeRoot = join(work, 'code');
      service = new LambdaService({ endpoint: cloud().endpoint, codeRoot });
      cloud().register('lambda', service.handle);
      dynamodb = new DynamoDBClient(clientConfig(cloud()));
      await createItemsTable(dynamodb, TABLE);
      const kinesis = new KinesisClient(clientConfig(cloud()));
      for (const [i] of CLIS.entries()) await createStream(kinesis, `cli-stream-${i}`);
      await writeFile(join(work, 'fn.zip'), zip);
      await writeFile(join(work, 'event.json'), JSON.stringify({ id: 'from-cli', data: 'invoked' }));
      await writeFile(join(work, 'record.txt'), 'unicorn ride from the CLI');
    });
    afterAll(async () => {
      await service.stop();
      await rm(work, { recursive: true, force: true });
    });

    // A CLI takes a second or two to start, and a case runs several commands.
    describe.each(CLIS.map((cli, i) => [cli, i] as const))('%s', { timeout: 120_000 }, (cli, i) => {
      const name = `cli-fn-${i}`;

      it('creates a function from a zip, waits until it is active, invokes it', async () => {
        // Act
        const created = await awsJson(cli, [
          'lambda',
          'create-function',
          ...['--function-name', name, '--zip-file', 'fileb://fn.zip', '--handler', 'index.handler'],
          ...['--runtime', 'nodejs20.x', '--role', ROLE, '--timeout', '10'],
          ...['--environment', `Variables={TABLE_NAME=${TABLE}}`],
        ]);
        await awsJson(cli, ['lambda', 'wait', 'function-active-v2', '--function-name', name]);
        const invoked = await awsJson(cli, [
          ...['lambda', 'invoke', '--function-name', name, '--payload', 'fileb://event.json'],
          join(work, `out-${i}.json`),
        ]);

        // Assess
        expect(created).toMatchObject({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          CodeSha256: createHash('sha256').update(zip).digest('base64'),
          CodeSize: zip.byteLength,
          State: 'Pending',
        });
        expect(invoked).toEqual({ StatusCode: 200, ExecutedVersion: '$LATEST' });
        expect(JSON.parse(await readFile(join(work, `out-${i}.json`), 'utf8'))).toEqual({
          written: 1,
          version: 'v1',
        });
        const { Item } = await dynamodb.send(
          new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'from-cli' } } }),
        );
        expect(Item?.data?.S).toBe('invoked');
      });

      it('maps a Kinesis stream from LATEST: a record put afterwards lands in DynamoDB', async () => {
        // Prepare
        const streamArn = `arn:aws:kinesis:us-east-1:000000000000:stream/cli-stream-${i}`;

        // Act
        const mapping = await awsJson(cli, [
          ...['lambda', 'create-event-source-mapping', '--function-name', name],
          ...['--event-source-arn', streamArn, '--starting-position', 'LATEST', '--batch-size', '10'],
        ]);
        const { SequenceNumber } = await awsJson(cli, [
          ...['kinesis', 'put-record', '--stream-name', `cli-stream-${i}`],
          ...['--partition-key', 'k', '--data', 'fileb://record.txt'],
        ]);

        // Assess
        expect(mapping).toMatchObject({
          EventSourceArn: streamArn,
          StartingPosition: 'LATEST',
          State: 'Creating',
        });
        const item = await eventually(async () => {
          const { Item } = await dynamodb.send(
            new GetItemCommand({ TableName: TABLE, Key: { id: { S: SequenceNumber } } }),
          );
          return Item;
        });
        expect(item.data?.S).toBe('unicorn ride from the CLI');
      });

      it('refuses a runtime the local cloud cannot run, as AWS words it', async () => {
        // Act
        const out = await aws(cli, [
          ...[
            'lambda',
            'create-function',
            '--function-name',
            `cli-python-${i}`,
            '--zip-file',
            'fileb://fn.zip',
          ],
          ...['--handler', 'index.handler', '--runtime', 'python3.12', '--role', ROLE],
        ]);

        // Assess
        expect(out.code).not.toBe(0);
        expect(out.stderr).toContain(
          "(InvalidParameterValueException) when calling the CreateFunction operation: Value python3.12 at 'runtime' failed to satisfy constraint",
        );
      });

      it('updates the configuration, then deletes the function', async () => {
        // Act
        await awsJson(cli, [
          ...['lambda', 'update-function-configuration', '--function-name', `cli-fn-${i}`],
          ...['--environment', `Variables={TABLE_NAME=${TABLE},VERSION=v2}`, '--memory-size', '256'],
        ]);
        const config = await awsJson(cli, ['lambda', 'get-function-configuration', '--function-name', name]);
        const deleted = await aws(cli, ['lambda', 'delete-function', '--function-name', name]);
        const gone = await aws(cli, ['lambda', 'get-function', '--function-name', name]);

        // Assess
        expect(config).toMatchObject({
          MemorySize: 256,
          Environment: { Variables: { TABLE_NAME: TABLE, VERSION: 'v2' } },
          LastUpdateStatus: 'Successful',
        });
        expect(deleted.code).toBe(0);
        expect(gone.code).not.toBe(0);
        expect(gone.stderr).toContain('(ResourceNotFoundException) when calling the GetFunction operation');
      });
    });
  },
);
