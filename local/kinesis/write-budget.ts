/**
 * A shard's write budget, as Kinesis Data Streams meters it: each shard takes up to 1,000
 * records and 1 MiB (data plus partition key) a second
 * (`core/kinesis-limits.ts`).
 */
import { SHARD_WRITE_LIMITS } from '../../core/kinesis-limits.ts';

/** Write limits per shard. */
export interface ShardWriteLimits {
  recordsPerSecond: number;
  bytesPerSecond: number;
}

/** AWS's limits for a provisioned shard. */
export const AWS_SHARD_WRITE_LIMITS: ShardWriteLimits = SHARD_WRITE_LIMITS;

/**
 * Two token buckets, records and bytes, each holding at most one second's worth and refilled
 * continuously: a shard idle for a second takes a full second's burst at once, and no more.
 */
export class WriteBudget {
  private records: number;
  private bytes: number;
  private atMs: number;

  constructor(
    private readonly limits: ShardWriteLimits,
    nowMs: number,
  ) {
    this.records = limits.recordsPerSecond;
    this.bytes = limits.bytesPerSecond;
    this.atMs = nowMs;
  }

  /** Takes one record of `bytes` if both buckets allow it; false (nothing taken) if not. */
  take(bytes: number, nowMs: number): boolean {
    const seconds = Math.max(0, nowMs - this.atMs) / 1000;
    this.atMs = Math.max(this.atMs, nowMs);
    const { recordsPerSecond, bytesPerSecond } = this.limits;
    this.records = Math.min(recordsPerSecond, this.records + seconds * recordsPerSecond);
    this.bytes = Math.min(bytesPerSecond, this.bytes + seconds * bytesPerSecond);
    if (this.records < 1 || this.bytes < bytes) return false;
    this.records -= 1;
    this.bytes -= bytes;
    return true;
  }
}

/** The bytes a record counts for: its data (decoded from base64) plus its partition key in UTF-8. */
export function recordBytes(dataBase64: string, partitionKey: string): number {
  const padding = dataBase64.endsWith('==') ? 2 : dataBase64.endsWith('=') ? 1 : 0;
  return Math.floor((dataBase64.length * 3) / 4) - padding + Buffer.byteLength(partitionKey, 'utf8');
}
