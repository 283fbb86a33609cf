import type { EventSourceMappingDefinition } from '../../types.ts';
import type { StreamSettings } from './stream-batch.ts';

/** Lambda's defaults for a mapping's settings, by source (from the CreateEventSourceMapping reference). */
export const MAPPING_DEFAULTS = {
  kinesis: { batchSize: 100, maximumBatchingWindowInSeconds: 0 },
  sqs: { batchSize: 10, maximumBatchingWindowInSeconds: 0 },
} as const;

/** A Kinesis mapping's settings with AWS's defaults applied, in milliseconds. */
export function streamSettings(def: EventSourceMappingDefinition): StreamSettings {
  const maxAge = def.maximumRecordAgeInSeconds ?? -1;
  return {
    batchSize: def.batchSize ?? MAPPING_DEFAULTS.kinesis.batchSize,
    maximumBatchingWindowMs:
      (def.maximumBatchingWindowInSeconds ?? MAPPING_DEFAULTS.kinesis.maximumBatchingWindowInSeconds) * 1000,
    maximumRetryAttempts: def.maximumRetryAttempts ?? -1,
    maximumRecordAgeMs: maxAge < 0 ? -1 : maxAge * 1000,
    bisectOnError: def.bisectBatchOnFunctionError ?? false,
    reportBatchItemFailures: def.functionResponseTypes?.includes('ReportBatchItemFailures') ?? false,
    tumblingWindowMs: (def.tumblingWindowInSeconds ?? 0) * 1000,
  };
}

/**
 * Why Lambda would refuse a mapping's settings (CreateEventSourceMapping's validation), or
 * `undefined` when they are fine.
 */
export function mappingProblem(
  def: EventSourceMappingDefinition,
  source: 'kinesis' | 'sqs',
): string | undefined {
  const batchSize = def.batchSize ?? MAPPING_DEFAULTS[source].batchSize;
  const window = def.maximumBatchingWindowInSeconds ?? 0;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    return `BatchSize must be between 1 and 10000, not ${batchSize}`;
  }
  if (window < 0 || window > 300)
    return `MaximumBatchingWindowInSeconds must be between 0 and 300, not ${window}`;
  if (source === 'sqs') {
    if (batchSize > 10 && window < 1) {
      return 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10';
    }
    return undefined;
  }
  if (!def.startingPosition) return 'StartingPosition is required for a Kinesis event source mapping';
  if (def.startingPosition === 'AT_TIMESTAMP' && def.startingPositionTimestamp === undefined) {
    return 'StartingPositionTimestamp is required when StartingPosition is AT_TIMESTAMP';
  }
  const tumbling = def.tumblingWindowInSeconds ?? 0;
  if (tumbling < 0 || tumbling > 900)
    return `TumblingWindowInSeconds must be between 0 and 900, not ${tumbling}`;
  const retries = def.maximumRetryAttempts ?? -1;
  if (retries < -1 || retries > 10_000)
    return `MaximumRetryAttempts must be between -1 and 10000, not ${retries}`;
  const age = def.maximumRecordAgeInSeconds ?? -1;
  if (age !== -1 && (age < 60 || age > 604_800)) {
    return `MaximumRecordAgeInSeconds must be -1 or between 60 and 604800, not ${age}`;
  }
  return undefined;
}
