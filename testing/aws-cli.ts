/**
 * Runs the real `aws` CLI against a local cloud, with dummy credentials and no ~/.aws profile,
 * for the service tests that check the CLI speaks to our emulation as it speaks to AWS.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/types.ts';

const run = promisify(execFile);

/** The first `aws` on the PATH, or undefined. */
export function findAwsCli(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'aws');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** Every distinct `aws` executable on the PATH, in PATH order (a v1 and a v2 may both be there). */
export function findAwsClis(): string[] {
  const found = new Map<string, string>();
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'aws');
    try {
      accessSync(candidate, constants.X_OK);
      const real = realpathSync(candidate);
      if (!found.has(real)) found.set(real, candidate);
    } catch {
      // Not in this folder.
    }
  }
  return [...found.values()];
}

/** Why the CLI cases are skipped when there is no `aws`. */
export const AWS_CLI_MISSING = 'no aws CLI on the PATH: apt-get install -y --no-install-recommends awscli';

/** A CLI case's title, saying why it is skipped when there is no `aws`. */
export const awsCliTitle = (title: string, cli: string | undefined): string =>
  cli ? title : `${title} (skipped: ${AWS_CLI_MISSING})`;

const noConfig = join(mkdtempSync(join(tmpdir(), 'aws-cli-')), 'none');

/** What one `aws` run printed, and how it exited. */
export interface AwsCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `aws --endpoint-url <endpoint> --output json …`; a failing command is returned, not thrown.
 * `env` overrides the dummy settings (e.g. the secret of a cloud started with `allowRemote`).
 */
export async function runAwsCli(
  cli: string,
  endpoint: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<AwsCliResult> {
  try {
    const { stdout, stderr } = await run(cli, ['--endpoint-url', endpoint, '--output', 'json', ...args], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: LOCAL_REGION,
        AWS_CONFIG_FILE: noConfig,
        AWS_SHARED_CREDENTIALS_FILE: noConfig,
        AWS_PAGER: '',
        ...env,
      },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Runs a command that must succeed and parses its JSON output (`{}` when it prints nothing). */
export async function awsCliJson(
  cli: string,
  endpoint: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const result = await runAwsCli(cli, endpoint, args, env);
  if (result.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
}
