import type { EventSourceMappingDefinition, FunctionDefinition } from '../../types.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../types.ts';
import { DEFAULT_ROLE_ARN, functionArn } from '../arn.ts';
import { MAPPING_DEFAULTS } from '../mappings/mapping-settings.ts';

/** A function as the local Lambda keeps it: the deployer's definition, plus what only the API sets. */
export interface LocalFunctionDefinition extends FunctionDefinition {
  /** `Description` (CreateFunction, UpdateFunctionConfiguration). */
  description?: string;
}

/** One statement of a function's resource-based policy, as AddPermission builds it. */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: string | Record<string, string>;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

/** A function's resource-based policy (recorded, not enforced). */
export interface FunctionPolicy {
  revisionId: string;
  statements: PolicyStatement[];
}

/** A deployed function and what the API reports about its code. */
export interface FunctionRecord {
  def: LocalFunctionDefinition;
  codeSize: number;
  /** Base64 SHA-256 of the code, as `CodeSha256`. */
  codeSha256: string;
  lastModified: Date;
  revisionId: string;
  /** AddPermission's statements; kept across updates, gone with the function. */
  policy?: FunctionPolicy;
}

/** A mapping and its runtime status. */
export interface MappingRecord {
  def: EventSourceMappingDefinition & { uuid: string };
  /** The function's name (the definition may name it by ARN). */
  functionName: string;
  source: 'kinesis' | 'sqs';
  lastModified: Date;
  /** `No records processed`, `OK`, or `PROBLEM: …` (Kinesis mappings). */
  lastProcessingResult: string;
}

/** Lambda's `LastModified` format for functions: `2026-11-22T09:17:08.189+0000`. */
export const lambdaTime = (d: Date): string => d.toISOString().replace('Z', '+0000');

/** `FunctionConfiguration` as GetFunctionConfiguration and ListFunctions return it. */
export function functionConfiguration(f: FunctionRecord): Record<string, unknown> {
  const { def } = f;
  return {
    FunctionName: def.name,
    FunctionArn: functionArn(def.name),
    Runtime: def.runtime,
    Role: def.role ?? DEFAULT_ROLE_ARN,
    Handler: def.handler,
    CodeSize: f.codeSize,
    Description: def.description ?? '',
    Timeout: def.timeoutSeconds,
    MemorySize: def.memorySizeMb,
    LastModified: lambdaTime(f.lastModified),
    CodeSha256: f.codeSha256,
    Version: '$LATEST',
    ...(Object.keys(def.environment).length > 0 && { Environment: { Variables: { ...def.environment } } }),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: f.revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${def.name}` },
  };
}

/** `EventSourceMappingConfiguration` as GetEventSourceMapping and ListEventSourceMappings return it. */
export function mappingConfiguration(m: MappingRecord): Record<string, unknown> {
  const { def } = m;
  const defaults = MAPPING_DEFAULTS[m.source];
  const common = {
    UUID: def.uuid,
    BatchSize: def.batchSize ?? defaults.batchSize,
    MaximumBatchingWindowInSeconds:
      def.maximumBatchingWindowInSeconds ?? defaults.maximumBatchingWindowInSeconds,
    EventSourceArn: def.eventSourceArn,
    FunctionArn: functionArn(m.functionName),
    // A timestamp member: the REST-JSON protocol sends epoch seconds.
    LastModified: m.lastModified.getTime() / 1000,
    State: def.enabled === false ? 'Disabled' : 'Enabled',
    StateTransitionReason: 'USER_INITIATED',
    FunctionResponseTypes: def.functionResponseTypes ?? [],
    EventSourceMappingArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-source-mapping:${def.uuid}`,
  };
  if (m.source === 'sqs') return common;
  return {
    ...common,
    StartingPosition: def.startingPosition,
    ...(def.startingPositionTimestamp !== undefined && {
      StartingPositionTimestamp: def.startingPositionTimestamp,
    }),
    ParallelizationFactor: def.parallelizationFactor ?? 1,
    LastProcessingResult: m.lastProcessingResult,
    DestinationConfig: {
      OnFailure: def.onFailureDestination ? { Destination: def.onFailureDestination } : {},
    },
    MaximumRecordAgeInSeconds: def.maximumRecordAgeInSeconds ?? -1,
    BisectBatchOnFunctionError: def.bisectBatchOnFunctionError ?? false,
    MaximumRetryAttempts: def.maximumRetryAttempts ?? -1,
    TumblingWindowInSeconds: def.tumblingWindowInSeconds ?? 0,
  };
}
