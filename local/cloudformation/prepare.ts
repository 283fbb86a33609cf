/**
 * Turns a stack request (a template, parameter inputs, settings) into the target a deploy
 * applies, refusing what CloudFormation refuses before it starts — with its wording: template
 * format errors, unrecognised resource types, missing or unknown parameters, values outside
 * `AllowedValues`/`AllowedPattern`, unacknowledged IAM capabilities. Pure.
 */
import { type ProviderLookup, providerFor } from './providers/index.ts';
import { InsufficientCapabilitiesError, StackRequestError } from './request-errors.ts';
import { defaultSettings, type StackRecord, type StackSettings, type StackTarget } from './state.ts';
import { type CfnParameter, type CfnTemplate, KNOWN_SECTIONS } from './template.ts';

/** One parameter as a request gives it. */
export interface ParameterInput {
  key: string;
  value?: string;
  /** Keep the value the stack has now. */
  usePreviousValue?: boolean;
}

/** A template to deploy and how. */
export interface StackRequest {
  stackName: string;
  template: CfnTemplate;
  /** The template text as submitted (JSON of `template` when absent). */
  templateBody?: string;
  parameters?: ParameterInput[];
  /** Values read from SSM for `AWS::SSM::Parameter::Value<…>` parameters, by parameter name. */
  resolvedParameters?: Record<string, string>;
  settings?: Partial<StackSettings>;
  /**
   * Refuse as the CloudFormation API does: unrecognised resource types, unacknowledged
   * capabilities. The workshop's own deploys skip these: the local cloud's planner words an
   * unsupported type more helpfully, and CDK apps need no acknowledgement there.
   */
  apiChecks?: boolean;
  assemblyDir?: string;
  assets?: Record<string, string>;
}

const formatError = (detail: string) => new StackRequestError(`Template format error: ${detail}`);

/** Checks the template's shape (`ValidateTemplate`'s first checks). */
export function checkTemplateFormat(template: CfnTemplate): void {
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    throw formatError('unsupported structure.');
  }
  const unknown = Object.keys(template).filter((k) => !KNOWN_SECTIONS.has(k) && k !== 'Transform');
  if (unknown.length > 0)
    throw formatError(`Invalid template property or properties [${unknown.join(', ')}]`);
  const resources = template.Resources;
  if (typeof resources !== 'object' || resources === null || Object.keys(resources).length === 0) {
    throw formatError('At least one Resources member must be defined.');
  }
  for (const [id, resource] of Object.entries(resources)) {
    if (typeof resource?.Type !== 'string') {
      throw formatError(`[/Resources/${id}] Every Resources object must contain a Type member.`);
    }
  }
}

/** Refuses resource types the local cloud has no provider for, all at once, as CloudFormation words it. */
export function checkResourceTypes(template: CfnTemplate, providerOf: ProviderLookup = providerFor): void {
  const unrecognized = new Set(
    Object.values(template.Resources ?? {})
      .map((r) => r.Type)
      .filter((type) => !providerOf(type)),
  );
  if (unrecognized.size > 0)
    throw formatError(`Unrecognized resource types: [${[...unrecognized].join(', ')}]`);
}

const IAM_NAMES: Readonly<Record<string, string | undefined>> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::Policy': undefined,
  'AWS::IAM::AccessKey': undefined,
  'AWS::IAM::UserToGroupAddition': undefined,
};

/** The capability a template needs (IAM resources; named ones need `CAPABILITY_NAMED_IAM`), and why. */
export function requiredCapabilities(template: CfnTemplate): { capabilities: string[]; reason?: string } {
  const iam = Object.values(template.Resources ?? {}).filter((r) => Object.hasOwn(IAM_NAMES, r.Type));
  if (iam.length === 0) return { capabilities: [] };
  const named = iam.some((r) => {
    const nameKey = IAM_NAMES[r.Type];
    return nameKey !== undefined && r.Properties?.[nameKey] !== undefined;
  });
  const types = [...new Set(iam.map((r) => r.Type))];
  return {
    capabilities: [named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM'],
    reason: `The following resource(s) require capabilities: [${types.join(', ')}]`,
  };
}

function checkCapabilities(template: CfnTemplate, acknowledged: readonly string[]): void {
  const [needed] = requiredCapabilities(template).capabilities;
  if (!needed || acknowledged.includes('CAPABILITY_NAMED_IAM')) return;
  if (needed === 'CAPABILITY_IAM' && acknowledged.includes('CAPABILITY_IAM')) return;
  throw new InsufficientCapabilitiesError(needed);
}

const defaultText = (parameter: CfnParameter): string | undefined =>
  parameter.Default === undefined
    ? undefined
    : Array.isArray(parameter.Default)
      ? parameter.Default.map(String).join(',')
      : String(parameter.Default);

/**
 * Parameter values for `template`: given, previous (`UsePreviousValue`) or default, checked
 * against `AllowedValues` and `AllowedPattern`.
 */
export function resolveParameterInputs(
  template: CfnTemplate,
  inputs: readonly ParameterInput[],
  previous?: Readonly<Record<string, string>>,
): Record<string, string> {
  const declared = template.Parameters ?? {};
  const unknown = inputs.map((p) => p.key).filter((key) => !Object.hasOwn(declared, key));
  if (unknown.length > 0)
    throw new StackRequestError(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, parameter] of Object.entries(declared)) {
    const input = inputs.find((p) => p.key === name);
    let value: string | undefined;
    if (input?.usePreviousValue) {
      value = previous?.[name];
      if (value === undefined) {
        throw new StackRequestError(
          `Invalid input for parameter key ${name}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
        );
      }
    } else {
      value = input?.value ?? defaultText(parameter);
    }
    if (value === undefined) {
      missing.push(name);
      continue;
    }
    checkConstraints(name, parameter, value);
    values[name] = value;
  }
  if (missing.length > 0) throw new StackRequestError(`Parameters: [${missing.join(', ')}] must have values`);
  return values;
}

function checkConstraints(name: string, parameter: CfnParameter, value: string): void {
  const isList = parameter.Type === 'CommaDelimitedList' || parameter.Type.startsWith('List<');
  const items = isList ? value.split(',') : [value];
  if (parameter.AllowedValues && !items.every((v) => parameter.AllowedValues?.map(String).includes(v))) {
    throw new StackRequestError(`Parameter '${name}' must be one of AllowedValues`);
  }
  if (
    parameter.AllowedPattern !== undefined &&
    !items.every((v) => fullMatch(parameter.AllowedPattern ?? '', v))
  ) {
    throw new StackRequestError(
      parameter.ConstraintDescription
        ? `Parameter ${name} failed to satisfy constraint: ${parameter.ConstraintDescription}`
        : `Parameter '${name}' must match pattern ${parameter.AllowedPattern}`,
    );
  }
}

const fullMatch = (pattern: string, value: string): boolean => {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return true;
  }
};

/**
 * The target of a request: checks the template, the parameters and (when asked) the
 * capabilities; settings not given are kept from `previous` (tags, notifications…) or defaulted.
 */
export function prepareTarget(
  request: StackRequest,
  previous?: StackRecord,
  providerOf: ProviderLookup = providerFor,
): StackTarget {
  const { template } = request;
  checkTemplateFormat(template);
  if (request.apiChecks) checkResourceTypes(template, providerOf);
  const parameters = resolveParameterInputs(template, request.parameters ?? [], previous?.target.parameters);
  const base = previous?.target.settings ?? defaultSettings();
  const given = request.settings ?? {};
  const settings: StackSettings = {
    ...base,
    ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
    // Capabilities and rollback are per request, never remembered.
    capabilities: given.capabilities ?? [],
    disableRollback: given.disableRollback ?? false,
  };
  if (request.apiChecks) checkCapabilities(template, settings.capabilities);
  return {
    template,
    templateBody: request.templateBody ?? JSON.stringify(template),
    parameters,
    resolvedParameters: request.resolvedParameters ?? {},
    settings,
    assemblyDir: request.assemblyDir ?? previous?.assemblyDir ?? process.cwd(),
    assets: request.assets ?? previous?.assets ?? {},
  };
}
