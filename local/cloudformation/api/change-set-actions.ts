/** CloudFormation API change set actions: Create, Describe, Execute, Delete, List. */
import type { QueryAction } from '../../gateway/query-protocol.ts';
import { StackRequestError } from '../request-errors.ts';
import type { ApiContext } from './context.ts';
import { readStackRequest } from './inputs.ts';
import { changeSetShape, changeSetSummaryShape } from './shapes.ts';

const CHANGE_SET_TYPES = new Set(['CREATE', 'UPDATE']);

/** The change set actions, by name. */
export function changeSetActions(ctx: ApiContext): Record<string, QueryAction> {
  const { deployer } = ctx;
  return {
    async CreateChangeSet(p) {
      const stackName = p.required('StackName');
      const changeSetName = p.required('ChangeSetName');
      const type = p.string('ChangeSetType') ?? 'UPDATE';
      if (type === 'IMPORT')
        throw new StackRequestError('the local cloud does not support ChangeSetType IMPORT');
      if (!CHANGE_SET_TYPES.has(type)) {
        throw new StackRequestError(
          `1 validation error detected: Value '${type}' at 'changeSetType' failed to satisfy constraint: Member must satisfy enum value set: [UPDATE, IMPORT, CREATE]`,
        );
      }
      const existing = deployer.stacks.findLive(stackName);
      const previous = type === 'UPDATE' && existing?.status !== 'REVIEW_IN_PROGRESS' ? existing : undefined;
      const request = await readStackRequest(p, ctx.inputs, previous);
      const { stack, changeSet } = await deployer.requests.createChangeSet(
        {
          ...request,
          stackName: existing?.stackName ?? stackName,
          changeSetName,
          changeSetType: type as 'CREATE' | 'UPDATE',
          description: p.string('Description'),
        },
        { token: p.string('ClientToken') },
      );
      return { Id: changeSet.changeSetId, StackId: stack.stackId };
    },

    DescribeChangeSet(p) {
      const { stack, changeSet } = deployer.requests.findChangeSet(
        p.required('ChangeSetName'),
        p.string('StackName'),
      );
      return changeSetShape(stack, changeSet);
    },

    async ExecuteChangeSet(p) {
      const record = await deployer.requests.executeChangeSet(
        p.required('ChangeSetName'),
        p.string('StackName'),
        {
          token: p.string('ClientRequestToken'),
          disableRollback: p.boolean('DisableRollback'),
        },
      );
      await deployer.requests.settled(record, ctx.settleMs);
      return {};
    },

    async DeleteChangeSet(p) {
      await deployer.requests.deleteChangeSet(p.required('ChangeSetName'), p.string('StackName'));
      return {};
    },

    ListChangeSets(p) {
      const name = p.required('StackName');
      const stack = deployer.stacks.findLive(name);
      if (!stack) throw new StackRequestError(`Stack [${name}] does not exist`);
      return { Summaries: stack.changeSets.map((cs) => changeSetSummaryShape(stack, cs)) };
    },
  };
}
