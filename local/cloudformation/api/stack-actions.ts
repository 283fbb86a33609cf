/** CloudFormation API actions that change stacks: CreateStack, UpdateStack, DeleteStack, UpdateTerminationProtection. */
import type { QueryAction } from '../../gateway/query-protocol.ts';
import { StackRequestError } from '../request-errors.ts';
import type { ApiContext } from './context.ts';
import { readStackRequest } from './inputs.ts';

/** The stack-changing actions, by name. */
export function stackActions(ctx: ApiContext): Record<string, QueryAction> {
  const { deployer } = ctx;
  return {
    async CreateStack(p) {
      const request = await readStackRequest(p, ctx.inputs);
      const record = await deployer.requests.createStack(request, { token: p.string('ClientRequestToken') });
      await deployer.requests.settled(record, ctx.settleMs);
      return { StackId: record.stackId };
    },

    async UpdateStack(p) {
      const name = p.required('StackName');
      const previous = deployer.stacks.findLive(name);
      if (!previous) throw new StackRequestError(`Stack [${name}] does not exist`);
      const request = await readStackRequest(p, ctx.inputs, previous);
      const record = await deployer.requests.updateStack(request, { token: p.string('ClientRequestToken') });
      await deployer.requests.settled(record, ctx.settleMs);
      return { StackId: record.stackId };
    },

    async DeleteStack(p) {
      const record = await deployer.requests.deleteStack(p.required('StackName'), {
        token: p.string('ClientRequestToken'),
      });
      if (record) await deployer.requests.settled(record, ctx.settleMs);
      return undefined;
    },

    async UpdateTerminationProtection(p) {
      const enabled = p.boolean('EnableTerminationProtection');
      if (enabled === undefined) throw new StackRequestError('EnableTerminationProtection must be specified');
      const record = await deployer.requests.setTerminationProtection(p.required('StackName'), enabled);
      return { StackId: record.stackId };
    },
  };
}
