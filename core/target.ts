import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-cloud.ts';

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
}

/** The local cloud's endpoint: `WILDRYDES_ENDPOINT`, else `AWS_ENDPOINT_URL`, else port 4566. */
export function localEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.WILDRYDES_ENDPOINT ?? env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566';
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
    return {
      target,
      clientConfig: { region: LOCAL_REGION, endpoint, credentials: { ...LOCAL_CREDENTIALS } },
      describe: `the local cloud at ${endpoint}`,
    };
  }
  const region = opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  return { target, clientConfig: region ? { region } : {}, describe: `AWS (${region ?? 'no region set'})` };
}
