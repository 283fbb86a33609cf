/** IAM's ARNs and unique ids, and the rules its names and paths follow. */
import { createHash } from 'node:crypto';
import { LOCAL_ACCOUNT } from '../types.ts';
import { IamError } from './errors.ts';

/**
 * An IAM-style unique id (`AROA` + 17 characters), stable for the same ARN. It is the hash the
 * deployer's recorded IAM resources used, so a role keeps its `RoleId` when they become real.
 */
export const iamId = (prefix: 'AROA' | 'ANPA', arn: string): string =>
  `${prefix}${createHash('sha256').update(arn).digest('hex').slice(0, 17).toUpperCase()}`;

export const roleArn = (path: string, name: string): string =>
  `arn:aws:iam::${LOCAL_ACCOUNT}:role${path}${name}`;

export const policyArn = (path: string, name: string): string =>
  `arn:aws:iam::${LOCAL_ACCOUNT}:policy${path}${name}`;

/** The ARN of an AWS managed policy (`arn:aws:iam::aws:policy/service-role/…`). */
export const awsPolicyArn = (path: string, name: string): string => `arn:aws:iam::aws:policy${path}${name}`;

/** AWS's wording of a constraint violation (`ValidationError`). */
export const invalid = (member: string, value: unknown, constraint: string): IamError =>
  new IamError(
    'ValidationError',
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member ${constraint}`,
  );

const NAME_PATTERN = /^[\w+=,.@-]+$/;

/** Checks a role or policy name: 1 to `max` characters of `[\w+=,.@-]`. */
export function checkName(member: string, name: string, max: number): void {
  if (name.length < 1) throw invalid(member, name, 'must have length greater than or equal to 1');
  if (name.length > max) throw invalid(member, name, `must have length less than or equal to ${max}`);
  if (!NAME_PATTERN.test(name))
    throw invalid(member, name, 'must satisfy regular expression pattern: [\\w+=,.@-]+');
}

/** Checks an IAM path: `/`, or `/` + printable ASCII + `/`, at most 512 characters. */
export function checkPath(member: string, path: string): void {
  if (path.length > 512) throw invalid(member, path, 'must have length less than or equal to 512');
  if (!/^(\/|\/[\x21-\x7E]+\/)$/.test(path)) {
    throw invalid(
      member,
      path,
      'must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
    );
  }
}
