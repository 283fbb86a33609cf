/** What the CloudFormation API's actions work with. */
import type { LocalDeployer } from '../deployer.ts';
import type { InputContext } from './inputs.ts';

export interface ApiContext {
  /** The deployer whose stacks the API serves (the same one the workshop's own deploys use). */
  deployer: LocalDeployer;
  inputs: InputContext;
  /** How long a create, update or delete may run before the call answers (it goes on after). */
  settleMs: number;
}
