/**
 * Resolving a template against a deployed stack: `Ref`, `Fn::GetAtt` and `Fn::ImportValue` take
 * the values of the resources deployed so far and of other stacks' exports; outputs become the
 * strings `DescribeStacks` shows.
 */
import { MissingExportError, TemplateError, type TemplateLocation } from './errors.ts';
import { type IntrinsicContext, resolve } from './intrinsics.ts';
import { pseudoParameters, type StackPlan } from './plan.ts';
import type { ResourceRecord } from './providers/types.ts';
import type { StackOutput, StackRecord, StackTarget } from './state.ts';

/** What a resolver reads. */
export interface ResolverInput {
  record: StackRecord;
  target: StackTarget;
  plan: StackPlan;
  /** The value of another stack's export. */
  exportValue: (name: string) => string | undefined;
  /** Collects the export names the template imports. */
  imports: Set<string>;
}

/** Values for the intrinsics of `target`'s template, from the resources `record` has deployed. */
export function deployedResolver({
  record,
  target,
  plan,
  exportValue,
  imports,
}: ResolverInput): IntrinsicContext {
  const pseudo = pseudoParameters(record.stackName, record.stackId, target.settings.notificationArns);
  const deployed = (logicalId: string, at: TemplateLocation): ResourceRecord => {
    const resource = record.resources[logicalId];
    if (!resource || !plan.order.includes(logicalId)) {
      throw new TemplateError(`${logicalId} is referenced but not deployed (is its condition false?)`, at);
    }
    return resource;
  };
  return {
    ref: (name, at) => {
      if (name in pseudo) return pseudo[name];
      if (name in plan.parameters) return plan.parameters[name];
      return deployed(name, at).ref;
    },
    getAtt: (logicalId, attribute, at) => {
      const resource = deployed(logicalId, at);
      const value = resource.attributes[attribute];
      if (value === undefined) {
        throw new TemplateError(`${resource.type} ${logicalId} has no attribute ${attribute} here`, at);
      }
      return value;
    },
    importValue: (name, at) => {
      const value = exportValue(name);
      if (value === undefined) throw new MissingExportError(name, at);
      imports.add(name);
      return value;
    },
    condition: (name) => plan.conditions[name] === true,
    mappings: target.template.Mappings,
  };
}

/** Output values are strings; lists are joined with commas, as CloudFormation shows them. */
export const outputText = (value: unknown): string =>
  Array.isArray(value)
    ? value.map(String).join(',')
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** The outputs of `target` whose condition holds: values, details and exports. */
export function resolveOutputs(
  ctx: IntrinsicContext,
  stackName: string,
  target: StackTarget,
  plan: StackPlan,
): Pick<StackRecord, 'outputs' | 'outputDetails' | 'exports'> {
  const outputs: Record<string, string> = {};
  const outputDetails: StackOutput[] = [];
  const exports: Record<string, string> = {};
  for (const [key, output] of Object.entries(target.template.Outputs ?? {})) {
    if (output.Condition !== undefined && !plan.conditions[output.Condition]) continue;
    const at = { stack: stackName, logicalId: key, path: 'Outputs' };
    const value = outputText(resolve(output.Value, ctx, at));
    outputs[key] = value;
    const exportName = output.Export ? String(resolve(output.Export.Name, ctx, at)) : undefined;
    if (exportName !== undefined) exports[exportName] = value;
    const description = typeof output.Description === 'string' ? output.Description : undefined;
    outputDetails.push({ key, value, description, exportName });
  }
  return { outputs, outputDetails, exports };
}
