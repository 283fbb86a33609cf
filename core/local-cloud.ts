/**
 * How the workshop reaches its local cloud: LocalStack's conventions (one endpoint on port 4566,
 * region us-east-1, account 000000000000, dummy credentials). The local cloud answers as this
 * identity, and every client of the workshop signs as it.
 */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
export const DEFAULT_PORT = 4566;

/**
 * With `npm start -- --allow-remote`, other machines must prove they know the secret the banner
 * prints: the workshop's CLIs read it from here, sign AWS calls with it and send it to the
 * control endpoints (`Authorization: Bearer`).
 */
export const TOKEN_ENV = 'WILDRYDES_TOKEN';

/** The credentials the workshop signs with on the local cloud: the dummy ones, or the remote secret. */
export function localCredentials(env: NodeJS.ProcessEnv = process.env): {
  accessKeyId: string;
  secretAccessKey: string;
} {
  const token = env[TOKEN_ENV];
  return {
    accessKeyId: LOCAL_CREDENTIALS.accessKeyId,
    secretAccessKey: token || LOCAL_CREDENTIALS.secretAccessKey,
  };
}

/** Headers for the `/_wildrydes/` control endpoints: the remote secret when there is one. */
export function controlHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const token = env[TOKEN_ENV];
  return token ? { authorization: `Bearer ${token}` } : {};
}
