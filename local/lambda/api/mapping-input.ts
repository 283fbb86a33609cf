/** CreateEventSourceMapping and UpdateEventSourceMapping requests, checked as Lambda checks them. */
import type { EventSourceMappingDefinition } from '../../types.ts';
import { type EventSource, parseEventSourceArn, parseFunctionName } from '../arn.ts';
import { MAPPING_DEFAULTS } from '../mappings/mapping-settings.ts';
import { checkRange, invalidParameter, validationError } from './errors.ts';
import { read } from './http.ts';

const STARTING_POSITIONS = ['LATEST', 'AT_TIMESTAMP', 'TRIM_HORIZON'] as const;
type StartingPosition = (typeof STARTING_POSITIONS)[number];

/** Sources and settings of other event source types, which the local cloud does not read. */
const OTHER_SOURCES = [
  'SelfManagedEventSource',
  'AmazonManagedKafkaEventSourceConfig',
  'SelfManagedKafkaEventSourceConfig',
  'DocumentDBEventSourceConfig',
  'Topics',
  'Queues',
  'SourceAccessConfigurations',
];

/** The settings both operations take; absent members stay absent (the service applies AWS's defaults). */
function mappingSettings(body: Record<string, unknown>): Partial<EventSourceMappingDefinition> {
  const filters = read.object(body, 'FilterCriteria')?.Filters;
  if (Array.isArray(filters) && filters.length > 0) {
    throw invalidParameter(
      'the local cloud does not filter events (FilterCriteria): filter them in the function',
    );
  }
  const destination = read.object(body, 'DestinationConfig');
  if (destination?.OnSuccess !== undefined) {
    throw invalidParameter('Unsupported DestinationConfig parameter for given event source mapping type.');
  }
  const onFailure = destination ? read.object(destination, 'OnFailure') : undefined;
  const responseTypes = read.strings(body, 'FunctionResponseTypes');
  const badType = responseTypes?.find((t) => t !== 'ReportBatchItemFailures');
  if (badType !== undefined) {
    throw validationError(
      badType,
      'functionResponseTypes',
      'Member must satisfy enum value set: [ReportBatchItemFailures]',
    );
  }
  const settings: Partial<EventSourceMappingDefinition> = {
    batchSize: checkRange(read.number(body, 'BatchSize'), 'batchSize', 1, 10_000),
    maximumBatchingWindowInSeconds: checkRange(
      read.number(body, 'MaximumBatchingWindowInSeconds'),
      'maximumBatchingWindowInSeconds',
      0,
      300,
    ),
    parallelizationFactor: checkRange(
      read.number(body, 'ParallelizationFactor'),
      'parallelizationFactor',
      1,
      10,
    ),
    maximumRetryAttempts: checkRange(
      read.number(body, 'MaximumRetryAttempts'),
      'maximumRetryAttempts',
      -1,
      10_000,
    ),
    maximumRecordAgeInSeconds: checkRange(
      read.number(body, 'MaximumRecordAgeInSeconds'),
      'maximumRecordAgeInSeconds',
      -1,
      604_800,
    ),
    tumblingWindowInSeconds: checkRange(
      read.number(body, 'TumblingWindowInSeconds'),
      'tumblingWindowInSeconds',
      0,
      900,
    ),
    bisectBatchOnFunctionError: read.boolean(body, 'BisectBatchOnFunctionError'),
    functionResponseTypes: responseTypes,
    onFailureDestination: onFailure ? read.string(onFailure, 'Destination') : undefined,
    enabled: read.boolean(body, 'Enabled'),
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}

/** An SQS mapping that batches more than 10 messages must wait for them (Lambda's rule). */
function checkSqsBatching(def: Partial<EventSourceMappingDefinition>): void {
  const batchSize = def.batchSize ?? MAPPING_DEFAULTS.sqs.batchSize;
  if (batchSize > 10 && (def.maximumBatchingWindowInSeconds ?? 0) === 0) {
    throw invalidParameter(
      'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
    );
  }
}

/** A checked CreateEventSourceMapping request. */
export interface CreateMappingInput {
  def: EventSourceMappingDefinition;
  source: EventSource;
}

/** Reads and checks a CreateEventSourceMapping body (the function and duplicates are the caller's). */
export function createMappingInput(body: Record<string, unknown>): CreateMappingInput {
  const other = OTHER_SOURCES.find((key) => body[key] !== undefined);
  if (other) {
    throw invalidParameter(
      `the local cloud reads Kinesis streams and SQS queues only, not sources with ${other}`,
    );
  }
  const eventSourceArn = read.string(body, 'EventSourceArn');
  if (!eventSourceArn) throw invalidParameter('Unrecognized event source.');
  const rawName = read.string(body, 'FunctionName');
  if (rawName === undefined) throw validationError(null, 'functionName', 'Member must not be null');
  const settings = mappingSettings(body);
  const position = read.string(body, 'StartingPosition');
  if (position !== undefined && !STARTING_POSITIONS.includes(position as StartingPosition)) {
    throw validationError(
      position,
      'startingPosition',
      `Member must satisfy enum value set: [${STARTING_POSITIONS.join(', ')}]`,
    );
  }
  const timestamp = read.number(body, 'StartingPositionTimestamp');
  const source = parseEventSourceArn(eventSourceArn);
  if (!source) {
    throw invalidParameter(
      `the local cloud reads Kinesis streams and SQS queues; ${eventSourceArn} is neither`,
    );
  }
  if (source.kind === 'kinesis') {
    if (position === undefined) {
      throw invalidParameter(
        "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
      );
    }
    if (timestamp !== undefined && position !== 'AT_TIMESTAMP') {
      throw invalidParameter('Timestamp only valid with StartingPosition AT_TIMESTAMP');
    }
  } else {
    if (position !== undefined || timestamp !== undefined) {
      throw invalidParameter('StartingPosition is not valid for SQS event sources.');
    }
    checkSqsBatching(settings);
  }
  const def: EventSourceMappingDefinition = {
    ...settings,
    functionName: parseFunctionName(rawName).name,
    eventSourceArn,
    ...(position !== undefined && { startingPosition: position as StartingPosition }),
    ...(timestamp !== undefined && { startingPositionTimestamp: timestamp }),
  };
  return { def, source };
}

/** Applies an UpdateEventSourceMapping body to a mapping's definition; the source cannot change. */
export function updatedMapping(
  existing: EventSourceMappingDefinition,
  source: EventSource['kind'],
  body: Record<string, unknown>,
): EventSourceMappingDefinition {
  const rawName = read.string(body, 'FunctionName');
  const def = {
    ...existing,
    ...mappingSettings(body),
    ...(rawName !== undefined && { functionName: parseFunctionName(rawName).name }),
  };
  if (source === 'sqs') checkSqsBatching(def);
  return def;
}
