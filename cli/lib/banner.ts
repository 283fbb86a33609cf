import { networkInterfaces } from 'node:os';
import { LOCAL_CREDENTIALS, LOCAL_REGION, TOKEN_ENV } from '../../core/local-cloud.ts';

/** What the banner tells about a running local cloud. */
export interface BannerCloud {
  endpoint: string;
  host: string;
  port: number;
  /** Set with `--allow-remote`: what other machines must sign with. */
  secret?: string;
}

const UNSPECIFIED = new Set(['0.0.0.0', '::', '[::]']);

/** The addresses other machines reach: the one bound, or every external IPv4 one for 0.0.0.0. */
function remoteEndpoints(cloud: BannerCloud): string[] {
  if (!UNSPECIFIED.has(cloud.host)) return [cloud.endpoint];
  const own = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a?.family === 'IPv4' && !a.internal)
    .map((a) => `http://${a?.address}:${cloud.port}`);
  return own.length > 0 ? own : [`http://<this machine's address>:${cloud.port}`];
}

const exports = (endpoint: string, secret: string) => `    export AWS_ENDPOINT_URL=${endpoint}
    export AWS_REGION=${LOCAL_REGION} AWS_DEFAULT_REGION=${LOCAL_REGION}
    export AWS_ACCESS_KEY_ID=${LOCAL_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${secret}`;

/** The banner `npm start` prints once the workshop is deployed. */
export function bannerText(cloud: BannerCloud, siteUrl?: string): string {
  const next = `${siteUrl ? `  The workshop instructions: ${siteUrl}\n\n` : ''}  Next: open modules/01-file-processing/README.md. Saving a handler swaps its new code in here, in about a second.
  Ctrl-C stops the local cloud.
`;
  if (!cloud.secret) {
    return `
  The Wild Rydes local cloud is running at ${cloud.endpoint}

  In another terminal, point the AWS SDK and CLI at it:
${exports(cloud.endpoint, LOCAL_CREDENTIALS.secretAccessKey)}

${next}`;
  }
  const local = UNSPECIFIED.has(cloud.host) ? `http://127.0.0.1:${cloud.port}` : cloud.endpoint;
  const remote = remoteEndpoints(cloud);
  return `
  The Wild Rydes local cloud is running at ${local}

  ⚠ --allow-remote: other machines can reach it at ${remote.join(', ')}
    if they sign with this secret (the dummy one is refused from the network):
      ${cloud.secret}
    Whoever knows it can deploy code that runs on this machine: share it only with your own
    machines. It travels in plain HTTP: on a network you do not trust, use an SSH tunnel instead.

  On this machine, in another terminal:
${exports(local, LOCAL_CREDENTIALS.secretAccessKey)}

  On another machine:
${exports(remote[0] ?? local, cloud.secret)}
    export ${TOKEN_ENV}=${cloud.secret}

${next}`;
}
