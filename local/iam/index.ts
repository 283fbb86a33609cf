import type { LocalCloud } from '../cloud.ts';
import { iamHandler } from './service.ts';
import type { IamStore } from './store.ts';

export { AWS_MANAGED_POLICIES } from './aws-managed.ts';
export { IAM_ERROR_STATUS, IamError, type IamErrorCode } from './errors.ts';
export type * from './model.ts';
export { POLICY_QUOTAS } from './policy-document.ts';
export { IAM_XMLNS, iamHandler } from './service.ts';
export { IamStore } from './store.ts';

/**
 * Serves IAM's query API on the local cloud (service `iam`, signed for us-east-1) over `store`,
 * which a CloudFormation provider may share. Recorded, not enforced: nothing checks permissions.
 */
export function installIam(cloud: Pick<LocalCloud, 'register'>, store: IamStore): void {
  cloud.register('iam', iamHandler(store), 'wildrydes IAM (recorded, not enforced)');
}
