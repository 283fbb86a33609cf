import type { LocalCloud } from '../cloud.ts';
import { type StsOptions, stsHandler } from './service.ts';

export {
  type CallerIdentity,
  ROOT_IDENTITY,
  STS_DURATIONS,
  STS_XMLNS,
  type StsOptions,
  stsHandler,
} from './service.ts';

/**
 * Serves AWS STS on the local cloud (service `sts`): `GetCallerIdentity`, `AssumeRole`,
 * `GetSessionToken`, `GetAccessKeyInfo`. Pass the IAM store to describe the roles it holds.
 */
export function installSts(cloud: Pick<LocalCloud, 'register'>, opts: StsOptions = {}): void {
  cloud.register('sts', stsHandler(opts), 'wildrydes STS');
}
