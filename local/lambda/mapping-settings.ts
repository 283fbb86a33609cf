import type { EventSourceMappingDefinition } from '../types.ts';
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
