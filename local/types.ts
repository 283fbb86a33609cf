/**
 * Contracts between the parts of the embedded local cloud (see README.md beside this file).
 * The gateway owns the port; every service — an emulator behind a proxy or one of ours —
 * is a `ServiceHandler` registered under the SigV4 service name it answers to.
 */

/** A request as the gateway hands it to a service: body fully read. */
export interface GatewayRequest {
  /** SigV4 credential-scope service, e.g. `kinesis`, `dynamodb`, `lambda`, `events`. */
  service: string;
  method: string;
  /** Path and query string, as received (`/2015-03-31/functions/?MaxItems=50`). */
  url: string;
  /** Lower-cased header names; HTTP/2 pseudo-headers removed. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface GatewayResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export type ServiceHandler = (req: GatewayRequest) => Promise<GatewayResponse>;

/** Fixed identity of the local cloud (LocalStack's conventions), shared with its clients. */
export { DEFAULT_PORT, LOCAL_ACCOUNT, LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/local-cloud.ts';

/** A Lambda function as the deployer hands it to the Lambda service (from `AWS::Lambda::Function`). */
export interface FunctionDefinition {
  name: string;
  /** `file.export`, e.g. `index.handler`. */
  handler: string;
  /** Directory holding the bundled code (CDK's `aws:asset:path` under cdk.out). */
  codeDir: string;
  runtime: string;
  timeoutSeconds: number;
  memorySizeMb: number;
  environment: Record<string, string>;
  /** Execution role ARN (recorded, not enforced). */
  role?: string;
}

/** An event source mapping (from `AWS::Lambda::EventSourceMapping`), field names as in the Lambda API. */
export interface EventSourceMappingDefinition {
  /** Keep the same UUID across re-deploys of the same logical resource. */
  uuid?: string;
  functionName: string;
  eventSourceArn: string;
  batchSize?: number;
  maximumBatchingWindowInSeconds?: number;
  startingPosition?: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  startingPositionTimestamp?: number;
  bisectBatchOnFunctionError?: boolean;
  maximumRetryAttempts?: number;
  maximumRecordAgeInSeconds?: number;
  functionResponseTypes?: string[];
  /** ARN of an SQS queue or SNS topic. */
  onFailureDestination?: string;
  tumblingWindowInSeconds?: number;
  parallelizationFactor?: number;
  enabled?: boolean;
}

/** What the deployer needs from the local Lambda service. */
export interface LambdaControl {
  /** Creates or updates a function; an update restarts its host with the new code and settings. */
  putFunction(def: FunctionDefinition): Promise<{ functionArn: string }>;
  deleteFunction(name: string): Promise<void>;
  /** Creates or updates a mapping and starts polling; returns its UUID. */
  putEventSourceMapping(def: EventSourceMappingDefinition): Promise<{ uuid: string }>;
  deleteEventSourceMapping(uuid: string): Promise<void>;
}

/** An EventBridge rule on the default bus (from `AWS::Events::Rule`). */
export interface EventRuleDefinition {
  name: string;
  eventPattern: unknown;
  state: 'ENABLED' | 'DISABLED';
  targets: { id: string; arn: string }[];
}

/** What the deployer needs from the local EventBridge service. */
export interface EventsControl {
  putRule(rule: EventRuleDefinition): Promise<{ ruleArn: string }>;
  deleteRule(name: string): Promise<void>;
}
