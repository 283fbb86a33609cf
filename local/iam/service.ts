/**
 * IAM's query API over an `IamStore`: roles, inline and managed policies, attachments. Shapes as
 * IAM answers them, policy documents URL-encoded (the SDKs and the aws CLI decode them).
 */
import { type QueryAction, QueryError, type QueryReader, queryService } from '../gateway/query-protocol.ts';
import type { ServiceHandler } from '../types.ts';
import { IamError } from './errors.ts';
import type { ManagedPolicy, Page, PolicyVersion, Role, Tag } from './model.ts';
import type { IamStore } from './store.ts';

/** IAM's XML namespace (API version 2010-05-08). */
export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

const encodeDocument = (document: string) => encodeURIComponent(document);

/** A role as `ListRoles` lists it: no tags, permissions boundary or last use. */
const listedRole = (role: Role) => ({
  Path: role.Path,
  RoleName: role.RoleName,
  RoleId: role.RoleId,
  Arn: role.Arn,
  CreateDate: role.CreateDate,
  AssumeRolePolicyDocument: encodeDocument(role.AssumeRolePolicyDocument),
  Description: role.Description,
  MaxSessionDuration: role.MaxSessionDuration,
});

/** A role as `GetRole` and `CreateRole` describe it. */
const fullRole = (role: Role) => ({
  ...listedRole(role),
  PermissionsBoundary: role.PermissionsBoundary,
  Tags: role.Tags.length > 0 ? role.Tags : undefined,
  RoleLastUsed: {},
});

/** A policy as `ListPolicies` and `CreatePolicy` describe it: no description. */
const listedPolicy = ({ Description: _description, Tags: _tags, ...policy }: ManagedPolicy) => policy;

const fullPolicy = (policy: ManagedPolicy) => ({
  ...listedPolicy(policy),
  Description: policy.Description,
  Tags: policy.Tags.length > 0 ? policy.Tags : undefined,
});

const versionOf = ({ Document: _document, ...version }: PolicyVersion) => version;

/** A listing's members plus IAM's paging fields. */
const paged = <T>(name: string, page: Page<T>, shape: (item: T) => unknown = (item) => item) => ({
  [name]: page.items.map(shape),
  IsTruncated: page.isTruncated,
  Marker: page.marker,
});

const pageOf = (p: QueryReader) => ({ marker: p.string('Marker'), maxItems: p.integer('MaxItems') });

const tagsOf = (p: QueryReader): Tag[] =>
  p.structs('Tags').map((t) => ({ Key: t.required('Key'), Value: t.string('Value') ?? '' }));

const SCOPES = ['All', 'AWS', 'Local'] as const;

function scopeOf(p: QueryReader): (typeof SCOPES)[number] | undefined {
  const scope = p.string('Scope');
  if (scope === undefined) return undefined;
  const known = SCOPES.find((s) => s === scope);
  if (!known) {
    throw new QueryError(
      'ValidationError',
      `1 validation error detected: Value '${scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`,
    );
  }
  return known;
}

/** IAM's actions, each over the store. */
function iamActions(store: IamStore): Record<string, QueryAction> {
  const role = (p: QueryReader) => p.required('RoleName');
  return {
    CreateRole: (p) => ({
      Role: fullRole(
        store.createRole({
          RoleName: role(p),
          AssumeRolePolicyDocument: p.required('AssumeRolePolicyDocument'),
          Path: p.string('Path'),
          Description: p.string('Description'),
          MaxSessionDuration: p.integer('MaxSessionDuration'),
          PermissionsBoundary: p.string('PermissionsBoundary'),
          Tags: tagsOf(p),
        }),
      ),
    }),
    GetRole: (p) => ({ Role: fullRole(store.getRole(role(p))) }),
    ListRoles: (p) =>
      paged('Roles', store.listRoles({ ...pageOf(p), pathPrefix: p.string('PathPrefix') }), listedRole),
    DeleteRole: (p) => void store.deleteRole(role(p)),
    UpdateAssumeRolePolicy: (p) => void store.updateAssumeRolePolicy(role(p), p.required('PolicyDocument')),
    UpdateRole: (p) => {
      store.updateRole(role(p), {
        Description: p.string('Description'),
        MaxSessionDuration: p.integer('MaxSessionDuration'),
      });
      return {};
    },
    UpdateRoleDescription: (p) => {
      store.updateRole(role(p), { Description: p.required('Description') });
      return { Role: fullRole(store.getRole(role(p))) };
    },
    PutRolePermissionsBoundary: (p) =>
      void store.setPermissionsBoundary(role(p), p.required('PermissionsBoundary')),
    DeleteRolePermissionsBoundary: (p) => void store.setPermissionsBoundary(role(p), undefined),
    TagRole: (p) => void store.tagRole(role(p), tagsOf(p)),
    UntagRole: (p) => void store.untagRole(role(p), p.strings('TagKeys')),
    ListRoleTags: (p) => ({ Tags: store.getRole(role(p)).Tags, IsTruncated: false }),
    PutRolePolicy: (p) =>
      void store.putRolePolicy(role(p), p.required('PolicyName'), p.required('PolicyDocument')),
    GetRolePolicy: (p) => {
      const name = p.required('PolicyName');
      const document = store.getRolePolicy(role(p), name);
      return {
        RoleName: store.getRole(role(p)).RoleName,
        PolicyName: name,
        PolicyDocument: encodeDocument(document),
      };
    },
    ListRolePolicies: (p) => paged('PolicyNames', store.listRolePolicies(role(p), pageOf(p))),
    DeleteRolePolicy: (p) => void store.deleteRolePolicy(role(p), p.required('PolicyName')),
    CreatePolicy: (p) => ({
      Policy: listedPolicy(
        store.createPolicy({
          PolicyName: p.required('PolicyName'),
          PolicyDocument: p.required('PolicyDocument'),
          Path: p.string('Path'),
          Description: p.string('Description'),
          Tags: tagsOf(p),
        }),
      ),
    }),
    GetPolicy: (p) => ({ Policy: fullPolicy(store.getPolicy(p.required('PolicyArn'))) }),
    GetPolicyVersion: (p) => {
      const version = store.getPolicyVersion(p.required('PolicyArn'), p.required('VersionId'));
      return { PolicyVersion: { ...version, Document: encodeDocument(version.Document) } };
    },
    ListPolicies: (p) =>
      paged(
        'Policies',
        store.listPolicies({
          ...pageOf(p),
          scope: scopeOf(p),
          onlyAttached: p.boolean('OnlyAttached'),
          pathPrefix: p.string('PathPrefix'),
        }),
        listedPolicy,
      ),
    DeletePolicy: (p) => void store.deletePolicy(p.required('PolicyArn')),
    CreatePolicyVersion: (p) => ({
      PolicyVersion: versionOf(
        store.createPolicyVersion(
          p.required('PolicyArn'),
          p.required('PolicyDocument'),
          p.boolean('SetAsDefault') ?? false,
        ),
      ),
    }),
    ListPolicyVersions: (p) => ({
      Versions: store.listPolicyVersions(p.required('PolicyArn')).map(versionOf),
      IsTruncated: false,
    }),
    SetDefaultPolicyVersion: (p) =>
      void store.setDefaultPolicyVersion(p.required('PolicyArn'), p.required('VersionId')),
    DeletePolicyVersion: (p) =>
      void store.deletePolicyVersion(p.required('PolicyArn'), p.required('VersionId')),
    AttachRolePolicy: (p) => void store.attachRolePolicy(role(p), p.required('PolicyArn')),
    DetachRolePolicy: (p) => void store.detachRolePolicy(role(p), p.required('PolicyArn')),
    ListAttachedRolePolicies: (p) =>
      paged(
        'AttachedPolicies',
        store.listAttachedRolePolicies(role(p), { ...pageOf(p), pathPrefix: p.string('PathPrefix') }),
      ),
  };
}

/** IAM's query API (service `iam`) over `store`. */
export function iamHandler(store: IamStore): ServiceHandler {
  return queryService({
    xmlns: IAM_XMLNS,
    actions: iamActions(store),
    mapError: (err) =>
      err instanceof IamError ? new QueryError(err.code, err.message, err.status) : undefined,
  });
}
