import { randomBytes } from 'node:crypto';
import type { FunctionDefinition } from '../../types.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../types.ts';

/** A log stream name as Lambda makes one: `2026/11/22/[$LATEST]<32 hex digits>`. */
export function logStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/**
 * A function's environment, built from scratch: nothing of the parent's environment leaks in
 * but PATH and HOME (it may hold an attendee's real AWS credentials or profile). The template's
 * variables come first and Lambda's reserved ones override them, as on AWS, where a template
 * cannot set them; the SDK is pointed at the local cloud with dummy credentials.
 */
export function lambdaEnvironment(
  def: FunctionDefinition,
  opts: { endpoint: string; logStreamName: string; parentEnv?: NodeJS.ProcessEnv },
): Record<string, string> {
  const parent = opts.parentEnv ?? process.env;
  const env: Record<string, string> = {
    PATH: parent.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    ...(parent.HOME && { HOME: parent.HOME }),
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    // The SDK warns on Node.js 20 that it will need 22; the function's runtime on AWS is newer,
    // so the warning is about this machine, not the attendee's code.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...def.environment,
  };
  return {
    ...env,
    _HANDLER: def.handler,
    AWS_EXECUTION_ENV: `AWS_Lambda_${def.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: def.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(def.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${def.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: opts.logStreamName,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    LAMBDA_TASK_ROOT: def.codeDir,
    AWS_ENDPOINT_URL: opts.endpoint,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
}
