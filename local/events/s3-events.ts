/**
 * How the local cloud tells, from an S3 request and its response, that an object was created or
 * a bucket's EventBridge notifications changed; and the event S3 would send to EventBridge.
 */
import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../types.ts';

/** The S3 operations that emit "Object Created", named as the event's `detail.reason`. */
export type CreateReason = 'PutObject' | 'CopyObject' | 'CompleteMultipartUpload';

/** An object write S3 acknowledged. */
export interface ObjectWrite {
  bucket: string;
  key: string;
  reason: CreateReason;
}

/** The part of a gateway request these functions read. */
export interface S3Request {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** Bucket and key of a request, path-style (`/bucket/key`) or virtual-hosted (`bucket.localhost`). */
export function addressOf(req: S3Request): { bucket: string; key: string; query: URLSearchParams } {
  const [rawPath = '/', rawQuery = ''] = req.url.split('?', 2);
  const query = new URLSearchParams(rawQuery);
  const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
  const segments = rawPath.split('/').slice(1);
  // The same rule fauxqs applies when it stores the object: a dotted, non-IP host names the bucket.
  const virtualHosted = hostname.includes('.') && !/^\d+\.\d+\.\d+\.\d+$/.test(hostname);
  const bucket = virtualHosted ? (hostname.split('.')[0] ?? '') : decodeURIComponent(segments.shift() ?? '');
  const key = segments.map((s) => decodeURIComponent(s)).join('/');
  return { bucket, key, query };
}

const ok = (status: number) => status >= 200 && status < 300;

/** Object-level subresources (`?tagging`, `?acl`, …) change an object without creating one. */
const SUBRESOURCES = ['tagging', 'acl', 'retention', 'legal-hold', 'restore', 'torrent', 'attributes'];

/** The object a successful PutObject, CopyObject or CompleteMultipartUpload created, if any. */
export function objectWriteOf(req: S3Request, status: number): ObjectWrite | undefined {
  if (!ok(status)) return undefined;
  const { bucket, key, query } = addressOf(req);
  if (!bucket || !key || SUBRESOURCES.some((s) => query.has(s))) return undefined;
  if (req.method === 'PUT' && !query.has('uploadId') && !query.has('partNumber')) {
    return { bucket, key, reason: req.headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject' };
  }
  if (req.method === 'POST' && query.has('uploadId'))
    return { bucket, key, reason: 'CompleteMultipartUpload' };
  return undefined;
}

/**
 * A successful PutBucketNotificationConfiguration: `true` when it turns EventBridge delivery on,
 * `false` when it leaves it off; undefined for any other request.
 */
export function eventBridgeSettingOf(
  req: S3Request & { body: Buffer },
  status: number,
): { bucket: string; enabled: boolean } | undefined {
  if (!ok(status) || req.method !== 'PUT') return undefined;
  const { bucket, key, query } = addressOf(req);
  if (!bucket || key || !query.has('notification')) return undefined;
  return { bucket, enabled: /<EventBridgeConfiguration\b/.test(req.body.toString('utf8')) };
}

/** A bucket S3 deleted (its notifications go with it). */
export function deletedBucketOf(req: S3Request, status: number): string | undefined {
  if (!ok(status) || req.method !== 'DELETE') return undefined;
  const { bucket, key, query } = addressOf(req);
  return bucket && !key && [...query.keys()].length === 0 ? bucket : undefined;
}

/** Keys in S3 event notifications are URL-encoded, spaces as `+`, slashes kept. */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

/** What an "Object Created" event says about the object. */
export interface CreatedObject extends ObjectWrite {
  size: number;
  etag: string;
  requestId?: string;
  time?: Date;
}

let sequence = 0;

/** A `PutEvents` entry as S3 sends it for a new object (EventBridge adds id, account, region). */
export function objectCreatedEntry(object: CreatedObject, account = LOCAL_ACCOUNT) {
  // Sequencers only grow, per bucket and key, as on S3; hex of the time plus a counter does that.
  const sequencer = `${Date.now().toString(16).toUpperCase()}${(sequence++ % 0xffff).toString(16).padStart(4, '0').toUpperCase()}`;
  return {
    Source: 'aws.s3',
    DetailType: 'Object Created',
    Resources: [`arn:aws:s3:::${object.bucket}`],
    Time: object.time ?? new Date(),
    Detail: {
      version: '0',
      bucket: { name: object.bucket },
      object: {
        key: encodeEventKey(object.key),
        size: object.size,
        etag: object.etag.replace(/"/g, ''),
        sequencer,
      },
      'request-id': object.requestId ?? randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
      requester: account,
      'source-ip-address': '127.0.0.1',
      reason: object.reason,
    },
  };
}

/** The envelope EventBridge puts around every event it delivers. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** Wraps an entry in EventBridge's envelope, times to the second as EventBridge writes them. */
export function envelope(
  entry: { Source: string; DetailType: string; Detail: unknown; Resources?: string[]; Time?: Date },
  account = LOCAL_ACCOUNT,
  region = LOCAL_REGION,
): EventEnvelope {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account,
    time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: entry.Resources ?? [],
    detail: entry.Detail,
  };
}
