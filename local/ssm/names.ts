/** Parameter Store's naming rules and ARNs. */
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../types.ts';
import { SsmError } from './errors.ts';

/** Parameter Store's documented limits. */
export const SSM_LIMITS = {
  /** A fully qualified name, with the ARN prefix, in characters. */
  nameWithArn: 1011,
  hierarchyLevels: 15,
  standardValue: 4096,
  advancedValue: 8192,
  /** Versions kept of one parameter: older ones are dropped. */
  versions: 100,
  /** Names in one `GetParameters` or `DeleteParameters`. */
  namesPerCall: 10,
  /** Results per page of `GetParametersByPath`. */
  maxResults: 10,
} as const;

const ARN_PREFIX = `arn:aws:ssm:${LOCAL_REGION}:${LOCAL_ACCOUNT}:parameter`;

/** A parameter's ARN: `…:parameter/a/b` for `/a/b`, `…:parameter/x` for `x`. */
export const parameterArn = (name: string): string =>
  `${ARN_PREFIX}${name.startsWith('/') ? '' : '/'}${name}`;

/** A name from a name or an ARN, as `GetParameter` accepts either. */
export function nameFromArn(nameOrArn: string): string {
  const match = /^arn:aws[\w-]*:ssm:[^:]*:\d{12}:parameter(\/.*)$/.exec(nameOrArn);
  if (!match?.[1]) return nameOrArn;
  // `…:parameter/x` names `x`; `…:parameter/a/b` names `/a/b`.
  const path = match[1];
  return path.indexOf('/', 1) > 0 ? path : path.slice(1);
}

const NAME_RULES =
  'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

/** Checks a parameter name as Parameter Store does. */
export function checkName(name: string): void {
  if (name.length === 0) throw new SsmError('ValidationException', NAME_RULES);
  if (parameterArn(name).length > SSM_LIMITS.nameWithArn) {
    throw new SsmError(
      'ValidationException',
      `Parameter name too long: the name with its ARN must be at most ${SSM_LIMITS.nameWithArn} characters.`,
    );
  }
  const bare = name.replace(/^\//, '');
  if (
    !/^[a-zA-Z0-9_.\-/]+$/.test(name) ||
    /^(aws|ssm)/i.test(bare) ||
    bare.split('/').some((p) => p === '')
  ) {
    throw new SsmError('ValidationException', NAME_RULES);
  }
  if (name.includes('/') && !name.startsWith('/')) {
    throw new SsmError('ValidationException', 'Parameter name must be a fully qualified name.');
  }
  if (name.split('/').length - 1 > SSM_LIMITS.hierarchyLevels) {
    throw new SsmError(
      'HierarchyLevelLimitExceededException',
      `A hierarchy can have a maximum of ${SSM_LIMITS.hierarchyLevels} levels.`,
    );
  }
}
