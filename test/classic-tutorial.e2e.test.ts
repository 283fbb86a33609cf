/**
 * The classic AWS tutorial (a table, a stream, a role, a function from a zip, an event source
 * mapping, a record put, the item in the table), typed as a learner types it with the aws CLI v2
 * (Debian's awscli, as CI installs it), runs verbatim against the local cloud.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../core/curriculum.ts';
import type { LocalCloud } from '../local/cloud.ts';
import { installServices } from '../local/services.ts';
import { clientConfig, eventually, useLocalCloud } from '../testing/local-cloud.ts';

const exec = promisify(execFile);
const FIXTURE = join(repoRoot, 'test', 'fixtures', 'classic-tutorial');

/** The first `aws` on the PATH that is the CLI v2 (the tutorial's `--cli-binary-format` is v2's). */
async function findAwsCliV2(): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'aws');
    try {
      accessSync(candidate, constants.X_OK);
      const { stdout } = await exec(candidate, ['--version']);
      if (stdout.startsWith('aws-cli/2.')) return candidate;
    } catch {
      // Not here, or not v2.
    }
  }
  return undefined;
}

describe('the classic Kinesis → Lambda → DynamoDB tutorial with the aws CLI v2', () => {
  const cloud = useLocalCloud();
  let dir = '';
  let stop: () => Promise<void> = async () => undefined;
  let cli: string | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wildrydes-tutorial-'));
    const { lambda } = installServices(cloud() as LocalCloud, {
      stateDir: dir,
      log: () => undefined,
    });
    stop = () => lambda.stop();
    await cp(FIXTURE, join(dir, 'tutorial'), { recursive: true });
    cli = await findAwsCliV2();
  });
  afterAll(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs verbatim, and the record arrives in the table as an item', async (ctx) => {
    // Prepare
    if (!cli) ctx.skip(true, 'no aws CLI v2 on the PATH: apt-get install -y --no-install-recommends awscli');
    const { AWS_PROFILE: _, ...env } = process.env;

    // Act
    await exec('bash', ['tutorial.sh'], {
      cwd: join(dir, 'tutorial'),
      timeout: 120_000,
      env: {
        ...env,
        PATH: `${dirname(cli ?? '')}${delimiter}${env.PATH ?? ''}`,
        AWS_ENDPOINT_URL: cloud().endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: join(dir, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
        AWS_PAGER: '',
      },
    });

    // Assess
    const dynamodb = new DynamoDBClient(clientConfig(cloud()));
    const items = await eventually(
      async () => {
        const { Items } = await dynamodb.send(new ScanCommand({ TableName: 'TutorialItems' }));
        return Items?.length ? Items : undefined;
      },
      20_000,
      'the item in TutorialItems',
    );
    expect(items).toEqual([{ id: { S: 'item-1' }, text: { S: '{"hello":"unicorns"}' } }]);
  }, 180_000);
});
