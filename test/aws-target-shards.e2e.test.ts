/**
 * Shards on the AWS target (issue 13): `npm run deploy -- N --target aws --shards S` passes the
 * shard count to cdk (`-c shards=S`) as `npm start -- --shards S` does locally, and later
 * deploys keep it. Against the local cloud's CloudFormation, with the real CDK CLI, as
 * aws-target.e2e.test.ts runs the whole workshop.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../contracts/names.ts';
import { repoRoot } from '../core/curriculum.ts';
import { type LocalCloud, startLocalCloud } from '../local/cloud.ts';
import { installServices } from '../local/services.ts';
import { clientConfig } from '../testing/local-cloud.ts';

const exec = promisify(execFile);
const MINUTES = 60_000;

describe.sequential('--shards on the AWS target (real cdk CLI, against the local cloud)', () => {
  let cloud: LocalCloud;
  let stateDir: string;
  let env: NodeJS.ProcessEnv;
  let stopServices: () => Promise<void>;
  let kinesis: KinesisClient;

  /** Runs a command as an attendee would; its exit code and output. */
  async function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
    try {
      const { stdout, stderr } = await exec(command, args, {
        cwd: repoRoot,
        env,
        timeout: 10 * MINUTES,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, output: `${stdout}\n${stderr}` };
    } catch (err) {
      const { code, stdout, stderr } = err as { code?: number; stdout?: string; stderr?: string };
      return { code: code ?? 1, output: `${stdout ?? ''}\n${stderr ?? ''}` };
    }
  }
  const npm = (...args: string[]) => run('npm', ['run', '--silent', ...args]);
  const openShards = async () =>
    (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: names.rawStream })))
      .StreamDescriptionSummary?.OpenShardCount;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'wildrydes-aws-shards-'));
    cloud = await startLocalCloud({ port: 0 });
    const services = installServices(cloud, { stateDir, log: () => undefined });
    stopServices = () => services.lambda.stop();
    kinesis = new KinesisClient(clientConfig(cloud));
    env = {
      ...process.env,
      AWS_ENDPOINT_URL: cloud.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PROFILE: undefined,
      WILDRYDES_STATE_DIR: stateDir,
      WILDRYDES_ATTENDEE: undefined,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
    };
    const boot = await run(join(repoRoot, 'node_modules', '.bin', 'cdk'), [
      'bootstrap',
      'aws://000000000000/us-east-1',
      '--no-notices',
    ]);
    if (boot.code !== 0) throw new Error(`cdk bootstrap failed:\n${boot.output.slice(-4000)}`);
  }, 5 * MINUTES);

  afterAll(async () => {
    kinesis?.destroy();
    await stopServices?.();
    await cloud?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it(
    'deploys the streams with the shards asked for',
    async () => {
      // Act
      const { code, output } = await npm('deploy', '--', '2', '--target', 'aws', '--shards', '3');

      // Assess
      expect(code, output.slice(-4000)).toBe(0);
      expect(await openShards()).toBe(3);
    },
    10 * MINUTES,
  );

  it(
    'keeps them on the next deploy without --shards (cdk.json says 1)',
    async () => {
      // Act
      const { code, output } = await npm('deploy', '--', '2', '--target', 'aws');

      // Assess
      expect(code, output.slice(-4000)).toBe(0);
      expect(await openShards()).toBe(3);
      const saved = JSON.parse(await readFile(join(stateDir, 'deployment.json'), 'utf8'));
      expect(saved.shards).toBe(3);
    },
    10 * MINUTES,
  );

  it('refuses --shards for the local cloud in one line, exit 2', async () => {
    // Act
    const { code, output } = await npm('deploy', '--', '2', '--shards', '3');

    // Assess
    expect(code).toBe(2);
    expect(output.trim()).toBe(
      "error: --shards is for --target aws: the local cloud's streams get theirs when it starts (`npm start -- --shards 3`)",
    );
  });
});
