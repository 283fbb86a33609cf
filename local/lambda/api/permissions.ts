/** A function's resource-based policy: AddPermission, RemovePermission, GetPolicy (recorded, not enforced). */
import { randomUUID } from 'node:crypto';
import { functionArn } from '../arn.ts';
import { findFunction, type LambdaApiReader, type WritableBackend } from './backend.ts';
import { resourceConflict, resourceNotFound, validationError } from './errors.ts';
import { json, jsonBody, noContent, type Route, read } from './http.ts';
import type { PolicyStatement } from './shapes.ts';

const POLICY = '/2015-03-31/functions/([^/]+)/policy';

/** A member the model requires, matching its pattern. */
function required(body: Record<string, unknown>, key: string, member: string, pattern: string): string {
  const value = read.string(body, key);
  if (value === undefined) throw validationError(null, member, 'Member must not be null');
  if (!new RegExp(`^${pattern}$`).test(value)) {
    throw validationError(value, member, `Member must satisfy regular expression pattern: ${pattern}`);
  }
  return value;
}

/** How a policy names a principal: `*`, an account (as its root), an ARN, or a service. */
function principalOf(principal: string): PolicyStatement['Principal'] {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  return { Service: principal };
}

/** The statement AddPermission adds for a request's members. */
function statementOf(body: Record<string, unknown>, resource: string): PolicyStatement {
  const sid = required(body, 'StatementId', 'statementId', '([a-zA-Z0-9-_.]+)');
  if (sid.length > 100)
    throw validationError(sid, 'statementId', 'Member must have length less than or equal to 100');
  const action = required(body, 'Action', 'action', '(lambda:[*]|lambda:[a-zA-Z]+|[*])');
  const principal = required(body, 'Principal', 'principal', '[^\\s]+');
  const equals: Record<string, string> = {};
  const sourceAccount = read.string(body, 'SourceAccount');
  if (sourceAccount) equals['AWS:SourceAccount'] = sourceAccount;
  const orgId = read.string(body, 'PrincipalOrgID');
  if (orgId) equals['aws:PrincipalOrgID'] = orgId;
  const token = read.string(body, 'EventSourceToken');
  if (token) equals['lambda:EventSourceToken'] = token;
  const urlAuth = read.string(body, 'FunctionUrlAuthType');
  if (urlAuth) equals['lambda:FunctionUrlAuthType'] = urlAuth;
  const sourceArn = read.string(body, 'SourceArn');
  const condition = {
    ...(Object.keys(equals).length > 0 && { StringEquals: equals }),
    ...(sourceArn && { ArnLike: { 'AWS:SourceArn': sourceArn } }),
  };
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: principalOf(principal),
    Action: action,
    Resource: resource,
    ...(Object.keys(condition).length > 0 && { Condition: condition }),
  };
}

/** GetPolicy. */
export function policyReadRoutes(backend: LambdaApiReader): Route[] {
  return [
    [
      'GET',
      new RegExp(`^${POLICY}/?$`),
      async ([name = ''], _req, q) => {
        const { policy } = findFunction(backend, name, q);
        if (!policy) throw resourceNotFound('The resource you requested does not exist.');
        return json({
          Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.statements }),
          RevisionId: policy.revisionId,
        });
      },
    ],
  ];
}

/** AddPermission and RemovePermission. */
export function permissionWriteRoutes(backend: WritableBackend): Route[] {
  return [
    [
      'POST',
      new RegExp(`^${POLICY}/?$`),
      async ([name = ''], req, q) => {
        const f = findFunction(backend, name, q);
        const statement = statementOf(jsonBody(req), functionArn(f.def.name));
        const statements = f.policy?.statements ?? [];
        if (statements.some((s) => s.Sid === statement.Sid)) {
          throw resourceConflict(
            `The statement id (${statement.Sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
          );
        }
        backend.setPolicy(f.def.name, { revisionId: randomUUID(), statements: [...statements, statement] });
        return json({ Statement: JSON.stringify(statement) }, 201);
      },
    ],
    [
      'DELETE',
      new RegExp(`^${POLICY}/([^/]+)/?$`),
      async ([name = '', rawSid = ''], _req, q) => {
        const f = findFunction(backend, name, q);
        const sid = decodeURIComponent(rawSid);
        if (!f.policy) throw resourceNotFound('No policy is associated with the given resource.');
        const kept = f.policy.statements.filter((s) => s.Sid !== sid);
        if (kept.length === f.policy.statements.length) {
          throw resourceNotFound(`Statement ${sid} is not found in resource policy.`);
        }
        // The last statement gone, the function has no policy at all, as on AWS.
        backend.setPolicy(
          f.def.name,
          kept.length > 0 ? { revisionId: randomUUID(), statements: kept } : undefined,
        );
        return noContent();
      },
    ],
  ];
}
