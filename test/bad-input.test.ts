/**
 * The bad-input sweep: every workshop CLI, given bad arguments or a bad environment, prints one
 * line on stderr that names the fix and exits 2 — never a stack trace, never "unexpected error".
 * Argument cases spawn the real CLI; environment cases call the commands in-process, as the CLI
 * does. Either way the environment is controlled: no AWS_* variables, HOME an empty folder (no
 * ~/.aws), a state folder of its own (nothing touches .wildrydes/).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../cli/commands/check.ts';
import { consume } from '../cli/commands/consumer.ts';
import { catchup, deploy, destroy } from '../cli/commands/deploy.ts';
import { upload } from '../cli/commands/upload.ts';
import { repoRoot } from '../core/curriculum.ts';
import { formatError } from '../core/errors.ts';
import type { Target } from '../core/target.ts';
import { useLocalCloud } from '../testing/local-cloud.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Which environment a case runs in. */
type Setting =
  /** Nothing set: no endpoint, no region, no credentials. */
  | 'bare'
  /** WILDRYDES_ENDPOINT and AWS_ENDPOINT_URL on a port nothing listens on. */
  | 'cloud not running'
  /** `--target aws` at a cloud where nothing is deployed: AWS in a region without the stacks. */
  | 'aws, nothing deployed';

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), `bad-input-${prefix}-`));
const home = temp('home');
/** Longer than any refusal takes on a loaded machine; a command still running is not refusing. */
const GIVE_UP_MS = 45_000;
const ENTRIES = { wildrydes: 'cli/wildrydes.ts', producer: 'producer/cli.ts' } as const;

let closedEndpoint = '';
let busyPort = 0;
let busy: Server | undefined;
/** A local cloud with nothing deployed, standing in for an AWS region without the stacks. */
let emptyCloudEndpoint = '';

function environment(setting: Setting): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    // The SDK would otherwise ask the EC2 metadata service for credentials, which takes seconds.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  if (setting === 'cloud not running') {
    return { ...env, WILDRYDES_ENDPOINT: closedEndpoint, AWS_ENDPOINT_URL: closedEndpoint };
  }
  if (setting === 'aws, nothing deployed') {
    return {
      ...env,
      AWS_ENDPOINT_URL: emptyCloudEndpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    };
  }
  return env;
}

/** Runs a CLI from source with tsx, as the npm scripts do, in its own state folder. */
function run(cli: keyof typeof ENTRIES, args: string[], setting: Setting): Promise<Run> {
  const env = { ...environment(setting), WILDRYDES_STATE_DIR: temp('state') };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRIES[cli], ...args], { cwd: repoRoot, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // A command that should have refused but started (a cloud, a tail) is stopped, and fails.
    const timer = setTimeout(() => child.kill('SIGTERM'), GIVE_UP_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The contract: exit 2, one line on stderr, no stack, and the line names the fix. */
function expectUsageError(result: Run, fix: RegExp): void {
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(fix);
  expect(lines[0]).not.toMatch(/unexpected error/);
  expect(`${result.stdout}${result.stderr}`).not.toContain('    at ');
  expect(result.code).toBe(2);
}

type Case = [label: string, args: string[], setting: Setting, fix: RegExp];

const NO_REGION = /no AWS region set: pass --region us-east-1/;
const NO_CREDENTIALS = /no AWS credentials found: .*`aws configure`/;
const NOT_RUNNING = /local cloud is not running at http:\/\/127\.0\.0\.1:\d+: start it with `npm start`/;
const UNREACHABLE =
  /cannot reach http:\/\/127\.0\.0\.1:\d+: is the local cloud running\? Start it with `npm start`/;

beforeAll(async () => {
  // A port nothing listens on, and one a plain server holds (for `start`).
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedEndpoint = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
  await new Promise((resolve) => probe.close(resolve));
  busy = createServer();
  await new Promise<void>((resolve) => busy?.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => (busy ? busy.close(resolve) : resolve(undefined)));
});

// Spawned cases wait for a CPU on a busy machine: give each the time a refusal may take there.
const TIMEOUT_MS = GIVE_UP_MS + 15_000;

describe('wildrydes with bad arguments', () => {
  it.concurrent.each<Case>([
    ['no command', [], 'bare', /name a command \(see `wildrydes --help`\)/],
    ['an unknown command', ['frobnicate'], 'bare', /Unknown argument: frobnicate/],
    ['status with an argument', ['status', 'extra'], 'bare', /Unknown argument: extra/],
    ['deploy -- 0', ['deploy', '0'], 'bare', /there is no module '0': choose from 1, 2, 3, 4, 5/],
    ['deploy -- 9', ['deploy', '9'], 'bare', /there is no module '9': choose from 1, 2, 3, 4, 5/],
    ['deploy to an unknown target', ['deploy', '--target', 'gcp'], 'bare', /Choices: "local", "aws"/],
    ['destroy -- module7', ['destroy', 'module7'], 'bare', /there is no module 'module7'/],
    [
      'catchup -- 9',
      ['catchup', '9'],
      'bare',
      /catch up to a module from 1 to 5, e\.g\. `npm run catchup -- 3`/,
    ],
    ['catchup -- 0', ['catchup', '0'], 'bare', /catch up to a module from 1 to 5/],
    ['catchup -- abc', ['catchup', 'abc'], 'bare', /catch up to a module from 1 to 5/],
    ['catchup -- 0x1', ['catchup', '0x1'], 'bare', /catch up to a module from 1 to 5/],
    ['catchup with no module', ['catchup'], 'bare', /Not enough non-option arguments/],
    [
      'check module7',
      ['check', 'module7'],
      'bare',
      /there is no module 'module7': choose one of module1, .*extra/,
    ],
    ['check with no module', ['check'], 'bare', /Not enough non-option arguments/],
    [
      'check --wait abc',
      ['check', 'module2', '--wait', 'abc'],
      'bare',
      /--wait takes a number of seconds, e\.g\. --wait 90 \(got 'abc'\)/,
    ],
    ['check --wait -5', ['check', 'module2', '--wait', '-5'], 'bare', /--wait takes a number of seconds/],
    [
      'check --name without a name',
      ['check', 'module2', '--name'],
      'bare',
      /Not enough arguments following: name/,
    ],
    [
      'check --region without a region',
      ['check', 'module2', '--region'],
      'bare',
      /arguments following: region/,
    ],
    [
      'upload --prefix without a prefix',
      ['upload', 'a.md', '--prefix'],
      'bare',
      /arguments following: prefix/,
    ],
    ['outbox --last without a number', ['outbox', '--last'], 'bare', /Not enough arguments following: last/],
    ['outbox --last 0', ['outbox', '--last', '0'], 'bare', /--last takes a whole number of messages/],
    [
      'zip a folder that is not there',
      ['zip', 'no-such-folder', 'f.zip'],
      'bare',
      /there is no folder 'no-such-folder'/,
    ],
    ['zip to a file that is not a .zip', ['zip', 'modules', 'f.tar'], 'bare', /name the package with \.zip/],
    [
      'start --port abc',
      ['start', '--port', 'abc'],
      'bare',
      /--port takes a port number .* e\.g\. --port 4566/,
    ],
    ['start --port 70000', ['start', '--port', '70000'], 'bare', /--port takes a port number/],
    [
      'start --window-seconds 0',
      ['start', '--port', '0', '--no-watch', '--window-seconds', '0'],
      'bare',
      /--window-seconds takes whole seconds from 1 to 900/,
    ],
  ])(
    '%s: one line naming the fix, exit 2',
    async (_, args, setting, fix) => {
      // Act
      const result = await run('wildrydes', args, setting);

      // Assess
      expectUsageError(result, fix);
    },
    TIMEOUT_MS,
  );
});

// The commands themselves, called in-process as the CLI calls them (spawning each would cost a
// second of CPU): what they throw is what runMain prints, through formatError.
describe('wildrydes commands in a bad environment', () => {
  const cloud = useLocalCloud();
  const samples = ['modules/01-file-processing/samples'];
  const aws = { target: 'aws' as const };
  const local = { target: 'local' as const };
  const checkOf = (module: string, target: Target, region?: string) =>
    check({ module, target, region, name: 'Shadowfax', wait: 1 });
  let saved: NodeJS.ProcessEnv;

  beforeAll(() => {
    emptyCloudEndpoint = cloud().endpoint;
  });

  /** Runs `command` with `env` as the whole environment; returns what the CLI would print. */
  async function inEnvironment(env: NodeJS.ProcessEnv, command: () => Promise<number>) {
    saved = process.env;
    process.env = env;
    try {
      return { exitCode: await command(), line: '(no error)' };
    } catch (err) {
      return formatError(err);
    } finally {
      process.env = saved;
    }
  }

  it.each<[string, Setting, () => Promise<number>, RegExp]>([
    [
      'deploy, local cloud not running',
      'cloud not running',
      () => deploy({ modules: [], ...local }),
      NOT_RUNNING,
    ],
    [
      'destroy, local cloud not running',
      'cloud not running',
      () => destroy({ modules: ['2'], ...local }),
      NOT_RUNNING,
    ],
    [
      'catchup, local cloud not running',
      'cloud not running',
      () => catchup({ module: 2, ...local }),
      NOT_RUNNING,
    ],
    ['check, local cloud not running', 'cloud not running', () => checkOf('module2', 'local'), NOT_RUNNING],
    [
      'upload, local cloud not running',
      'cloud not running',
      () => upload({ files: samples, ...local }),
      NOT_RUNNING,
    ],
    ['consume, local cloud not running', 'cloud not running', () => consume([]), UNREACHABLE],
    ['deploy --target aws, no region', 'bare', () => deploy({ modules: [], ...aws }), NO_REGION],
    [
      'deploy --target aws, no credentials',
      'bare',
      () => deploy({ modules: ['2'], ...aws, region: 'us-east-1' }),
      NO_CREDENTIALS,
    ],
    [
      'deploy --target aws, no such region',
      'bare',
      () => deploy({ modules: [], ...aws, region: 'mars-1' }),
      /'mars-1' is not an AWS region: pass one like --region us-east-1/,
    ],
    ['destroy --target aws, no region', 'bare', () => destroy({ modules: [], ...aws }), NO_REGION],
    ['catchup --target aws, no region', 'bare', () => catchup({ module: 3, ...aws }), NO_REGION],
    ['check --target aws, no region', 'bare', () => checkOf('module2', 'aws'), NO_REGION],
    [
      'check --target aws, no credentials',
      'bare',
      () => checkOf('module4', 'aws', 'us-east-1'),
      NO_CREDENTIALS,
    ],
    ['upload --target aws, no region', 'bare', () => upload({ files: samples, ...aws }), NO_REGION],
    [
      'upload --target aws, no credentials',
      'bare',
      () => upload({ files: samples, ...aws, region: 'us-east-1' }),
      NO_CREDENTIALS,
    ],
    ['consume --target aws, no region', 'bare', () => consume(['--target', 'aws']), NO_REGION],
    [
      'consume --target aws, no credentials',
      'bare',
      () => consume(['--target', 'aws', '--region', 'us-east-1']),
      NO_CREDENTIALS,
    ],
    [
      'consume --target aws, a region without the stream',
      'aws, nothing deployed',
      () => consume(['--target', 'aws', '--region', 'eu-west-3']),
      // AWS_ENDPOINT_URL stands in for AWS here, and the message names where it really looked.
      /stream 'wildrydes' does not exist in http:\/\/127\.0\.0\.1:\d+: deploy it with `npm run deploy -- 2 --target aws`/,
    ],
  ])('%s: one line naming the fix, exit 2', async (_, setting, command, fix) => {
    // Prepare
    const env = { ...environment(setting), WILDRYDES_STATE_DIR: temp('state') };

    // Act
    const { exitCode, line } = await inEnvironment(env, command);

    // Assess
    expect(line).toMatch(fix);
    expect(line).not.toContain('\n');
    expect(line).not.toMatch(/unexpected error/);
    expect(exitCode).toBe(2);
  });

  it('catchup --target aws without credentials saves no solution choice', async () => {
    // Prepare
    const stateDir = temp('state');
    const env = { ...environment('bare'), WILDRYDES_STATE_DIR: stateDir };

    // Act
    const { exitCode, line } = await inEnvironment(env, () =>
      catchup({ module: 3, ...aws, region: 'us-east-1' }),
    );

    // Assess
    expect(line).toMatch(NO_CREDENTIALS);
    expect(exitCode).toBe(2);
    expect(readdirSync(stateDir)).toEqual([]);
  });
});

describe('npm start in a bad environment', () => {
  it.concurrent.each<[string, () => string[], RegExp]>([
    [
      'a port in use',
      () => ['--port', String(busyPort)],
      /port \d+ is in use: .*choose another port with --port/,
    ],
    [
      'all addresses without --allow-remote',
      () => ['--port', '0', '--host', '0.0.0.0'],
      /refusing to listen on 0\.0\.0\.0: .*pass --allow-remote/,
    ],
    [
      'an address of another machine',
      () => ['--port', '0', '--host', '203.0.113.1', '--allow-remote'],
      /cannot listen on 203\.0\.113\.1: it is not an address of this machine/,
    ],
  ])(
    '%s: one line naming the fix, exit 2',
    async (_, args, fix) => {
      // Act
      const result = await run('wildrydes', ['start', '--no-watch', ...args()], 'bare');

      // Assess
      expectUsageError(result, fix);
    },
    TIMEOUT_MS,
  );
});

// producer/cli.test.ts covers its options, an unreachable --endpoint, a silent one, missing
// credentials for a remote endpoint and a missing stream; these are the AWS-target gaps.
describe('the producer in a bad environment', () => {
  it.concurrent.each<Case>([
    ['AWS, no region', ['--count', '1'], 'bare', NO_REGION],
    ['AWS, no credentials', ['--count', '1', '--region', 'us-east-1'], 'bare', NO_CREDENTIALS],
    [
      'AWS, no such region',
      ['--count', '1', '--region', 'not a region'],
      'bare',
      /'not a region' is not an AWS region/,
    ],
    ['AWS_ENDPOINT_URL on a closed port', ['--count', '1'], 'cloud not running', UNREACHABLE],
  ])(
    '%s: one line naming the fix, exit 2',
    async (_, args, setting, fix) => {
      // Act
      const result = await run('producer', args, setting);

      // Assess
      expectUsageError(result, fix);
    },
    TIMEOUT_MS,
  );
});
