/**
 * The AWS target against a local cloud, as the `--target aws` tests drive it: a local cloud on a
 * free port, an environment with nothing but `AWS_ENDPOINT_URL` (and dummy credentials) pointing
 * the real CDK CLI and the workshop's commands at it, and `cdk bootstrap` done.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../core/curriculum.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/local-cloud.ts';
import { type LocalCloud, startLocalCloud } from '../local/cloud.ts';
import { installServices } from '../local/services.ts';

const exec = promisify(execFile);
const MINUTES = 60_000;

/** A command's exit code and its stdout and stderr together. */
export interface Run {
  code: number;
  output: string;
}

export interface AwsTarget {
  cloud: LocalCloud;
  /** The workshop's state folder (`WILDRYDES_STATE_DIR`) for these commands. */
  stateDir: string;
  /** The environment every command runs with. */
  env: NodeJS.ProcessEnv;
  /** Runs a command in the repository as an attendee would; never throws on a failing exit. */
  run(command: string, args: string[], timeoutMs?: number): Promise<Run>;
  /** Like `run`, but fails with the command's output if it exits non-zero. */
  runOk(command: string, args: string[]): Promise<string>;
  /** `npm run --silent <args>`, as `run`. */
  npm(...args: string[]): Promise<Run>;
  /** Like `npm`, but fails with the command's output if it exits non-zero. */
  npmOk(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts a local cloud and bootstraps it with the real `cdk bootstrap`, as an account is. Commands
 * run in `root`: the repository, or a copy of it that a test edits.
 */
export async function startAwsTarget(name: string, root = repoRoot): Promise<AwsTarget> {
  const stateDir = await mkdtemp(join(tmpdir(), `wildrydes-${name}-`));
  const cloud = await startLocalCloud({ port: 0 });
  const services = installServices(cloud, { stateDir, log: () => undefined });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: cloud.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_PROFILE: undefined,
    WILDRYDES_STATE_DIR: stateDir,
    WILDRYDES_ATTENDEE: undefined,
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
  const run = async (command: string, args: string[], timeoutMs = 10 * MINUTES): Promise<Run> => {
    try {
      const { stdout, stderr } = await exec(command, args, {
        cwd: root,
        env,
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, output: `${stdout}\n${stderr}` };
    } catch (err) {
      const { code, stdout, stderr } = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof code === 'number' ? code : 1, output: `${stdout ?? ''}\n${stderr ?? ''}` };
    }
  };
  const ok = async (command: string, args: string[]): Promise<string> => {
    const { code, output } = await run(command, args);
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${output}`.slice(-8000));
    return output;
  };
  const stop = async () => {
    await services.lambda.stop();
    await cloud.stop();
    await rm(stateDir, { recursive: true, force: true });
  };
  try {
    await ok(join(root, 'node_modules', '.bin', 'cdk'), [
      'bootstrap',
      `aws://${LOCAL_ACCOUNT}/${LOCAL_REGION}`,
      '--no-notices',
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    cloud,
    stateDir,
    env,
    run,
    runOk: ok,
    npm: (...args) => run('npm', ['run', '--silent', ...args]),
    npmOk: (...args) => ok('npm', ['run', '--silent', ...args]),
    stop,
  };
}
