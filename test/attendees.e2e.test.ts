/**
 * Two attendees on ONE local cloud, side by side (issue #15): `npm start`, then each attendee
 * catches up every module with their own `--attendee`, uploads notes, sends telemetry and runs
 * the checks, all with the workshop's own commands. Each one's checks see only their own data.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanTable } from '../checks/streams.ts';
import { namesFor } from '../contracts/attendee.ts';
import { curriculum, repoRoot } from '../core/curriculum.ts';
import { LOCAL_ACCOUNT, LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/local-cloud.ts';
import { NpmStart } from '../testing/npm-start.ts';

const exec = promisify(execFile);
const MINUTES = 60_000;
const CLI = join(repoRoot, 'cli', 'wildrydes.ts');
const ada = namesFor('ada');
const bob = namesFor('bob');
const cy = namesFor('cy');

describe.sequential('two attendees on one local cloud (--attendee)', () => {
  let stateDir = '';
  let cloud: NpmStart;
  let config: { endpoint: string; region: string; credentials: typeof LOCAL_CREDENTIALS };

  /** A workshop command as an attendee types it; its exit code and output (never throws). */
  async function wildrydes(...args: string[]): Promise<{ code: number; output: string }> {
    try {
      const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', CLI, ...args], {
        cwd: repoRoot,
        env: { ...process.env, WILDRYDES_ENDPOINT: cloud.endpoint, WILDRYDES_STATE_DIR: stateDir },
        timeout: 10 * MINUTES,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, output: `${stdout}\n${stderr}` };
    } catch (err) {
      const { code, stdout, stderr } = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof code === 'number' ? code : 1, output: `${stdout ?? ''}\n${stderr ?? ''}` };
    }
  }
  /** Like `wildrydes`, but fails the test with the command's output when it fails. */
  async function ok(...args: string[]): Promise<string> {
    const { code, output } = await wildrydes(...args);
    if (code !== 0) throw new Error(`wildrydes ${args.join(' ')} exited ${code}:\n${output.slice(-6000)}`);
    return output;
  }
  /** The compiled producer, as `npm run producer -- …` runs it. */
  const produce = (...args: string[]) =>
    exec(process.execPath, ['dist/producer.mjs', ...args, '--endpoint', cloud.endpoint, '--quiet'], {
      cwd: repoRoot,
      env: { ...process.env, WILDRYDES_STATE_DIR: stateDir },
      timeout: 5 * MINUTES,
    });

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'wildrydes-attendees-'));
    // The cloud's own stacks are a third attendee's, cy's, with the starters (2-s windows, so
    // the streaming checks pass in seconds); ada and bob deploy theirs beside them.
    cloud = await NpmStart.launch(repoRoot, stateDir, [
      '--no-watch',
      '--window-seconds',
      '2',
      '--attendee',
      'cy',
    ]);
    await cloud.waitFor(/is running at/);
    config = { endpoint: cloud.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  }, 10 * MINUTES);

  afterAll(async () => {
    await cloud?.stop();
    await rm(stateDir, { recursive: true, force: true });
  }, MINUTES);

  it(
    'deploys every module twice, side by side, with `catchup 5 --attendee ada` and `--attendee bob`',
    async () => {
      // Act
      await ok('catchup', '5', '--attendee', 'ada');
      await ok('catchup', '5', '--attendee', 'bob');

      // Assess
      const { StreamNames = [] } = await new KinesisClient(config).send(new ListStreamsCommand({}));
      expect(StreamNames.sort()).toEqual(
        [ada, bob, cy].flatMap((n) => [n.rawStream, n.aggregatedStream]).sort(),
      );
      expect(cloud.output).toContain(cy.stack('WildRydesStreaming'));
      expect(await readdir(stateDir)).toEqual(
        expect.arrayContaining(['deployment-ada.json', 'deployment-bob.json']),
      );
    },
    20 * MINUTES,
  );

  it(
    "passes each attendee's module 1 on their own notes, in their own buckets",
    async () => {
      // Act: ada uploads every sample, bob one
      await ok('upload', 'modules/01-file-processing/samples', '--attendee', 'ada');
      const samples = (await readdir(join(repoRoot, 'modules/01-file-processing/samples'))).filter((f) =>
        f.endsWith('.md'),
      );
      await ok('upload', join('modules/01-file-processing/samples', samples[0] ?? ''), '--attendee', 'bob');
      const adaCheck = await wildrydes('check', 'module1', '--attendee', 'ada', '--wait', '120');
      const bobCheck = await wildrydes('check', 'module1', '--attendee', 'bob', '--wait', '120');

      // Assess
      expect(adaCheck.output).not.toContain('✖');
      expect(adaCheck.code).toBe(0);
      expect(bobCheck.output).not.toContain('✖');
      expect(bobCheck.code).toBe(0);
      const s3 = new S3Client({ ...config, forcePathStyle: true });
      const inBucket = async (names: typeof ada) =>
        (
          await s3.send(
            new ListObjectsV2Command({
              Bucket: names.fileProcessing(LOCAL_ACCOUNT, LOCAL_REGION).outputBucket,
            }),
          )
        ).KeyCount;
      expect(samples.length).toBeGreaterThan(1);
      expect(await inBucket(ada)).toBe(samples.length);
      expect(await inBucket(bob)).toBe(1);
    },
    10 * MINUTES,
  );

  it(
    "passes ada's streaming checks on ada's ride, and bob's checks do not count it",
    async () => {
      // Prepare: ada rides Shadowfax and a tiring Rocinante; bob rides Bucephalus, who tires too
      await produce(
        ...['--attendee', 'ada', '--name', 'Shadowfax', '--name', 'Rocinante', '--tired', 'Rocinante'],
        ...['--rate', '20', '--duration', '8'],
      );
      await produce('--attendee', 'bob', '--name', 'Bucephalus', '--rate', '20', '--duration', '8');

      // Act
      const adaChecks = [];
      for (const key of ['module2', 'module3', 'module4', 'extra'])
        adaChecks.push([key, await wildrydes('check', key, '--attendee', 'ada', '--wait', '90')] as const);
      const bobSeesShadowfax = await wildrydes('check', 'module2', '--attendee', 'bob', '--wait', '2');
      const bobChecks = [];
      for (const key of ['module2', 'module3', 'module4', 'extra'])
        bobChecks.push([
          key,
          await wildrydes('check', key, '--attendee', 'bob', '--name', 'Bucephalus', '--wait', '90'),
        ] as const);

      // Assess
      for (const [key, { code, output }] of [...adaChecks, ...bobChecks]) {
        expect(output, key).not.toContain('✖');
        expect(code, key).toBe(0);
      }
      expect(bobSeesShadowfax.code).toBe(1);
      expect(bobSeesShadowfax.output).toContain(`the stream '${bob.rawStream}' exists and is active`);
      const dynamodb = new DynamoDBClient(config);
      const unicorns = async (table: string) =>
        [...new Set((await scanTable(dynamodb, table)).map((i) => i.Name))].sort();
      expect(await unicorns(ada.table)).toEqual(['Rocinante', 'Shadowfax']);
      expect(await unicorns(bob.table)).toEqual(['Bucephalus']);
    },
    20 * MINUTES,
  );

  it(
    "shows each attendee only their own emails in `npm run outbox`, and keeps each one's progress",
    async () => {
      // Act
      const adaMail = await ok('outbox', '--attendee', 'ada');
      const bobMail = await ok('outbox', '--attendee', 'bob');
      const bobStatus = await ok('status', '--attendee', 'bob');

      // Assess
      expect(adaMail).toContain(`topic ${ada.alertTopic}`);
      expect(adaMail).toContain('Rocinante');
      expect(adaMail).not.toContain('Bucephalus');
      expect(bobMail).toContain(`topic ${bob.alertTopic}`);
      expect(bobMail).toContain('Bucephalus');
      expect(bobMail).not.toContain('Rocinante');
      expect(bobStatus).toMatch(/✔ 5 Extra credit/);
      // bob's module 2 check failed on ada's Shadowfax, then passed on his own Bucephalus.
      const progress = (who: string) =>
        readFile(join(stateDir, `progress-${who}.json`), 'utf8').then(JSON.parse);
      expect((await progress('bob')).module2.passed).toBe(true);
      expect(Object.keys(await progress('ada')).sort()).toEqual([
        'extra',
        'module1',
        'module2',
        'module3',
        'module4',
      ]);
    },
    5 * MINUTES,
  );

  it(
    "removes bob's stacks only with `cleanup --attendee bob`: ada's stay",
    async () => {
      // Act
      const out = await ok('cleanup', '--attendee', 'bob');

      // Assess
      for (const m of curriculum) expect(out).toContain(bob.stack(m.stack));
      expect(out).not.toContain('ada-');
      const { StreamNames = [] } = await new KinesisClient(config).send(new ListStreamsCommand({}));
      expect(StreamNames.sort()).toEqual([ada, cy].flatMap((n) => [n.rawStream, n.aggregatedStream]).sort());
    },
    10 * MINUTES,
  );
});
