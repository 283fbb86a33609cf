/**
 * Reading CloudFormation request members: the template (`TemplateBody`, `TemplateURL` on the
 * local S3, or the stack's previous one), parameters, tags, capabilities, and the stack request
 * they make together.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { missingMember, type QueryReader } from '../../gateway/query-protocol.ts';
import { parseS3ObjectUrl } from '../../s3/url.ts';
import {
  checkTemplateFormat,
  type ParameterInput,
  resolveParameterInputs,
  type StackRequest,
} from '../prepare.ts';
import { StackRequestError } from '../request-errors.ts';
import { readSsmParameters } from '../ssm-values.ts';
import type { StackRecord, StackSettings, StackTag } from '../state.ts';
import type { CfnTemplate } from '../template.ts';
import { parseTemplateText } from '../template-text.ts';

/** What the inputs are read with. */
export interface InputContext {
  /** The local cloud's S3, for `TemplateURL`. */
  s3: S3Client;
  /** The local cloud's gateway URL, for SSM parameter values. */
  endpoint: string;
}

/** A template and its text. */
export interface TemplateSource {
  template: CfnTemplate;
  body: string;
}

/** Reads an object named by a `TemplateURL` from the local S3. */
async function readTemplateUrl(url: string, s3: S3Client): Promise<string> {
  const location = parseS3ObjectUrl(url);
  if (!location) throw new StackRequestError('TemplateURL must be a supported URL.');
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    return (await object.Body?.transformToString('utf8')) ?? '';
  } catch {
    throw new StackRequestError('TemplateURL must reference a valid S3 object to which you have access.');
  }
}

/**
 * The template of a request: `TemplateBody` or `TemplateURL` (exactly one), or the stack's current
 * one with `UsePreviousTemplate`. Undefined when none is given and `required` is false.
 */
export async function readTemplate(
  params: QueryReader,
  ctx: InputContext,
  opts: { required: boolean; previous?: StackRecord },
): Promise<TemplateSource | undefined> {
  const body = params.string('TemplateBody');
  const url = params.string('TemplateURL');
  if (params.boolean('UsePreviousTemplate')) {
    if (body !== undefined || url !== undefined) {
      throw new StackRequestError(
        'Specify exactly one of TemplateBody, TemplateUrl, or UsePreviousTemplate.',
      );
    }
    if (!opts.previous)
      throw new StackRequestError('UsePreviousTemplate can only be used with an existing stack.');
    return { template: opts.previous.target.template, body: opts.previous.target.templateBody };
  }
  if (body !== undefined && url !== undefined) {
    throw new StackRequestError('Exactly one of TemplateBody or TemplateUrl must be specified.');
  }
  if (body === undefined && url === undefined) {
    if (opts.required) throw new StackRequestError('Either Template URL or Template Body must be specified.');
    return undefined;
  }
  const text = body ?? (await readTemplateUrl(url ?? '', ctx.s3));
  return { template: parseTemplateText(text), body: text };
}

/** `Parameters.member.N`: key, value, `UsePreviousValue`. */
export function readParameters(params: QueryReader): ParameterInput[] {
  return params.structs('Parameters').map((p) => {
    const key = p.string('ParameterKey');
    if (key === undefined) throw missingMember('ParameterKey');
    return { key, value: p.string('ParameterValue'), usePreviousValue: p.boolean('UsePreviousValue') };
  });
}

/** `Tags.member.N`, or undefined when not given (an update keeps the stack's tags). */
export function readTags(params: QueryReader): StackTag[] | undefined {
  if (params.values.Tags === undefined) return undefined;
  return params.structs('Tags').map((t) => ({ Key: t.required('Key'), Value: t.required('Value') }));
}

/** The settings a create, update or change set request gives. */
export function readSettings(params: QueryReader): Partial<StackSettings> {
  return {
    capabilities: params.strings('Capabilities'),
    tags: readTags(params),
    notificationArns:
      params.values.NotificationARNs === undefined ? undefined : params.strings('NotificationARNs'),
    roleArn: params.string('RoleARN'),
    disableRollback:
      params.boolean('DisableRollback') ?? (params.string('OnFailure') === 'DO_NOTHING' ? true : undefined),
    terminationProtection: params.boolean('EnableTerminationProtection'),
    timeoutInMinutes: params.integer('TimeoutInMinutes'),
  };
}

/**
 * The stack request of a create, update or change set: template, parameters (SSM-typed ones read
 * from the local SSM), settings, checked as the CloudFormation API checks them.
 */
export async function readStackRequest(
  params: QueryReader,
  ctx: InputContext,
  previous?: StackRecord,
): Promise<StackRequest> {
  const stackName = params.required('StackName');
  const source = await readTemplate(params, ctx, { required: true, previous });
  if (!source) throw new StackRequestError('Either Template URL or Template Body must be specified.');
  const parameters = readParameters(params);
  checkTemplateFormat(source.template);
  const values = resolveParameterInputs(source.template, parameters, previous?.target.parameters);
  return {
    stackName: previous?.stackName ?? stackName,
    template: source.template,
    templateBody: source.body,
    parameters,
    resolvedParameters: await readSsmParameters(ctx.endpoint, source.template, values),
    settings: readSettings(params),
    apiChecks: true,
  };
}
