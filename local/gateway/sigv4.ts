/**
 * Verifies AWS Signature Version 4, as AWS does, for `--allow-remote`: with a secret only the
 * banner shows, a request from another machine must be signed with it (the SDK, the aws CLI and
 * the CDK CLI all sign with `AWS_SECRET_ACCESS_KEY`). Header-signed and presigned (query) forms.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a signature is checked against. */
export interface SignedRequest {
  method: string;
  url: string;
  /** Lower-cased names; `host` present (HTTP/2's `:authority` copied in). */
  headers: Record<string, string>;
  body: Buffer;
}

/** Why a request's signature does not hold, with the code AWS answers. */
export interface SignatureFault {
  code: 'IncompleteSignatureException' | 'InvalidSignatureException' | 'SignatureDoesNotMatch';
  message: string;
}

/** AWS refuses a signature more than 15 minutes away from its clock. */
const MAX_SKEW_MS = 15 * 60_000;

/** RFC 3986 escaping, as SigV4 wants it (encodeURIComponent leaves `!'()*` alone). */
const escapeUri = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** The parts of a signature, from the `Authorization` header or the presigned query. */
interface Parts {
  credential: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  presigned: boolean;
  expiresSeconds?: number;
}

function partsOf(req: SignedRequest, query: URLSearchParams): Parts | SignatureFault {
  const auth = req.headers.authorization;
  if (auth) {
    const field = (name: string) => new RegExp(`${name}=([^,\\s]+)`).exec(auth)?.[1];
    const credential = field('Credential');
    const signedHeaders = field('SignedHeaders');
    const signature = field('Signature');
    const amzDate = req.headers['x-amz-date'];
    if (!auth.startsWith('AWS4-HMAC-SHA256 ') || !credential || !signedHeaders || !signature || !amzDate) {
      return {
        code: 'IncompleteSignatureException',
        message:
          'Authorization header requires Credential, SignedHeaders and Signature, and X-Amz-Date (AWS4-HMAC-SHA256)',
      };
    }
    return { credential, signedHeaders: signedHeaders.split(';'), signature, amzDate, presigned: false };
  }
  const credential = query.get('X-Amz-Credential');
  const signature = query.get('X-Amz-Signature');
  const amzDate = query.get('X-Amz-Date');
  const signedHeaders = query.get('X-Amz-SignedHeaders');
  if (!credential || !signature || !amzDate || !signedHeaders) {
    return {
      code: 'IncompleteSignatureException',
      message: 'the request is not signed with AWS Signature Version 4',
    };
  }
  const expires = Number(query.get('X-Amz-Expires') ?? '900');
  return {
    credential,
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    presigned: true,
    expiresSeconds: expires,
  };
}

/** The canonical path: S3 signs the path as sent; every other service escapes it once more. */
function canonicalPath(path: string, service: string): string {
  if (service === 's3') return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(query: URLSearchParams): string {
  const pairs: string[] = [];
  for (const [key, value] of query) {
    if (key === 'X-Amz-Signature') continue;
    pairs.push(`${escapeUri(key)}=${escapeUri(value)}`);
  }
  return pairs.sort().join('&');
}

/** `20261202T090000Z` as a time, or NaN. */
const parseAmzDate = (s: string) =>
  Date.parse(s.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));

/**
 * Checks `req`'s SigV4 signature against `secret` (any access key id: there is one secret).
 * Returns undefined when it holds, else the fault AWS would answer.
 */
export function verifySigV4(
  req: SignedRequest,
  secret: string,
  now = Date.now(),
): SignatureFault | undefined {
  const queryAt = req.url.indexOf('?');
  const path = queryAt >= 0 ? req.url.slice(0, queryAt) : req.url;
  const query = new URLSearchParams(queryAt >= 0 ? req.url.slice(queryAt + 1) : '');
  const parts = partsOf(req, query);
  if ('code' in parts) return parts;
  const [, date, region, service, terminator] = parts.credential.split('/');
  if (!date || !region || !service || terminator !== 'aws4_request') {
    return {
      code: 'IncompleteSignatureException',
      message: `malformed credential scope '${parts.credential}'`,
    };
  }
  const signedAt = parseAmzDate(parts.amzDate);
  const window = parts.presigned ? (parts.expiresSeconds ?? 900) * 1000 : MAX_SKEW_MS;
  if (Number.isNaN(signedAt) || now - signedAt > window || signedAt - now > MAX_SKEW_MS) {
    return {
      code: 'InvalidSignatureException',
      message: `Signature expired or not yet valid: ${parts.amzDate} is not within 15 minutes of the local cloud's clock`,
    };
  }
  // The SDK's HTTP/2 handler signs `:authority`, which the gateway hands on as `host`.
  const headerValue = (name: string) => (name === ':authority' ? req.headers.host : req.headers[name]) ?? '';
  const headerLines = parts.signedHeaders.map(
    (name) => `${name}:${headerValue(name).trim().replace(/\s+/g, ' ')}`,
  );
  const payloadHash =
    req.headers['x-amz-content-sha256'] ??
    (parts.presigned && service === 's3' ? 'UNSIGNED-PAYLOAD' : sha256(req.body));
  const canonicalRequest = [
    req.method,
    canonicalPath(path, service),
    canonicalQuery(query),
    `${headerLines.join('\n')}\n`,
    parts.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', parts.amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
  const given = Buffer.from(parts.signature);
  if (expected.length === given.length && timingSafeEqual(expected, given)) return undefined;
  return {
    code: service === 's3' ? 'SignatureDoesNotMatch' : 'InvalidSignatureException',
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  };
}
