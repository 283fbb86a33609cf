import type { LocalCloud } from '../cloud.ts';
import { LocalEventBridge, type LocalEventBridgeOptions } from './service.ts';

export { InvalidEventPatternError, matchesPattern, parsePattern } from './pattern.ts';
export { encodeEventKey, objectCreatedEntry } from './s3-events.ts';
export { LocalEventBridge, type LocalEventBridgeOptions } from './service.ts';

/**
 * Adds EventBridge to the local cloud: the `events` API, and S3 "Object Created" events for
 * buckets whose EventBridge notifications are on (set by PutBucketNotificationConfiguration, or by
 * the deployer with `enableBucket`). The result is the deployer's `EventsControl`.
 */
export function installEvents(
  cloud: Pick<LocalCloud, 'endpoint' | 'register' | 'observe'>,
  opts: Omit<LocalEventBridgeOptions, 'endpoint'> = {},
): LocalEventBridge {
  const events = new LocalEventBridge({ endpoint: cloud.endpoint, ...opts });
  cloud.register('events', events.handle, 'wildrydes event bus');
  cloud.observe('s3', events.onS3Response);
  return events;
}
