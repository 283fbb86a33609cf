/** `AWS::Lambda::Function` and `AWS::Lambda::EventSourceMapping` through the local Lambda service. */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { UnsupportedPropertyError } from '../cloudformation/errors.ts';
import { NAME_RULES, physicalName } from '../cloudformation/names.ts';
import type {
  ProviderContext,
  ResourceProvider,
  ValidateContext,
} from '../cloudformation/providers/types.ts';
import {
  isAwsError,
  isRecord,
  nameFromArn,
  optArray,
  optBoolean,
  optNumber,
  optRecord,
  optString,
  type Props,
  reqString,
} from '../cloudformation/providers/values.ts';
import { type EventSourceMappingDefinition, LOCAL_ACCOUNT, LOCAL_REGION } from '../types.ts';
import type { LocalFunctionDefinition } from './api/shapes.ts';
import { readS3Code } from './code/s3.ts';
import { inlineZip, releaseCode, unpackCode } from './code/store.ts';

const functionName = (props: Props, ctx: ValidateContext) =>
  optString(props, 'FunctionName', ctx.at) ??
  physicalName(ctx.stackName, ctx.logicalId, NAME_RULES.lambdaFunction);

const functionArn = (name: string) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;

/**
 * The directory that holds a function's bundled code: the resource's `aws:asset:path` metadata
 * (what the CDK CLI uploads), else the asset whose object key is the function's `Code.S3Key`.
 */
export function codeDirOf(props: Props, ctx: ValidateContext): string | undefined {
  const code = optRecord(props, 'Code');
  const key = code?.S3Key;
  const assetPath = ctx.resource?.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') {
    const dir = isAbsolute(assetPath) ? assetPath : join(ctx.assemblyDir, assetPath);
    // Through the CloudFormation API (`cdk deploy`) the assembly is on another machine, as far
    // as the deployer knows: the code is the zip the CLI published to S3.
    if (existsSync(dir) || code?.S3Bucket === undefined || key === undefined) return dir;
  }
  return typeof key === 'string' ? ctx.assets[key] : undefined;
}

/**
 * Unpacks code that is not a CDK asset: `Code.ZipFile` (inline source, which CloudFormation
 * zips as `index.js` for Node.js) or the zip at `Code.S3Bucket`/`S3Key` in the local S3.
 * Returns the new directory; the Lambda service removes it when the function moves on.
 */
async function unpackTemplateCode(props: Props, ctx: ProviderContext, name: string): Promise<string> {
  const code = optRecord(props, 'Code') ?? {};
  const source = optString(code, 'ZipFile', ctx.at);
  const zip =
    source !== undefined
      ? inlineZip(source)
      : await readS3Code(ctx.clients.s3, {
          bucket: reqString(code, 'S3Bucket', ctx.at),
          key: reqString(code, 'S3Key', ctx.at),
          version: optString(code, 'S3ObjectVersion', ctx.at),
        });
  return (await unpackCode(zip, { name })).dir;
}

/** The function as the local Lambda service takes it (defaults as on AWS: 3 s, 128 MB). */
export function functionDefinition(props: Props, ctx: ValidateContext): LocalFunctionDefinition {
  const variables = optRecord(optRecord(props, 'Environment') ?? {}, 'Variables') ?? {};
  const description = optString(props, 'Description', ctx.at);
  return {
    ...(description !== undefined && { description }),
    name: functionName(props, ctx),
    handler: optString(props, 'Handler', ctx.at) ?? 'index.handler',
    codeDir: codeDirOf(props, ctx) ?? '',
    runtime: optString(props, 'Runtime', ctx.at) ?? 'nodejs22.x',
    timeoutSeconds: optNumber(props, 'Timeout', ctx.at) ?? 3,
    memorySizeMb: optNumber(props, 'MemorySize', ctx.at) ?? 128,
    environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])),
    role: optString(props, 'Role', ctx.at),
  };
}

/**
 * Functions: handler, runtime, timeout, memory, environment (resolved), role, description; code
 * from the CDK asset, else inline (`Code.ZipFile`) or a zip in the local S3 (`Code.S3Bucket`/
 * `S3Key`). Functions that only back CDK's custom resources are recorded and not run: the
 * deployer does their job itself.
 */
export const lambdaFunctionProvider: ResourceProvider = {
  attributes: ['Arn'],
  replaceOn: ['FunctionName'],
  nameOf: functionName,
  validate(props, ctx) {
    if (ctx.customResourceProvider) return;
    if (props.PackageType === 'Image')
      throw new UnsupportedPropertyError('container image functions', ctx.at);
    if (optArray(props, 'Layers').length > 0) throw new UnsupportedPropertyError('Lambda layers', ctx.at);
    const runtime = props.Runtime;
    if (typeof runtime === 'string' && !runtime.startsWith('nodejs')) {
      throw new UnsupportedPropertyError(
        `the ${runtime} runtime (the local Lambda service runs Node.js)`,
        ctx.at,
      );
    }
    const code = optRecord(props, 'Code');
    const dir = codeDirOf(props, ctx);
    if (!dir) {
      // Read when the function is created: inline source, or a zip someone put in the local S3.
      if (code?.ZipFile !== undefined || (code?.S3Bucket !== undefined && code?.S3Key !== undefined)) return;
      throw new UnsupportedPropertyError(
        'Lambda code that is neither a CDK asset in the cloud assembly, inline (Code.ZipFile) nor in S3 (Code.S3Bucket/S3Key)',
        ctx.at,
      );
    }
    if (!existsSync(dir)) {
      throw new UnsupportedPropertyError(
        `Lambda code at ${dir}, which does not exist: synthesise again`,
        ctx.at,
      );
    }
  },
  localProperties: (props, ctx) =>
    ctx.customResourceProvider ? {} : { 'Local::CodeDir': codeDirOf(props, ctx) },
  async create(props, ctx) {
    const name = functionName(props, ctx);
    if (ctx.customResourceProvider) {
      return {
        physicalId: name,
        ref: name,
        attributes: { Arn: functionArn(name) },
        data: { recordedOnly: true },
      };
    }
    const definition = functionDefinition(props, ctx);
    const unpacked = definition.codeDir ? undefined : await unpackTemplateCode(props, ctx, name);
    const codeDir = unpacked ?? definition.codeDir;
    try {
      const { functionArn: arn } = await ctx.lambda.putFunction({ ...definition, codeDir });
      return { physicalId: name, ref: name, attributes: { Arn: arn }, data: { codeDir } };
    } catch (err) {
      if (unpacked) await releaseCode(unpacked);
      throw err;
    }
  },
  update(props, _previous, _changed, ctx) {
    return this.create(props, ctx);
  },
  async delete(previous, ctx) {
    if (previous.data?.recordedOnly) return;
    await ctx.lambda.deleteFunction(previous.physicalId);
  },
};

const STARTING_POSITIONS = ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] as const;

/** Maps `AWS::Lambda::EventSourceMapping` properties to the Lambda API's mapping fields. */
export function mappingDefinition(
  props: Props,
  ctx: ValidateContext,
  uuid?: string,
): EventSourceMappingDefinition {
  const at = ctx.at;
  const position = optString(props, 'StartingPosition', at);
  if (
    position !== undefined &&
    !STARTING_POSITIONS.includes(position as (typeof STARTING_POSITIONS)[number])
  ) {
    throw new UnsupportedPropertyError(`StartingPosition ${position}`, at);
  }
  const onFailure = optRecord(optRecord(props, 'DestinationConfig') ?? {}, 'OnFailure');
  const responseTypes = optArray(props, 'FunctionResponseTypes').map(String);
  const definition: EventSourceMappingDefinition = {
    uuid,
    functionName: nameFromArn(reqString(props, 'FunctionName', at), 'function'),
    eventSourceArn: reqString(props, 'EventSourceArn', at),
    batchSize: optNumber(props, 'BatchSize', at),
    maximumBatchingWindowInSeconds: optNumber(props, 'MaximumBatchingWindowInSeconds', at),
    startingPosition: position as EventSourceMappingDefinition['startingPosition'],
    startingPositionTimestamp: optNumber(props, 'StartingPositionTimestamp', at),
    bisectBatchOnFunctionError: optBoolean(props, 'BisectBatchOnFunctionError', at),
    maximumRetryAttempts: optNumber(props, 'MaximumRetryAttempts', at),
    maximumRecordAgeInSeconds: optNumber(props, 'MaximumRecordAgeInSeconds', at),
    functionResponseTypes: responseTypes.length ? responseTypes : undefined,
    onFailureDestination: isRecord(onFailure) ? optString(onFailure, 'Destination', at) : undefined,
    tumblingWindowInSeconds: optNumber(props, 'TumblingWindowInSeconds', at),
    parallelizationFactor: optNumber(props, 'ParallelizationFactor', at),
    enabled: optBoolean(props, 'Enabled', at) ?? true,
  };
  // Absent fields stay absent, so the Lambda service applies its own (AWS's) defaults.
  return Object.fromEntries(
    Object.entries(definition).filter(([, v]) => v !== undefined),
  ) as unknown as EventSourceMappingDefinition;
}

/** Event source mappings (Kinesis, SQS): every field the local Lambda service polls with. */
export const eventSourceMappingProvider: ResourceProvider = {
  attributes: ['Id', 'EventSourceMappingArn'],
  // As on AWS: a mapping cannot move to another source or starting position in place.
  replaceOn: ['EventSourceArn', 'StartingPosition', 'StartingPositionTimestamp'],
  // A new stream (or function) of the same name is a new source: poll it from a fresh mapping.
  replaceWithDependencies: true,
  validate(props, ctx) {
    const position = props.StartingPosition;
    if (
      typeof position === 'string' &&
      !STARTING_POSITIONS.includes(position as (typeof STARTING_POSITIONS)[number])
    ) {
      throw new UnsupportedPropertyError(`StartingPosition ${position}`, ctx.at);
    }
    for (const unsupported of [
      'SelfManagedEventSource',
      'AmazonManagedKafkaEventSourceConfig',
      'DocumentDBEventSourceConfig',
    ]) {
      if (props[unsupported] !== undefined)
        throw new UnsupportedPropertyError(`event sources with ${unsupported}`, ctx.at);
    }
  },
  async create(props, ctx) {
    const { uuid } = await ctx.lambda.putEventSourceMapping(mappingDefinition(props, ctx));
    return mappingResult(uuid);
  },
  async update(props, previous, _changed, ctx) {
    const { uuid } = await ctx.lambda.putEventSourceMapping(
      mappingDefinition(props, ctx, previous.physicalId),
    );
    return mappingResult(uuid);
  },
  async delete(previous, ctx) {
    try {
      await ctx.lambda.deleteEventSourceMapping(previous.physicalId);
    } catch (err) {
      // Already gone (the Lambda service restarted): nothing left to delete.
      if (!isAwsError(err, 'MappingNotFoundError', 'ResourceNotFoundException')) throw err;
    }
  },
};

const mappingResult = (uuid: string) => ({
  physicalId: uuid,
  ref: uuid,
  attributes: {
    Id: uuid,
    EventSourceMappingArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-source-mapping:${uuid}`,
  },
});
