/**
 * Kinesis's per-shard write limits in front of kinesalite, which has none: a `PutRecord` over a
 * shard's budget is refused with `ProvisionedThroughputExceededException` (HTTP 400), a
 * `PutRecords` answers 200 with the entries over budget failed (`ErrorCode`, counted in
 * `FailedRecordCount`), each naming its shard, stream and account as AWS's messages do.
 */
import { asList, jsonAnswer, jsonBody, operationOf } from '../faults/shapes.ts';
import { type GatewayRequest, type GatewayResponse, LOCAL_ACCOUNT, type ServiceHandler } from '../types.ts';
import { partialPutRecords, streamNameOf } from './faults.ts';
import { hashKeyOf, openRanges, ShardMaps, shardOf } from './shard-map.ts';
import { AWS_SHARD_WRITE_LIMITS, recordBytes, type ShardWriteLimits, WriteBudget } from './write-budget.ts';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'Kinesis_20131202.';

/** Records refused for a shard's write limits so far, by stream. */
export type ThrottleCounts = Record<string, number>;

/** The Kinesis handler with the limits on, and what it refused. */
export interface LimitedKinesis {
  handler: ServiceHandler;
  /** Records refused so far, by stream (for `/_wildrydes/health` and tests). */
  throttled(): ThrottleCounts;
}

/** AWS's message for a write over a shard's limits. */
export const shardRateMessage = (shardId: string, stream: string) =>
  `Rate exceeded for shard ${shardId} in stream ${stream} under account ${LOCAL_ACCOUNT}.`;

interface Entry {
  Data?: unknown;
  PartitionKey?: unknown;
  ExplicitHashKey?: unknown;
}

/** Puts `next` (kinesalite) behind per-shard write limits, AWS's by default. */
export function limitShardWrites(
  next: ServiceHandler,
  opts: { limits?: ShardWriteLimits; now?: () => number } = {},
): LimitedKinesis {
  const limits = opts.limits ?? AWS_SHARD_WRITE_LIMITS;
  const now = opts.now ?? Date.now;
  const budgets = new Map<string, WriteBudget>();
  const counts: ThrottleCounts = {};
  let template: GatewayRequest | undefined;
  // The shard list comes from kinesalite itself, signed as the call that needs it.
  const maps = new ShardMaps(async (stream) => {
    if (!template) return undefined;
    const res = await next({
      ...template,
      headers: { ...template.headers, 'x-amz-target': `${TARGET_PREFIX}ListShards` },
      body: Buffer.from(JSON.stringify({ StreamName: stream })),
    });
    return res.status === 200
      ? openRanges(jsonBody({ body: Buffer.from(res.body ?? '') }).Shards)
      : undefined;
  }, now);

  /** Whether the shard of `entry` takes it now; the shard's id either way. */
  const admit = (stream: string, ranges: Parameters<typeof shardOf>[0], entry: Entry) => {
    const key = typeof entry.PartitionKey === 'string' ? entry.PartitionKey : '';
    const explicit = typeof entry.ExplicitHashKey === 'string' ? entry.ExplicitHashKey : undefined;
    const shard = shardOf(ranges, hashKeyOf(key, explicit));
    if (!shard) return { ok: true };
    const id = `${stream}/${shard.shardId}`;
    let budget = budgets.get(id);
    if (!budget) {
      budget = new WriteBudget(limits, now());
      budgets.set(id, budget);
    }
    const data = typeof entry.Data === 'string' ? entry.Data : '';
    return { ok: budget.take(recordBytes(data, key), now()), shardId: shard.shardId };
  };

  const handler = async (req: GatewayRequest): Promise<GatewayResponse> => {
    const operation = operationOf(req.headers);
    if (operation !== 'PutRecord' && operation !== 'PutRecords') return next(req);
    const body = jsonBody(req);
    const stream = streamNameOf(body);
    template = { ...req, body: Buffer.alloc(0) };
    const ranges = await maps.ranges(stream);
    // A missing stream (or a body we cannot read) is kinesalite's to answer.
    if (!ranges || ranges.length === 0) return next(req);
    if (operation === 'PutRecord') {
      const { ok, shardId = '' } = admit(stream, ranges, body);
      if (ok) return next(req);
      counts[stream] = (counts[stream] ?? 0) + 1;
      return jsonAnswer(CONTENT_TYPE, 400, {
        __type: 'ProvisionedThroughputExceededException',
        message: shardRateMessage(shardId, stream),
      });
    }
    const rejected = new Map<number, string>();
    asList(body.Records).forEach((record, i) => {
      const { ok, shardId = '' } = admit(stream, ranges, (record ?? {}) as Entry);
      if (!ok) rejected.set(i, shardId);
    });
    if (rejected.size === 0) return next(req);
    counts[stream] = (counts[stream] ?? 0) + rejected.size;
    const call = partialPutRecords(req, [...rejected.keys()], (i) =>
      shardRateMessage(rejected.get(i) ?? '', stream),
    );
    return call.answer(call.forward ? await next(call.forward) : undefined);
  };
  return { handler, throttled: () => ({ ...counts }) };
}
