/**
 * Physical names of the streaming modules' resources. The stacks create them with these names,
 * and the producer, the consumer and the checks find them by name, so they live in one place.
 * Fixed names are fine for a workshop (one deployment per account and region).
 */
export const names = {
  /** Module 2: raw telemetry, one record per unicorn per second. */
  rawStream: 'wildrydes',
  /** Module 3: one record per unicorn per window. */
  aggregatedStream: 'wildrydes-aggregated',
  aggregateFunction: 'wildrydes-aggregate',
  /** Module 4: the aggregated records, persisted. */
  table: 'UnicornSensorData',
  persistFunction: 'wildrydes-persist',
  /** Extra credit: low-magic alerts. */
  alertFunction: 'wildrydes-alert',
  alertTopic: 'wildrydes-alerts',
} as const;
