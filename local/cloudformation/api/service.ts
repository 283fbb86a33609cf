/**
 * The CloudFormation API on the local cloud (query protocol: form-encoded POST, XML answers),
 * served from the same deployer as the workshop's own deploys: a stack deployed either way is
 * seen and updated the other way. Register it with `cloud.register('cloudformation', …)`.
 */
import { QueryError, queryService } from '../../gateway/query-protocol.ts';
import type { ServiceHandler } from '../../types.ts';
import type { LocalDeployer } from '../deployer.ts';
import { DeployError } from '../errors.ts';
import { StackRequestError } from '../request-errors.ts';
import { changeSetActions } from './change-set-actions.ts';
import type { ApiContext } from './context.ts';
import { readActions } from './read-actions.ts';
import { stackActions } from './stack-actions.ts';

/** CloudFormation's XML namespace. */
export const CLOUDFORMATION_XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/** Refusals keep their CloudFormation code; any other deployer error is a `ValidationError`, as a template CloudFormation cannot deploy is. */
export function cloudFormationError(err: unknown): QueryError | undefined {
  if (err instanceof StackRequestError) return new QueryError(err.code, err.message, err.httpStatus);
  if (err instanceof DeployError) return new QueryError('ValidationError', err.message, 400);
  return undefined;
}

/** How the service answers. */
export interface CloudFormationServiceOptions {
  /**
   * How long a create, update, delete or change set execution may run before the call answers
   * (2 s by default; 0 answers at once, as CloudFormation does). The operation goes on after;
   * short ones are done by the caller's first poll, which spares the `aws` CLI's 30-second waits.
   */
  settleMs?: number;
}

/**
 * The `cloudformation` service handler for `deployer`'s stacks. `endpoint` is the local cloud's
 * gateway URL (SSM parameter values are read through it).
 */
export function cloudFormationService(
  deployer: LocalDeployer,
  endpoint: string,
  opts: CloudFormationServiceOptions = {},
): ServiceHandler {
  const ctx: ApiContext = {
    deployer,
    inputs: { s3: deployer.clients.s3, endpoint },
    settleMs: opts.settleMs ?? 2000,
  };
  return queryService({
    xmlns: CLOUDFORMATION_XMLNS,
    actions: { ...stackActions(ctx), ...changeSetActions(ctx), ...readActions(ctx) },
    mapError: cloudFormationError,
  });
}
