/** What the Lambda API reads, changes and invokes through: the LambdaService. */
import type { EventSourceMappingDefinition } from '../../types.ts';
import { parseFunctionName } from '../arn.ts';
import type { S3CodeLocation } from '../code/s3.ts';
import type { InvokeResult } from '../runtime/host.ts';
import { FunctionNotFoundError, MappingNotFoundError } from './errors.ts';
import type { FunctionPolicy, FunctionRecord, LocalFunctionDefinition, MappingRecord } from './shapes.ts';

/** What the read side of the API (List/Get, GetPolicy) and Invoke need. */
export interface LambdaApiReader {
  functionRecords(): FunctionRecord[];
  mappingRecords(): MappingRecord[];
  /** Invokes a function with an event given as JSON text; throws `FunctionNotFoundError`. */
  invokeText(name: string, event: string, opts?: { clientContext?: unknown }): Promise<InvokeResult>;
  /** Where an `Event` invocation's failure is reported (nobody waits for it). */
  note(line: string): void;
}

/** What the write side needs besides: the same LambdaService paths the deployer uses, and code. */
export interface LambdaApiWriter {
  /** Creates or updates a function (`LambdaControl.putFunction`). */
  putFunction(def: LocalFunctionDefinition): Promise<unknown>;
  deleteFunction(name: string): Promise<void>;
  /** Creates or updates a mapping (`LambdaControl.putEventSourceMapping`). */
  putEventSourceMapping(def: EventSourceMappingDefinition): Promise<{ uuid: string }>;
  deleteEventSourceMapping(uuid: string): Promise<void>;
  /** Replaces a function's resource-based policy (`undefined`: none). */
  setPolicy(name: string, policy: FunctionPolicy | undefined): void;
  /** Unpacks a zip for function `name`; the directory is removed once no function runs from it. */
  unpack(zip: Uint8Array, name: string): Promise<string>;
  /** Removes a directory `unpack` made that no function took after all. */
  release(dir: string): Promise<void>;
  /** Reads a package from the local cloud's S3; throws `CodeSourceError`. */
  readS3(where: S3CodeLocation): Promise<Uint8Array>;
}

/**
 * What the Lambda API serves from: the LambdaService (everything), or a reader alone (a test's
 * fixed records), which serves the read side and Invoke only.
 */
export type LambdaApiBackend = LambdaApiReader & Partial<LambdaApiWriter>;

/** A backend that serves the write side too. */
export type WritableBackend = LambdaApiReader & LambdaApiWriter;

const WRITER_METHODS: readonly (keyof LambdaApiWriter)[] = [
  'putFunction',
  'deleteFunction',
  'putEventSourceMapping',
  'deleteEventSourceMapping',
  'setPolicy',
  'unpack',
  'release',
  'readS3',
];

/** Whether `backend` can serve the write side. */
export const isWritable = (backend: LambdaApiBackend): backend is WritableBackend =>
  WRITER_METHODS.every((m) => typeof backend[m] === 'function');

/**
 * The function a path's `{FunctionName}` (a name, partial or full ARN, URL-encoded) and the
 * `Qualifier` query name; throws `FunctionNotFoundError`. Only `$LATEST` exists locally.
 */
export function findFunction(backend: LambdaApiReader, raw: string, query: URLSearchParams): FunctionRecord {
  const { name, qualifier = query.get('Qualifier') ?? undefined } = parseFunctionName(
    decodeURIComponent(raw),
  );
  const found = backend.functionRecords().find((f) => f.def.name === name);
  if (!found) throw new FunctionNotFoundError(name);
  if (qualifier !== undefined && qualifier !== '$LATEST') {
    // The local cloud deploys $LATEST only: no versions, no aliases.
    throw new FunctionNotFoundError(`${name}:${qualifier}`);
  }
  return found;
}

/** The mapping a path's `{UUID}` names; throws `MappingNotFoundError`. */
export function findMapping(backend: LambdaApiReader, raw: string): MappingRecord {
  const uuid = decodeURIComponent(raw);
  const found = backend.mappingRecords().find((m) => m.def.uuid === uuid);
  if (!found) throw new MappingNotFoundError(uuid);
  return found;
}
