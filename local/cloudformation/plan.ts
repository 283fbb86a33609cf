/**
 * Checks a whole template before anything is created and works out what to deploy: parameter
 * values, conditions, the resources to deploy in dependency order. Pure: no service is called.
 * Every unsupported resource type, unsupported intrinsic, dangling reference, missing import or
 * cycle is found here, so a deploy that cannot finish does not start.
 */
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../types.ts';
import {
  DependencyCycleError,
  MissingExportError,
  TemplateError,
  type TemplateLocation,
  UnsupportedPropertyError,
  UnsupportedResourceError,
} from './errors.ts';
import { evaluateCondition, findReferences, type IntrinsicContext, NO_VALUE, resolve } from './intrinsics.ts';
import { shortHash } from './names.ts';
import { dependencyOrder } from './order.ts';
import { isKnownCustomResource, type ProviderLookup, providerFor } from './providers/index.ts';
import type { ValidateContext } from './providers/types.ts';
import { type CfnTemplate, dependsOnOf, KNOWN_SECTIONS } from './template.ts';

/** The value a template gets for CDK's `BootstrapVersion` SSM parameter (no SSM locally). */
export const LOCAL_BOOTSTRAP_VERSION = '30';

/**
 * Pseudo parameters of a stack in the local cloud (`AWS::NoValue` is handled by the resolver).
 * Without a `stackId`, a stable one is made up from the name (for plans of stacks not created yet).
 */
export function pseudoParameters(
  stackName: string,
  stackId?: string,
  notificationArns: readonly string[] = [],
): Record<string, unknown> {
  return {
    'AWS::Region': LOCAL_REGION,
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': stackName,
    'AWS::StackId':
      stackId ??
      `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stack/${stackName}/${shortHash(stackName, 32)}`,
    'AWS::NotificationARNs': [...notificationArns],
  };
}

export interface PlanInput {
  stackName: string;
  /** The stack's id, when it exists (`AWS::StackId`). */
  stackId?: string;
  template: CfnTemplate;
  /** Parameter values that override the template's defaults. */
  parameters?: Record<string, string>;
  /** Values read from SSM for `AWS::SSM::Parameter::Value<…>` parameters, by parameter name. */
  resolvedParameters?: Record<string, string>;
  /** Whether an export of this name exists (or will, from a stack deployed earlier in the same run). */
  exportAvailable: (name: string) => boolean;
  assemblyDir: string;
  assets: Record<string, string>;
  /** The resource providers (the built-in ones by default). */
  providerOf?: ProviderLookup;
}

/** What to deploy, once the template has passed every check. */
export interface StackPlan {
  stackName: string;
  parameters: Record<string, unknown>;
  conditions: Record<string, boolean>;
  /** Logical ids to deploy, each after what it depends on (resources whose condition is false left out). */
  order: string[];
  /** Logical id → the logical ids it depends on (references and DependsOn). */
  dependencies: Record<string, string[]>;
  /** Lambda functions that only back CDK custom resources: recorded, not run. */
  customResourceProviders: ReadonlySet<string>;
  /** Export names the outputs declare, where they can be known before deploying. */
  exportNames: string[];
}

/**
 * Parameter values: overrides, then defaults; SSM-typed parameters take the value read from SSM
 * (`resolved`), else CDK's bootstrap version gets a fixed value.
 */
export function parameterValues(
  template: CfnTemplate,
  overrides: Record<string, string> = {},
  stackName?: string,
  resolved: Record<string, string> = {},
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    const at = { stack: stackName, logicalId: name };
    const fromSsm = resolved[name];
    if (fromSsm !== undefined) {
      values[name] = fromSsm;
      continue;
    }
    const given = overrides[name];
    const def = parameter.Default;
    if (parameter.Type.startsWith('AWS::SSM::Parameter::Value')) {
      const ssmName = given ?? def;
      if (typeof ssmName === 'string' && ssmName.startsWith('/cdk-bootstrap/')) {
        values[name] = LOCAL_BOOTSTRAP_VERSION;
        continue;
      }
      throw new TemplateError(
        `parameter ${name} reads SSM parameter ${String(ssmName)}, which the local cloud does not have; pass a value for it`,
        at,
      );
    }
    const value = given ?? def;
    if (value === undefined)
      throw new TemplateError(`parameter ${name} has no default; pass a value for it`, at);
    values[name] =
      parameter.Type === 'CommaDelimitedList' || parameter.Type.startsWith('List<')
        ? String(value).split(',')
        : String(value);
  }
  return values;
}

/** Evaluates every named condition; conditions may use parameters, pseudo parameters and each other. */
export function evaluateConditions(
  template: CfnTemplate,
  stackName: string,
  parameters: Record<string, unknown>,
  pseudo: Record<string, unknown> = pseudoParameters(stackName),
): Record<string, boolean> {
  const definitions = template.Conditions ?? {};
  const results: Record<string, boolean> = {};
  const evaluating = new Set<string>();
  const ctx: IntrinsicContext = {
    ref: (name, at) => {
      if (name in pseudo) return pseudo[name];
      if (name in parameters) return parameters[name];
      throw new TemplateError(`a condition can only refer to parameters, not to ${name}`, at);
    },
    getAtt: (logicalId, attribute, at) => {
      throw new TemplateError(`a condition cannot use Fn::GetAtt ${logicalId}.${attribute}`, at);
    },
    importValue: (name, at) => {
      throw new TemplateError(`a condition cannot use Fn::ImportValue ${name}`, at);
    },
    condition: (name, at) => condition(name, at),
    mappings: template.Mappings,
  };
  const condition = (name: string, at: TemplateLocation): boolean => {
    if (name in results) return results[name] === true;
    if (!(name in definitions)) throw new TemplateError(`condition ${name} is not defined in Conditions`, at);
    if (evaluating.has(name)) throw new DependencyCycleError([...evaluating, name], 'conditions');
    evaluating.add(name);
    const value = evaluateCondition(definitions[name], ctx, {
      stack: stackName,
      logicalId: name,
      path: 'Conditions',
    });
    evaluating.delete(name);
    results[name] = value;
    return value;
  };
  for (const name of Object.keys(definitions)) condition(name, { stack: stackName, logicalId: name });
  return results;
}

/** Resolves a value that may only use parameters, pseudo parameters and conditions; undefined if it needs more. */
function resolveStatically(
  value: unknown,
  pseudo: Record<string, unknown>,
  parameters: Record<string, unknown>,
  conditions: Record<string, boolean>,
  template: CfnTemplate,
): unknown {
  const unknown = new Error('not static');
  try {
    return resolve(value, {
      ref: (name) => {
        if (name in pseudo) return pseudo[name];
        if (name in parameters) return parameters[name];
        throw unknown;
      },
      getAtt: () => {
        throw unknown;
      },
      importValue: () => {
        throw unknown;
      },
      condition: (name) => conditions[name] === true,
      mappings: template.Mappings,
    });
  } catch (err) {
    if (err === unknown) return undefined;
    throw err;
  }
}

/**
 * Validates `input.template` completely and returns the deployment plan.
 * @throws UnsupportedResourceError, UnsupportedIntrinsicError, UnsupportedPropertyError,
 *   TemplateError, MissingExportError or DependencyCycleError, naming the stack and logical id
 */
export function planStack(input: PlanInput): StackPlan {
  const { stackName, template } = input;
  const providerOf = input.providerOf ?? providerFor;
  const stackAt = { stack: stackName };
  for (const section of Object.keys(template)) {
    if (section === 'Transform') {
      throw new UnsupportedPropertyError(
        `template transforms (${JSON.stringify(template.Transform)})`,
        stackAt,
      );
    }
    if (!KNOWN_SECTIONS.has(section)) throw new TemplateError(`unknown template section ${section}`, stackAt);
  }
  const resources = template.Resources ?? {};
  const ids = Object.keys(resources);
  for (const id of ids) {
    const type = resources[id]?.Type;
    if (typeof type !== 'string')
      throw new TemplateError('resource has no Type', { stack: stackName, logicalId: id });
    if (!providerOf(type)) throw new UnsupportedResourceError(type, { stack: stackName, logicalId: id });
  }

  const parameters = parameterValues(template, input.parameters, stackName, input.resolvedParameters);
  const pseudo = pseudoParameters(stackName, input.stackId);
  const conditions = evaluateConditions(template, stackName, parameters, pseudo);
  const active = ids.filter((id) => {
    const condition = resources[id]?.Condition;
    if (condition === undefined) return true;
    if (!(condition in conditions)) {
      throw new TemplateError(`condition ${condition} is not defined in Conditions`, {
        stack: stackName,
        logicalId: id,
      });
    }
    return conditions[condition];
  });
  const isResource = (name: string) => Object.hasOwn(resources, name);

  const checkReferences = (value: unknown, at: TemplateLocation): Set<string> => {
    const refs = findReferences(value, at);
    const dependsOn = new Set<string>();
    for (const ref of refs.refs) {
      if (ref.name === 'AWS::NoValue' || ref.name in pseudo || ref.name in parameters) continue;
      if (!isResource(ref.name)) {
        throw new TemplateError(
          `Ref to ${ref.name}, which is not a resource, parameter or pseudo parameter`,
          ref.at,
        );
      }
      dependsOn.add(ref.name);
    }
    for (const getAtt of refs.getAtts) {
      const target = resources[getAtt.logicalId];
      if (!target)
        throw new TemplateError(`Fn::GetAtt of ${getAtt.logicalId}, which is not a resource`, getAtt.at);
      const provider = providerOf(target.Type);
      if (getAtt.attribute !== undefined && provider && !provider.attributes.includes(getAtt.attribute)) {
        throw new TemplateError(
          `Fn::GetAtt ${getAtt.logicalId}.${getAtt.attribute}: the local cloud does not know attribute ${getAtt.attribute} of ${target.Type}`,
          getAtt.at,
        );
      }
      dependsOn.add(getAtt.logicalId);
    }
    for (const condition of refs.conditions) {
      if (!(condition.name in conditions)) {
        throw new TemplateError(`condition ${condition.name} is not defined in Conditions`, condition.at);
      }
    }
    for (const imported of refs.imports) {
      const name = resolveStatically(imported.name, pseudo, parameters, conditions, template);
      if (typeof name === 'string' && !input.exportAvailable(name))
        throw new MissingExportError(name, imported.at);
    }
    return dependsOn;
  };

  const dependencies: Record<string, string[]> = {};
  const customResourceProviders = new Set<string>();
  for (const id of active) {
    const resource = resources[id];
    if (!resource) continue;
    const at = { stack: stackName, logicalId: id };
    const deps = checkReferences(resource.Properties ?? {}, { ...at, path: 'Properties' });
    for (const dep of dependsOnOf(resource)) {
      if (!isResource(dep)) throw new TemplateError(`DependsOn ${dep}, which is not a resource`, at);
      deps.add(dep);
    }
    dependencies[id] = [...deps].filter((d) => active.includes(d));
    if (isKnownCustomResource(resource.Type, providerOf)) {
      const token = findReferences(resource.Properties?.ServiceToken ?? null);
      for (const target of [...token.getAtts.map((g) => g.logicalId), ...token.refs.map((r) => r.name)]) {
        if (resources[target]?.Type === 'AWS::Lambda::Function') customResourceProviders.add(target);
      }
    }
  }

  for (const id of active) {
    const resource = resources[id];
    const provider = resource && providerOf(resource.Type);
    if (!resource || !provider?.validate) continue;
    const ctx: ValidateContext = {
      stackName,
      logicalId: id,
      resource,
      assemblyDir: input.assemblyDir,
      assets: input.assets,
      customResourceProvider: customResourceProviders.has(id),
      at: { stack: stackName, logicalId: id },
    };
    provider.validate(resource.Properties ?? {}, ctx);
  }

  const exportNames: string[] = [];
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    const at = { stack: stackName, logicalId: key, path: 'Outputs' };
    if (output.Condition !== undefined && !(output.Condition in conditions)) {
      throw new TemplateError(`condition ${output.Condition} is not defined in Conditions`, at);
    }
    checkReferences(output.Value, at);
    if (output.Export) {
      checkReferences(output.Export.Name, at);
      const active = output.Condition === undefined || conditions[output.Condition];
      const name = resolveStatically(output.Export.Name, pseudo, parameters, conditions, template);
      if (active && typeof name === 'string') exportNames.push(name);
    }
  }

  let order: string[];
  try {
    order = dependencyOrder(active, (id) => dependencies[id] ?? []);
  } catch (err) {
    if (err instanceof DependencyCycleError)
      throw new DependencyCycleError(err.cycle, `resources of stack ${stackName}`);
    throw err;
  }
  return { stackName, parameters, conditions, order, dependencies, customResourceProviders, exportNames };
}

/** Drops a top-level `AWS::NoValue` (a whole property set removed by `Fn::If`). */
export const withoutNoValue = (value: unknown): Record<string, unknown> =>
  value === NO_VALUE || typeof value !== 'object' || value === null ? {} : (value as Record<string, unknown>);
