/** CreateFunction, UpdateFunctionConfiguration and UpdateFunctionCode requests, checked as Lambda checks them. */
import { parseFunctionName } from '../arn.ts';
import type { S3CodeLocation } from '../code/s3.ts';
import { ZIP_LIMITS } from '../code/zip.ts';
import { checkRange, invalidParameter, LambdaApiError, validationError } from './errors.ts';
import { read } from './http.ts';
import type { LocalFunctionDefinition } from './shapes.ts';

/** The runtimes the local cloud runs: Node.js, one process per function. */
export const LOCAL_RUNTIMES: readonly string[] = ['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x'];

/** Node.js runtimes Lambda no longer creates or updates functions with. */
const RETIRED_RUNTIMES = new Set([
  'nodejs',
  'nodejs4.3',
  'nodejs4.3-edge',
  'nodejs6.10',
  'nodejs8.10',
  'nodejs10.x',
  'nodejs12.x',
  'nodejs14.x',
  'nodejs16.x',
]);

const ROLE_PATTERN = 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+';
const NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)';
const ENV_KEY_PATTERN = '[a-zA-Z]([a-zA-Z0-9_])+';
const matches = (pattern: string, value: string) => new RegExp(`^${pattern}$`).test(value);

/** Variables the runtime sets itself: a function may not set them (AWS's list). */
const RESERVED_VARIABLES = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** Refuses a runtime the local cloud cannot run, with Lambda's wording for a runtime it refuses. */
export function checkRuntime(runtime: string): void {
  if (LOCAL_RUNTIMES.includes(runtime)) return;
  if (RETIRED_RUNTIMES.has(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
  throw invalidParameter(
    `Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${LOCAL_RUNTIMES.join(', ')}] or be a valid ARN`,
  );
}

function environmentOf(body: Record<string, unknown>): Record<string, string> | undefined {
  const environment = read.object(body, 'Environment');
  if (!environment) return undefined;
  const variables = read.object(environment, 'Variables') ?? {};
  const entries = Object.entries(variables).map(([k, v]) => [k, String(v)] as const);
  const badKey = entries.find(([k]) => !matches(ENV_KEY_PATTERN, k));
  if (badKey) {
    throw validationError(
      badKey[0],
      'environment.variables',
      `Member must satisfy regular expression pattern: ${ENV_KEY_PATTERN}`,
    );
  }
  const reserved = entries.filter(([k]) => RESERVED_VARIABLES.has(k)).map(([k]) => k);
  if (reserved.length > 0) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const measured = JSON.stringify(Object.fromEntries(entries));
  if (Buffer.byteLength(measured) > 4096) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
  return Object.fromEntries(entries);
}

/** What CreateFunction and UpdateFunctionConfiguration set, checked; absent members stay absent. */
export interface FunctionSettings {
  role?: string;
  handler?: string;
  runtime?: string;
  description?: string;
  timeoutSeconds?: number;
  memorySizeMb?: number;
  environment?: Record<string, string>;
}

/**
 * Reads and checks the settings of a CreateFunction or UpdateFunctionConfiguration body: the
 * model's constraints first (`ValidationException`), then Lambda's own (`InvalidParameterValue…`).
 */
export function functionSettings(body: Record<string, unknown>): FunctionSettings {
  const role = read.string(body, 'Role');
  if (role !== undefined && !matches(ROLE_PATTERN, role)) {
    throw validationError(role, 'role', `Member must satisfy regular expression pattern: ${ROLE_PATTERN}`);
  }
  const handler = read.string(body, 'Handler');
  if (handler !== undefined && handler.length > 128) {
    throw validationError(handler, 'handler', 'Member must have length less than or equal to 128');
  }
  if (handler !== undefined && !matches('[^\\s]+', handler)) {
    throw validationError(handler, 'handler', 'Member must satisfy regular expression pattern: [^\\s]+');
  }
  const description = read.string(body, 'Description');
  if (description !== undefined && description.length > 256) {
    throw validationError(description, 'description', 'Member must have length less than or equal to 256');
  }
  const timeoutSeconds = checkRange(read.number(body, 'Timeout'), 'timeout', 1, 900);
  const memorySizeMb = checkRange(read.number(body, 'MemorySize'), 'memorySize', 128, 10_240);
  const runtime = read.string(body, 'Runtime');
  if (runtime !== undefined) checkRuntime(runtime);
  const environment = environmentOf(body);
  if ((read.strings(body, 'Layers') ?? []).length > 0) {
    throw invalidParameter(
      'the local cloud does not run Lambda layers: bundle what the layer holds in the package',
    );
  }
  if (Array.isArray(body.FileSystemConfigs) && body.FileSystemConfigs.length > 0) {
    throw invalidParameter('the local cloud does not mount EFS file systems (FileSystemConfigs)');
  }
  const settings = { role, handler, runtime, description, timeoutSeconds, memorySizeMb, environment };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as FunctionSettings;
}

/** Where a package comes from: bytes uploaded with the request, or an S3 object. */
export type CodeSource = { zip: Uint8Array } | { s3: S3CodeLocation };

/** Reads `ZipFile` or `S3Bucket`/`S3Key`/`S3ObjectVersion` (CreateFunction's `Code`, UpdateFunctionCode's body). */
export function codeSource(code: Record<string, unknown>, operation: string): CodeSource {
  if (read.string(code, 'ImageUri') !== undefined) {
    throw invalidParameter("Please don't provide ImageUri when updating a function with packageType Zip.");
  }
  const zipFile = read.string(code, 'ZipFile');
  const bucket = read.string(code, 'S3Bucket');
  const key = read.string(code, 'S3Key');
  const version = read.string(code, 'S3ObjectVersion');
  if (zipFile !== undefined) {
    if (bucket !== undefined || key !== undefined || version !== undefined) {
      throw invalidParameter('Please do not provide other FunctionCode parameters when providing a ZipFile.');
    }
    const zip = Buffer.from(zipFile, 'base64');
    if (zip.byteLength > ZIP_LIMITS.zippedBytes) {
      // What AWS measures is the request: 50 MB of zip, base64-encoded, and the rest.
      throw new LambdaApiError(
        413,
        'RequestEntityTooLargeException',
        `Request must be smaller than 70167211 bytes for the ${operation} operation`,
      );
    }
    return { zip };
  }
  if (bucket !== undefined && key !== undefined) return { s3: { bucket, key, version } };
  throw invalidParameter('Please provide a source for function code.');
}

/** A checked CreateFunction request: the function (its code directory still to come) and its code. */
export interface CreateFunctionInput {
  def: Omit<LocalFunctionDefinition, 'codeDir'>;
  code: CodeSource;
}

/** Reads and checks a CreateFunction body; defaults as on AWS (3 s, 128 MB). */
export function createFunctionInput(body: Record<string, unknown>): CreateFunctionInput {
  const rawName = read.string(body, 'FunctionName');
  if (rawName === undefined) throw validationError(null, 'functionName', 'Member must not be null');
  if (!matches(NAME_PATTERN, rawName)) {
    throw validationError(
      rawName,
      'functionName',
      `Member must satisfy regular expression pattern: ${NAME_PATTERN}`,
    );
  }
  const { name } = parseFunctionName(rawName);
  if (name.length > 64) {
    throw validationError(name, 'functionName', 'Member must have length less than or equal to 64');
  }
  if (read.string(body, 'Role') === undefined) throw validationError(null, 'role', 'Member must not be null');
  const settings = functionSettings(body);
  const code = read.object(body, 'Code');
  if (!code) throw validationError(null, 'code', 'Member must not be null');
  if ((read.string(body, 'PackageType') ?? 'Zip') !== 'Zip') {
    throw invalidParameter(
      'the local cloud runs .zip packages only, not container images (PackageType Image)',
    );
  }
  if (!settings.runtime || !settings.handler) {
    throw invalidParameter(
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  }
  return {
    def: {
      name,
      handler: settings.handler,
      runtime: settings.runtime,
      role: settings.role,
      description: settings.description,
      timeoutSeconds: settings.timeoutSeconds ?? 3,
      memorySizeMb: settings.memorySizeMb ?? 128,
      environment: settings.environment ?? {},
    },
    code: codeSource(code, 'CreateFunction'),
  };
}
