/**
 * Checks a command makes before it starts work, so a missing region, missing credentials or a
 * local cloud that is not running end in one line naming the fix (exit 2), not halfway through.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describeAwsError, UsageError } from '../../core/errors.ts';
import { controlHeaders } from '../../core/local-cloud.ts';
import { localEndpoint, NOT_RUNNING_FIX, type TargetConfig } from '../../core/target.ts';

/** How long the local cloud may take to answer its health check. */
const LOCAL_ANSWER_MS = 5_000;

/** `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, … */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The region and credentials the AWS target would use, resolved the way the SDK and the CDK CLI
 * resolve them (`--region`, AWS_REGION / AWS_DEFAULT_REGION, the profile in ~/.aws).
 * @returns the region
 * @throws UsageError naming what to set
 */
export async function assertAwsReady(region?: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const wanted = region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
  if (wanted !== undefined && !REGION_NAME.test(wanted)) {
    throw new UsageError(`'${wanted}' is not an AWS region: pass one like --region us-east-1`);
  }
  // Any client resolves the SDK's default chains; no request is sent.
  const client = new CloudFormationClient(wanted ? { region: wanted } : {});
  try {
    const resolved = await client.config.region();
    await client.config.credentials();
    return resolved;
  } catch (err) {
    throw describeAwsError(err, { region: wanted }) ?? err;
  } finally {
    client.destroy();
  }
}

/**
 * The local cloud answers at its endpoint (WILDRYDES_ENDPOINT, AWS_ENDPOINT_URL or port 4566).
 * Any HTTP answer will do: only a refused or silent connection is refused here.
 * @throws UsageError saying to start it
 */
export async function assertLocalCloudRunning(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const endpoint = localEndpoint(env);
  let url: URL;
  try {
    url = new URL('/_wildrydes/health', endpoint);
  } catch {
    throw new UsageError(
      `'${endpoint}' is not a URL: set WILDRYDES_ENDPOINT to one like http://127.0.0.1:4566`,
    );
  }
  try {
    const res = await fetch(url, {
      headers: controlHeaders(env),
      signal: AbortSignal.timeout(LOCAL_ANSWER_MS),
    });
    await res.body?.cancel();
  } catch (err) {
    const silent = (err as Error)?.name === 'TimeoutError';
    throw new UsageError(
      `the local cloud is not ${silent ? `answering within ${LOCAL_ANSWER_MS / 1000} s` : 'running'} at ${endpoint}: ${NOT_RUNNING_FIX}`,
    );
  }
}

/** Whether the local cloud answers at `endpoint` (its health endpoint says so). */
export async function isLocalCloud(endpoint: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  try {
    const res = await fetch(new URL('/_wildrydes/health', endpoint), {
      headers: controlHeaders(env),
      signal: AbortSignal.timeout(LOCAL_ANSWER_MS),
    });
    const body = (await res.json()) as { status?: unknown; services?: unknown };
    return res.ok && body.status === 'ok' && typeof body.services === 'object';
  } catch {
    return false;
  }
}

/**
 * `--target aws` with `AWS_ENDPOINT_URL` set talks to that endpoint, not to AWS: names it, as
 * "the local cloud" when that is what answers there, and prints it once on stderr.
 */
export async function honestTarget(
  config: TargetConfig,
  log: (line: string) => void = (line) => console.error(line),
): Promise<TargetConfig> {
  const endpoint = config.endpointFromEnv;
  if (config.target !== 'aws' || !endpoint) return config;
  const describe = (await isLocalCloud(endpoint))
    ? `the local cloud at ${endpoint} (from AWS_ENDPOINT_URL), not AWS`
    : config.describe;
  log(`note: --target aws talks to ${describe}: unset AWS_ENDPOINT_URL to reach AWS itself`);
  return { ...config, describe };
}
