/**
 * The bucket and key an S3 object URL names, in every form a `TemplateURL` (or a CDK asset URL)
 * takes: path-style (`https://s3.us-east-1.amazonaws.com/bucket/key`, the local cloud's own
 * `http://127.0.0.1:4566/bucket/key`), virtual-hosted (`https://bucket.s3.amazonaws.com/key`,
 * `https://bucket.s3.us-east-1.amazonaws.com/key`, `http://bucket.localhost:4566/key`), and
 * `s3://bucket/key`. Pure.
 */

/** An S3 object's location. */
export interface S3ObjectLocation {
  bucket: string;
  key: string;
}

/** `bucket.s3.amazonaws.com`, `bucket.s3.us-east-1.amazonaws.com`, `bucket.s3-us-east-1.amazonaws.com`, `bucket.s3.dualstack…`. */
const VIRTUAL_HOSTED = /^(.+?)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/;
/** `s3.amazonaws.com`, `s3.us-east-1.amazonaws.com`, `s3-us-east-1.amazonaws.com`, `s3.dualstack.us-east-1…`. */
const PATH_STYLE = /^s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/;

const decodeKey = (path: string): string => path.split('/').map(decodeURIComponent).join('/');

/** The bucket and key of an S3 object URL, or undefined when the URL names no object. */
export function parseS3ObjectUrl(url: string): S3ObjectLocation | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = parsed.hostname.toLowerCase();
  const path = parsed.pathname.replace(/^\//, '');
  let bucket: string;
  let key: string;
  if (parsed.protocol === 's3:') {
    bucket = parsed.host;
    key = path;
  } else if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return undefined;
  } else if (PATH_STYLE.test(host)) {
    [bucket = '', key = ''] = splitFirst(path);
  } else if (VIRTUAL_HOSTED.test(host)) {
    bucket = VIRTUAL_HOSTED.exec(host)?.[1] ?? '';
    key = path;
  } else if (host.endsWith('.localhost') || host.includes('.s3.')) {
    // Local endpoints in virtual-hosted style: `bucket.localhost`, `bucket.s3.localhost.localstack.cloud`.
    bucket = host.slice(
      0,
      host.indexOf(host.endsWith('.localhost') && !host.includes('.s3.') ? '.localhost' : '.s3.'),
    );
    key = path;
  } else {
    // Any other host is taken as an S3 endpoint in path style (the local cloud's own address).
    [bucket = '', key = ''] = splitFirst(path);
  }
  try {
    key = decodeKey(key);
  } catch {
    return undefined;
  }
  return bucket && key ? { bucket, key } : undefined;
}

const splitFirst = (path: string): [string, string] => {
  const slash = path.indexOf('/');
  return slash < 0 ? [path, ''] : [path.slice(0, slash), path.slice(slash + 1)];
};
