import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/curriculum.ts';
import type { Progress } from '../../core/progress-line.ts';
import { clientConfig, eventually, useLocalCloud } from '../../testing/local-cloud.ts';
import { aggregate, createStream, putRecords, status } from '../../testing/streams.ts';
import { type ConsumerOptions, formatRecord, jsonLine, parseConsumerArgs, tail } from './consumer.ts';

describe('formatRecord', () => {
  it.each([
    [
      'raw telemetry',
      JSON.stringify(status()),
      '2026-11-22 09:17:08.189  Shadowfax    42.264400, -71.975800  175 m   magic 110  health 150',
    ],
    [
      'an aggregated record',
      JSON.stringify(aggregate()),
      '2026-11-22 09:17:00.000  Shadowfax    window  10452 m   magic 97–123  health 140–158',
    ],
    ['anything else', 'hello\nworld', '(key) hello world'],
  ])('prints %s on one line', (_, text, expected) => {
    // Assess
    expect(formatRecord(text, 'key')).toBe(expected);
  });

  it('prints JSON as it is with --json, and wraps text that is not JSON', () => {
    // Assess
    expect(jsonLine('{ "a": 1 }', 'k', '1')).toBe('{"a":1}');
    expect(jsonLine('plain', 'k', '1')).toBe('{"partitionKey":"k","sequenceNumber":"1","data":"plain"}');
  });
});

describe('parseConsumerArgs', () => {
  it('defaults to the wildrydes stream, new records, the local cloud', async () => {
    // Assess
    expect(await parseConsumerArgs([])).toEqual({
      stream: 'wildrydes',
      from: 'latest',
      target: 'local',
      region: undefined,
      json: false,
    });
  });

  it.each([
    [['--from', 'yesterday'], /Invalid values:[\s\S]*from.*\(see `npm run consumer -- --help`\)/],
    [['--stream'], /--stream needs a stream name|Not enough arguments/],
    [['--bogus'], /Unknown argument: bogus/],
    [['extra'], /unexpected argument 'extra'|Unknown argument: extra/],
  ])('rejects %j with a one-line usage error (exit 2)', async (argv, message) => {
    // Act
    const parse = parseConsumerArgs(argv);

    // Assess
    await expect(parse).rejects.toMatchObject({
      name: 'UsageError',
      exitCode: 2,
      message: expect.stringMatching(message),
    });
  });
});

describe('tail on a local cloud', () => {
  const cloud = useLocalCloud();
  let kinesis: KinesisClient;
  const quiet: Progress = { update: () => {}, done: () => {} };
  const options = (overrides: Partial<ConsumerOptions> = {}): ConsumerOptions => ({
    stream: 'wildrydes',
    from: 'trim-horizon',
    target: 'local',
    json: false,
    ...overrides,
  });

  beforeAll(async () => {
    kinesis = new KinesisClient(clientConfig(cloud()));
    await createStream(kinesis, 'wildrydes');
    await putRecords(kinesis, 'wildrydes', [status(), status({ Name: 'Rocinante' })]);
  });

  /** Tails until `lines` have been printed, then stops it as Ctrl-C would. */
  async function tailUntil(opts: ConsumerOptions, count: number, afterStart?: () => Promise<void>) {
    const lines: string[] = [];
    const controller = new AbortController();
    const done = tail(opts, {
      out: (line) => lines.push(line),
      progress: quiet,
      signal: controller.signal,
      env: { WILDRYDES_ENDPOINT: cloud().endpoint },
      idleMs: 50,
    });
    await afterStart?.();
    await eventually(async () => (lines.length >= count ? true : undefined), 10_000, `${count} lines`);
    controller.abort();
    return { code: await done, lines };
  }

  it('prints what the stream holds from the trim horizon, one line per record, and stops cleanly', async () => {
    // Act
    const { code, lines } = await tailUntil(options(), 2);

    // Assess
    expect(code).toBe(0);
    expect(lines).toEqual([expect.stringContaining('Shadowfax'), expect.stringContaining('Rocinante')]);
  });

  it('prints only new records from latest, as JSON lines with --json', async () => {
    // Act
    const { lines } = await tailUntil(options({ from: 'latest', json: true }), 1, async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await putRecords(kinesis, 'wildrydes', [status({ Name: 'Bucephalus' })]);
    });

    // Assess
    expect(lines.map((l) => JSON.parse(l).Name)).toEqual(['Bucephalus']);
  });

  it('fails on a missing stream with one line saying how to deploy it (exit 2)', async () => {
    // Act
    const run = tail(options({ stream: 'nope' }), {
      progress: quiet,
      env: { WILDRYDES_ENDPOINT: cloud().endpoint },
    });

    // Assess
    await expect(run).rejects.toMatchObject({
      name: 'UsageError',
      exitCode: 2,
      message: expect.stringMatching(
        /^stream 'nope' does not exist in http.*: deploy it with `npm run deploy -- 2`/,
      ),
    });
  });

  it('exits quietly when its reader closes the pipe (`npm run consumer | head -1`)', async () => {
    // Prepare
    const cli = join(repoRoot, 'cli', 'wildrydes.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'consume', '--from', 'trim-horizon'], {
      cwd: repoRoot,
      env: { ...process.env, WILDRYDES_ENDPOINT: cloud().endpoint },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });

    // Act: read the first record, then close the pipe as `head -1` does, while more arrive
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.destroy();
    await putRecords(kinesis, 'wildrydes', [status({ Name: 'Pegasus' }), status({ Name: 'Epona' })]);
    const code = await new Promise((resolve) => child.on('exit', resolve));

    // Assess
    expect(code).toBe(0);
    expect(stderr).not.toContain('EPIPE');
  });

  it('fails with one line when the local cloud is not running', async () => {
    // Act
    const run = tail(options(), { progress: quiet, env: { WILDRYDES_ENDPOINT: 'http://127.0.0.1:9' } });

    // Assess
    await expect(run).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('npm start') });
  });
});
