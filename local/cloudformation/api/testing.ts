/**
 * For the API's tests (and anyone driving the local CloudFormation API from code): serve it on a
 * cloud, and wait for a stack to settle as the CDK CLI and the `aws` CLI's waiters do.
 */
import { type CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import type { LocalCloud } from '../../cloud.ts';
import type { EventsControl, LambdaControl } from '../../types.ts';
import { LocalDeployer, type LocalDeployerOptions } from '../deployer.ts';
import { type CloudFormationServiceOptions, cloudFormationService } from './service.ts';

/** Serves the CloudFormation API on `cloud` over a new deployer using `controls` for Lambda and EventBridge. */
export function serveCloudFormation(
  cloud: Pick<LocalCloud, 'endpoint' | 'register'>,
  controls: LambdaControl & EventsControl,
  opts: CloudFormationServiceOptions & Pick<LocalDeployerOptions, 'stateFile' | 'providers'> = {},
): LocalDeployer {
  const deployer = new LocalDeployer({
    endpoint: cloud.endpoint,
    lambda: controls,
    events: controls,
    stateFile: opts.stateFile,
    providers: opts.providers,
  });
  cloud.register('cloudformation', cloudFormationService(deployer, cloud.endpoint, opts));
  return deployer;
}

/** Polls `DescribeStacks` until the stack's status is no longer `…_IN_PROGRESS`; returns it. */
export async function stackSettled(
  cfn: CloudFormationClient,
  stackName: string,
  timeoutMs = 60_000,
): Promise<Stack> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    const status = stack?.StackStatus ?? '';
    if (stack && (!status.endsWith('_IN_PROGRESS') || status === 'REVIEW_IN_PROGRESS')) return stack;
    if (Date.now() > deadline) throw new Error(`stack ${stackName} is still ${status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
