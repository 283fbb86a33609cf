/**
 * `GetRecords` for the mappings, in Kinesis's JSON as the service answers it: the records keep
 * their data in base64, as the event carries it. Through the SDK every record was decoded into
 * bytes, and a `Date`, only to be encoded back for the event — at 10,000 records a second, the
 * biggest cost of reading after the read itself.
 */

import { proxyTo } from '../../gateway/proxy.ts';
import type { GatewayRequest, GatewayResponse } from '../../types.ts';
import { LOCAL_REGION } from '../../types.ts';
import type { StreamRecord } from './stream-batch.ts';

/** Sends one request to the local cloud's Kinesis (in this process, or over HTTP). */
export type SendKinesis = (req: GatewayRequest) => Promise<GatewayResponse>;

/** One page of a shard, and where the next one starts (none: the shard is closed and read). */
export interface RecordPage {
  records: StreamRecord[];
  nextIterator?: string;
}

/** An error of the Kinesis API, named as AWS names it (`ExpiredIteratorException`). */
export class KinesisApiError extends Error {}

interface WireRecord {
  SequenceNumber?: string;
  PartitionKey?: string;
  Data?: string;
  ApproximateArrivalTimestamp?: number;
}

/** A request as the SDK would sign it: the local cloud reads the service from the credential scope. */
export function kinesisRequest(operation: string, body: unknown): GatewayRequest {
  const day = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  return {
    service: 'kinesis',
    method: 'POST',
    url: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `Kinesis_20131202.${operation}`,
      'x-amz-date': day,
      authorization: `AWS4-HMAC-SHA256 Credential=test/${day.slice(0, 8)}/${LOCAL_REGION}/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=local`,
    },
    body: Buffer.from(JSON.stringify(body)),
  };
}

/** `GetRecords` of up to `limit` records from `iterator`. */
export async function getRecordsPage(
  send: SendKinesis,
  iterator: string,
  limit: number,
): Promise<RecordPage> {
  const res = await send(kinesisRequest('GetRecords', { ShardIterator: iterator, Limit: limit }));
  const text = res.body === undefined ? '' : res.body.toString();
  let out: { Records?: WireRecord[]; NextShardIterator?: string; __type?: string; message?: string };
  try {
    out = JSON.parse(text);
  } catch {
    throw new KinesisApiError(`Kinesis answered GetRecords with HTTP ${res.status} and no JSON`);
  }
  if (res.status !== 200) {
    const error = new KinesisApiError(out.message ?? `GetRecords failed with HTTP ${res.status}`);
    error.name = out.__type?.split('#').pop() || 'KinesisError';
    throw error;
  }
  const now = Date.now();
  return {
    records: (out.Records ?? []).map((r) => ({
      sequenceNumber: r.SequenceNumber ?? '',
      partitionKey: r.PartitionKey ?? '',
      data: r.Data ?? '',
      // Kinesis's JSON gives the arrival in seconds, with milliseconds as the fraction.
      arrivalMs:
        r.ApproximateArrivalTimestamp === undefined ? now : Math.round(r.ApproximateArrivalTimestamp * 1000),
    })),
    nextIterator: out.NextShardIterator,
  };
}

/** Sends over HTTP to `endpoint`: for a Lambda service that does not share a process with its cloud. */
export function sendOverHttp(endpoint: string): SendKinesis {
  const url = new URL(endpoint);
  return proxyTo({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) });
}
