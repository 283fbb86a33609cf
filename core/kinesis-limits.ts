/**
 * What a Kinesis shard takes a second, on AWS
 * (https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html): the local cloud
 * enforces it, the producer plans by it, the bench judges by it.
 */
export const SHARD_WRITE_LIMITS = {
  recordsPerSecond: 1000,
  /** Data plus partition key. */
  bytesPerSecond: 1024 * 1024,
} as const;
