/**
 * What IAM checks in a policy document before storing it: JSON, a `Statement` of `Allow`/`Deny`
 * statements with actions, resources for permissions policies and a principal for trust policies,
 * and the size quotas. IAM counts a policy's size without its white space.
 */
import { IamError } from './errors.ts';

/** A permissions policy (inline or managed), or a role's trust policy (`AssumeRolePolicyDocument`). */
export type PolicyKind = 'permissions' | 'trust';

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);

const malformed = (message: string) => new IamError('MalformedPolicyDocument', message);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a policy document as IAM does (`MalformedPolicyDocument`) and returns its size in
 * characters without white space, for the caller's quota.
 */
export function checkPolicyDocument(text: string, kind: PolicyKind): number {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (!isObject(doc)) throw malformed('This policy contains invalid Json');
  if (doc.Version !== undefined && !VERSIONS.has(String(doc.Version))) {
    throw malformed('The policy failed legacy parsing');
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (doc.Statement === undefined || statements.length === 0) throw malformed('Syntax errors in policy.');
  for (const statement of statements) checkStatement(statement, kind);
  return JSON.stringify(doc).length;
}

function checkStatement(statement: unknown, kind: PolicyKind): void {
  if (!isObject(statement)) throw malformed('Syntax errors in policy.');
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
    throw malformed('Syntax errors in policy.');
  }
  if (statement.Action === undefined && statement.NotAction === undefined) {
    throw malformed('Policy statement must contain actions.');
  }
  const hasPrincipal = statement.Principal !== undefined || statement.NotPrincipal !== undefined;
  const hasResource = statement.Resource !== undefined || statement.NotResource !== undefined;
  if (kind === 'permissions') {
    if (hasPrincipal) throw malformed('Policy document should not specify a principal.');
    if (!hasResource) throw malformed('Policy statement must contain resources.');
  } else {
    if (hasResource) throw malformed('Has prohibited field Resource');
    if (!hasPrincipal) throw malformed('Missing required field Principal');
  }
}

/** IAM's documented default quotas on policy sizes (characters, white space not counted). */
export const POLICY_QUOTAS = {
  /** A role's trust policy (`ACLSizePerRole`). */
  trustPolicy: 2048,
  /** A managed policy (`PolicySize`). */
  managedPolicy: 6144,
  /** All inline policies of one role together. */
  roleInlinePolicies: 10240,
  /** Managed policies attached to one role. */
  attachedPerRole: 10,
  /** Versions a managed policy keeps. */
  versionsPerPolicy: 5,
  /** Tags on one role or policy. */
  tagsPerResource: 50,
} as const;
