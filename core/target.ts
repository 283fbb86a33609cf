import { recordedEndpoint } from './endpoint-file.ts';
import { UsageError } from './errors.ts';
import { LOCAL_REGION, localCredentials } from './local-cloud.ts';

/** Where the workshop runs: the embedded local cloud (default) or a real AWS account. */
export type Target = 'local' | 'aws';

/** SDK v3 client settings for a target; `describe` names it in messages. */
export interface TargetConfig {
  target: Target;
  clientConfig: {
    region?: string;
    endpoint?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  };
  describe: string;
  /** With `--target aws`: the endpoint `AWS_ENDPOINT_URL` sends every SDK call to, if set. */
  endpointFromEnv?: string;
}

/**
 * The local cloud's endpoint: `WILDRYDES_ENDPOINT`, else `AWS_ENDPOINT_URL`, else the one a
 * running `npm start` recorded in the state folder, else port 4566.
 */
export function localEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.WILDRYDES_ENDPOINT ?? env.AWS_ENDPOINT_URL ?? recordedEndpoint(env) ?? 'http://127.0.0.1:4566';
}

/** How to point a command at a local cloud that does not answer where it looked. */
export const NOT_RUNNING_FIX =
  'start it with `npm start` in another terminal, or set AWS_ENDPOINT_URL to the endpoint its banner prints';

/**
 * Refuses an endpoint that is not an http(s) URL, naming the variable it came from.
 * @throws UsageError (exit code 2)
 */
function assertEndpointUrl(endpoint: string, from: string): void {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`${from} '${endpoint}' is not a URL: set it to one like http://127.0.0.1:4566`);
  }
}

/**
 * Local: the local cloud's endpoint, region and dummy credentials, whatever the shell has.
 * AWS: the SDK's own chain (profile, env, SSO), with `--region` if given.
 */
export function targetConfig(
  target: Target,
  opts: { region?: string } = {},
  env = process.env,
): TargetConfig {
  if (target === 'local') {
    const endpoint = localEndpoint(env);
    assertEndpointUrl(endpoint, env.WILDRYDES_ENDPOINT ? 'WILDRYDES_ENDPOINT' : 'AWS_ENDPOINT_URL');
    return {
      target,
      clientConfig: { region: LOCAL_REGION, endpoint, credentials: localCredentials(env) },
      describe: `the local cloud at ${endpoint}`,
    };
  }
  const region = opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  // The SDK and the CDK CLI send every call to AWS_ENDPOINT_URL when it is set: say so, never "AWS".
  const endpoint = env.AWS_ENDPOINT_URL?.trim() || undefined;
  if (endpoint) {
    assertEndpointUrl(endpoint, 'AWS_ENDPOINT_URL');
    return {
      target,
      clientConfig: { ...(region && { region }), endpoint },
      describe: `AWS APIs at ${endpoint}, from AWS_ENDPOINT_URL${region ? ` (${region})` : ''}`,
      endpointFromEnv: endpoint,
    };
  }
  return { target, clientConfig: region ? { region } : {}, describe: `AWS (${region ?? 'no region set'})` };
}
