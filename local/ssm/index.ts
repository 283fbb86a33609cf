import type { LocalCloud } from '../cloud.ts';
import { ssmHandler } from './service.ts';
import type { SsmStore } from './store.ts';

export { SsmError, type SsmErrorCode } from './errors.ts';
export { parameterArn, SSM_LIMITS } from './names.ts';
export { ssmHandler } from './service.ts';
export {
  PARAMETER_TIERS,
  PARAMETER_TYPES,
  type Parameter,
  type ParameterTier,
  type ParameterType,
  type PutParameterInput,
  SsmStore,
} from './store.ts';

/**
 * Serves SSM Parameter Store on the local cloud (service `ssm`) over `store`, which a
 * CloudFormation provider may share (the CDK CLI reads `/cdk-bootstrap/<qualifier>/version`).
 */
export function installSsm(cloud: Pick<LocalCloud, 'register'>, store: SsmStore): void {
  cloud.register('ssm', ssmHandler(store), 'wildrydes Parameter Store');
}
