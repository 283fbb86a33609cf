/**
 * CloudFormation API actions that read: stacks, events, resources, templates, exports. Deleted
 * stacks are found by stack id (not by name) and listed by ListStacks, as CloudFormation does.
 */
import { invalidMember, type QueryAction, type QueryReader } from '../../gateway/query-protocol.ts';
import { checkResourceTypes, checkTemplateFormat, requiredCapabilities } from '../prepare.ts';
import { StackNotFoundError, StackRequestError } from '../request-errors.ts';
import type { StackRecord } from '../state.ts';
import { STACK_STATUSES } from '../status.ts';
import type { CfnTemplate } from '../template.ts';
import type { ApiContext } from './context.ts';
import { readTemplate } from './inputs.ts';
import { page } from './paging.ts';
import {
  parameterDeclarations,
  stackEventShape,
  stackResourceDetailShape,
  stackResourceShape,
  stackResourceSummaryShape,
  stackShape,
  stackSummaryShape,
} from './shapes.ts';

/** The read actions, by name. */
export function readActions(ctx: ApiContext): Record<string, QueryAction> {
  const { stacks } = ctx.deployer;
  /** A live stack by name or id, or a deleted one by id. */
  const stackOf = (nameOrId: string): StackRecord => {
    const record = stacks.find(nameOrId);
    if (!record) throw new StackNotFoundError(nameOrId);
    return record;
  };

  /** The template of `StackName` (or of its change set `ChangeSetName`), or of `TemplateBody`/`TemplateURL`. */
  const templateOf = async (p: QueryReader): Promise<{ template: CfnTemplate; body: string }> => {
    const source = await readTemplate(p, ctx.inputs, { required: false });
    if (source) return source;
    const name = p.string('StackName');
    if (name === undefined) {
      throw new StackRequestError('Either Template URL or Template Body or StackName must be specified.');
    }
    const changeSetName = p.string('ChangeSetName');
    const target = changeSetName
      ? ctx.deployer.requests.findChangeSet(changeSetName, name).changeSet.target
      : stackOf(name).target;
    return { template: target.template, body: target.templateBody };
  };

  return {
    DescribeStacks(p) {
      const name = p.string('StackName');
      if (name !== undefined) return { Stacks: [stackShape(stackOf(name))] };
      const { items, nextToken } = page(stacks.live(), p.string('NextToken'));
      return { Stacks: items.map(stackShape), NextToken: nextToken };
    },

    ListStacks(p) {
      const filter = p.strings('StackStatusFilter');
      for (const status of filter) {
        if (!STACK_STATUSES.has(status)) {
          throw invalidMember(
            'StackStatusFilter',
            status,
            `must satisfy enum value set: [${[...STACK_STATUSES].join(', ')}]`,
          );
        }
      }
      const all = [...stacks.live(), ...stacks.deleted()]
        .filter((s) => filter.length === 0 || filter.includes(s.status))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const { items, nextToken } = page(all, p.string('NextToken'));
      return { StackSummaries: items.map(stackSummaryShape), NextToken: nextToken };
    },

    DescribeStackEvents(p) {
      const name = p.required('StackName');
      const record = stacks.find(name);
      if (!record) throw new StackRequestError(`Stack [${name}] does not exist`);
      const newestFirst = [...record.events].reverse();
      const { items, nextToken } = page(newestFirst, p.string('NextToken'));
      return { StackEvents: items.map((e) => stackEventShape(record, e)), NextToken: nextToken };
    },

    DescribeStackResource(p) {
      const record = stackOf(p.required('StackName'));
      const logicalId = p.required('LogicalResourceId');
      const resource = record.resources[logicalId];
      if (!resource) {
        throw new StackRequestError(`Resource ${logicalId} does not exist for stack ${record.stackName}`);
      }
      return { StackResourceDetail: stackResourceDetailShape(record, logicalId, resource) };
    },

    DescribeStackResources(p) {
      const name = p.string('StackName');
      const physicalId = p.string('PhysicalResourceId');
      let record: StackRecord | undefined;
      if (name !== undefined) record = stackOf(name);
      else if (physicalId !== undefined) {
        record = stacks
          .live()
          .find((s) => Object.values(s.resources).some((r) => r.physicalId === physicalId));
        if (!record) throw new StackRequestError(`Stack for ${physicalId} does not exist`);
      } else {
        throw new StackRequestError('Either StackName or PhysicalResourceId must be specified.');
      }
      const found = record;
      const logicalId = p.string('LogicalResourceId');
      // A physical id selects the stack that holds it: all of that stack's resources are described.
      const resources = Object.entries(found.resources).filter(
        ([id]) => logicalId === undefined || id === logicalId,
      );
      return { StackResources: resources.map(([id, r]) => stackResourceShape(found, id, r)) };
    },

    ListStackResources(p) {
      const record = stackOf(p.required('StackName'));
      const { items, nextToken } = page(Object.entries(record.resources), p.string('NextToken'));
      return {
        StackResourceSummaries: items.map(([id, r]) => stackResourceSummaryShape(record, id, r)),
        NextToken: nextToken,
      };
    },

    GetTemplate(p) {
      const name = p.string('StackName');
      const changeSetName = p.string('ChangeSetName');
      if (name === undefined && changeSetName === undefined) {
        throw new StackRequestError('Either StackName or ChangeSetName must be specified.');
      }
      const target = changeSetName
        ? ctx.deployer.requests.findChangeSet(changeSetName, name).changeSet.target
        : stackOf(name ?? '').target;
      return { TemplateBody: target.templateBody, StagesAvailable: ['Original', 'Processed'] };
    },

    async GetTemplateSummary(p) {
      const { template } = await templateOf(p);
      checkTemplateFormat(template);
      const { capabilities, reason } = requiredCapabilities(template);
      return {
        Parameters: parameterDeclarations(template.Parameters, true),
        Description: template.Description,
        Capabilities: capabilities.length > 0 ? capabilities : undefined,
        CapabilitiesReason: reason,
        ResourceTypes: [...new Set(Object.values(template.Resources ?? {}).map((r) => r.Type))],
        Version: template.AWSTemplateFormatVersion,
        Metadata: template.Metadata === undefined ? undefined : JSON.stringify(template.Metadata),
        DeclaredTransforms: [],
      };
    },

    async ValidateTemplate(p) {
      const source = await readTemplate(p, ctx.inputs, { required: true });
      if (!source) throw new StackRequestError('Either Template URL or Template Body must be specified.');
      const { template } = source;
      checkTemplateFormat(template);
      checkResourceTypes(template);
      const { capabilities, reason } = requiredCapabilities(template);
      return {
        Parameters: parameterDeclarations(template.Parameters, false),
        Description: template.Description,
        Capabilities: capabilities.length > 0 ? capabilities : undefined,
        CapabilitiesReason: reason,
        DeclaredTransforms: [],
      };
    },

    ListExports(p) {
      const { items, nextToken } = page(stacks.exports(), p.string('NextToken'));
      return {
        Exports: items.map((e) => ({ ExportingStackId: e.stack.stackId, Name: e.name, Value: e.value })),
        NextToken: nextToken,
      };
    },

    ListImports(p) {
      const name = p.required('ExportName');
      const exporter = stacks.exporterOf(name);
      const importers = exporter ? stacks.importersOf(exporter, name) : [];
      if (importers.length === 0)
        throw new StackRequestError(`Export '${name}' is not imported by any stack.`);
      return { Imports: importers.map((s) => s.stackName) };
    },
  };
}
