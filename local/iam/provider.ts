/**
 * `AWS::IAM::Role`, `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` written into an `IamStore`,
 * so that what a stack creates shows in the IAM API. Names, `Ref`s, ARNs and ids are those the
 * deployer's recorded IAM resources gave, so templates resolve as before.
 */
import { TemplateError } from '../cloudformation/errors.ts';
import { NAME_RULES, physicalName } from '../cloudformation/names.ts';
import type { ResourceProvider, ValidateContext } from '../cloudformation/providers/types.ts';
import {
  isRecord,
  jsonText,
  optArray,
  optNumber,
  optString,
  type Props,
} from '../cloudformation/providers/values.ts';
import { IamError } from './errors.ts';
import type { ManagedPolicy, Tag } from './model.ts';
import { policyArn } from './names.ts';
import { POLICY_QUOTAS } from './policy-document.ts';
import type { IamStore } from './store.ts';

/** Runs `act`, ignoring IAM's `NoSuchEntity` (deleting what is already gone). */
function unlessGone(act: () => void): void {
  try {
    act();
  } catch (err) {
    if (!(err instanceof IamError && err.code === 'NoSuchEntity')) throw err;
  }
}

const pathOf = (props: Props, ctx: ValidateContext) => optString(props, 'Path', ctx.at) ?? '/';

/** A JSON property (a policy document) as text; required. */
function documentOf(props: Props, key: string, ctx: ValidateContext): string {
  const value = props[key];
  if (value === undefined || value === null) throw new TemplateError(`property ${key} is required`, ctx.at);
  return jsonText(value);
}

const stringsOf = (props: Props, key: string) => optArray(props, key).map(String);

/** Role names from `Roles`: CloudFormation takes names; an ARN's last segment is its name. */
const roleNamesOf = (props: Props) => stringsOf(props, 'Roles').map((r) => r.split('/').at(-1) ?? r);

const tagsOf = (props: Props): Tag[] =>
  optArray(props, 'Tags')
    .filter(isRecord)
    .map((t) => ({ Key: String(t.Key), Value: String(t.Value ?? '') }));

/** Inline policies from a role's `Policies`, by name. */
function inlinePoliciesOf(props: Props): Map<string, string> {
  const policies = new Map<string, string>();
  for (const p of optArray(props, 'Policies').filter(isRecord)) {
    policies.set(String(p.PolicyName), jsonText(p.PolicyDocument));
  }
  return policies;
}

const roleName = (props: Props, ctx: ValidateContext) =>
  optString(props, 'RoleName', ctx.at) ?? physicalName(ctx.stackName, ctx.logicalId, NAME_RULES.iamRole);

/**
 * Brings a role's settings, inline policies, attachments and tags to `props`. Only what the role's
 * own previous properties set is removed: an `AWS::IAM::Policy` puts inline policies on the same
 * role, an `AWS::IAM::ManagedPolicy` attaches itself to it.
 */
function syncRole(store: IamStore, name: string, props: Props, previous: Props, ctx: ValidateContext): void {
  store.updateAssumeRolePolicy(name, documentOf(props, 'AssumeRolePolicyDocument', ctx));
  const description = optString(props, 'Description', ctx.at);
  const hadDescription = optString(previous, 'Description', ctx.at) !== undefined;
  store.updateRole(name, {
    // A description the template stops setting is cleared; one it never set stays absent.
    Description: description ?? (hadDescription ? '' : undefined),
    MaxSessionDuration: optNumber(props, 'MaxSessionDuration', ctx.at) ?? 3600,
  });
  store.setPermissionsBoundary(name, optString(props, 'PermissionsBoundary', ctx.at));
  const inline = inlinePoliciesOf(props);
  for (const old of inlinePoliciesOf(previous).keys()) {
    if (!inline.has(old)) unlessGone(() => store.deleteRolePolicy(name, old));
  }
  for (const [policyName, document] of inline) store.putRolePolicy(name, policyName, document);
  const managed = new Set(stringsOf(props, 'ManagedPolicyArns'));
  for (const old of stringsOf(previous, 'ManagedPolicyArns')) {
    if (!managed.has(old)) unlessGone(() => store.detachRolePolicy(name, old));
  }
  for (const arn of managed) store.attachRolePolicy(name, arn);
  const tags = tagsOf(props);
  store.untagRole(
    name,
    tagsOf(previous)
      .map((t) => t.Key)
      .filter((key) => !tags.some((t) => t.Key === key)),
  );
  if (tags.length > 0) store.tagRole(name, tags);
}

/** `AWS::IAM::Role`: `Ref` is the name; `Arn` and `RoleId` as IAM gives them. */
export function iamRoleProvider(store: IamStore): ResourceProvider {
  const result = (name: string) => {
    const role = store.getRole(name);
    return {
      physicalId: role.RoleName,
      ref: role.RoleName,
      attributes: { Arn: role.Arn, RoleId: role.RoleId },
    };
  };
  return {
    attributes: ['Arn', 'RoleId'],
    replaceOn: ['RoleName', 'Path'],
    nameOf: roleName,
    validate(props, ctx) {
      documentOf(props, 'AssumeRolePolicyDocument', ctx);
    },
    async create(props, ctx) {
      const name = roleName(props, ctx);
      try {
        store.createRole({
          RoleName: name,
          Path: pathOf(props, ctx),
          AssumeRolePolicyDocument: documentOf(props, 'AssumeRolePolicyDocument', ctx),
        });
      } catch (err) {
        // A role of that name outlived the deployer's memory of it: adopt it.
        if (!(err instanceof IamError && err.code === 'EntityAlreadyExists')) throw err;
      }
      syncRole(store, name, props, {}, ctx);
      return result(name);
    },
    async update(props, previous, _changed, ctx) {
      syncRole(store, previous.physicalId, props, previous.properties, ctx);
      return result(previous.physicalId);
    },
    async delete(previous) {
      const name = previous.physicalId;
      // As CloudFormation, remove what the role holds first; IAM refuses to delete it otherwise.
      unlessGone(() => {
        for (const policy of store.listRolePolicies(name, { maxItems: 1000 }).items)
          store.deleteRolePolicy(name, policy);
        for (const { PolicyArn } of store.listAttachedRolePolicies(name, { maxItems: 1000 }).items) {
          store.detachRolePolicy(name, PolicyArn);
        }
        store.deleteRole(name);
      });
    },
  };
}

const policyName = (props: Props, ctx: ValidateContext) =>
  optString(props, 'PolicyName', ctx.at) ?? physicalName(ctx.stackName, ctx.logicalId, NAME_RULES.iamPolicy);

/**
 * `AWS::IAM::Policy`: an inline policy on each of its `Roles`. `Ref` and `Id` are
 * `<StackName>-<PolicyName>`. `Users` and `Groups` are recorded only (the store holds roles).
 */
export function iamPolicyProvider(store: IamStore): ResourceProvider {
  const put = (props: Props, ctx: ValidateContext) => {
    const name = policyName(props, ctx);
    const document = documentOf(props, 'PolicyDocument', ctx);
    for (const role of roleNamesOf(props)) store.putRolePolicy(role, name, document);
    const id = `${ctx.stackName}-${name}`;
    return { physicalId: id, ref: id, attributes: { Id: id } };
  };
  const remove = (props: Props, ctx: ValidateContext, keep: { name: string; roles: string[] }) => {
    const name = policyName(props, ctx);
    for (const role of roleNamesOf(props)) {
      if (name !== keep.name || !keep.roles.includes(role))
        unlessGone(() => store.deleteRolePolicy(role, name));
    }
  };
  return {
    attributes: ['Id'],
    replaceOn: [],
    nameOf: (props, ctx) => `${ctx.stackName}-${policyName(props, ctx)}`,
    validate(props, ctx) {
      documentOf(props, 'PolicyDocument', ctx);
    },
    create: async (props, ctx) => put(props, ctx),
    async update(props, previous, _changed, ctx) {
      const result = put(props, ctx);
      remove(previous.properties, ctx, { name: policyName(props, ctx), roles: roleNamesOf(props) });
      return result;
    },
    async delete(previous, ctx) {
      remove(previous.properties, ctx, { name: '', roles: [] });
    },
  };
}

const managedPolicyName = (props: Props, ctx: ValidateContext) =>
  optString(props, 'ManagedPolicyName', ctx.at) ??
  physicalName(ctx.stackName, ctx.logicalId, NAME_RULES.iamPolicy);

/** A managed policy's `Fn::GetAtt` values, as strings. */
const managedAttributes = (policy: ManagedPolicy) => ({
  PolicyArn: policy.Arn,
  PolicyId: policy.PolicyId,
  DefaultVersionId: policy.DefaultVersionId,
  AttachmentCount: String(policy.AttachmentCount),
  PermissionsBoundaryUsageCount: String(policy.PermissionsBoundaryUsageCount),
  IsAttachable: String(policy.IsAttachable),
  CreateDate: policy.CreateDate.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  UpdateDate: policy.UpdateDate.toISOString().replace(/\.\d{3}Z$/, 'Z'),
});

/** Makes `document` the default version, dropping the oldest other version when five are kept. */
function newDefaultVersion(store: IamStore, arn: string, document: string): void {
  const versions = store.listPolicyVersions(arn);
  if (versions.length >= POLICY_QUOTAS.versionsPerPolicy) {
    const oldest = versions.find((v) => !v.IsDefaultVersion);
    if (oldest) store.deletePolicyVersion(arn, oldest.VersionId);
  }
  store.createPolicyVersion(arn, document, true);
}

/** `AWS::IAM::ManagedPolicy`: `Ref` is its ARN; attached to each of its `Roles` (`Users`, `Groups` recorded only). */
export function iamManagedPolicyProvider(store: IamStore): ResourceProvider {
  const attach = (arn: string, props: Props, previous: Props) => {
    const roles = roleNamesOf(props);
    for (const role of roleNamesOf(previous)) {
      if (!roles.includes(role)) unlessGone(() => store.detachRolePolicy(role, arn));
    }
    for (const role of roles) store.attachRolePolicy(role, arn);
    const policy = store.getPolicy(arn);
    return { physicalId: arn, ref: arn, attributes: managedAttributes(policy) };
  };
  return {
    attributes: [
      'PolicyArn',
      'PolicyId',
      'DefaultVersionId',
      'AttachmentCount',
      'PermissionsBoundaryUsageCount',
      'IsAttachable',
      'CreateDate',
      'UpdateDate',
    ],
    replaceOn: ['ManagedPolicyName', 'Path', 'Description'],
    nameOf: (props, ctx) => policyArn(pathOf(props, ctx), managedPolicyName(props, ctx)),
    validate(props, ctx) {
      documentOf(props, 'PolicyDocument', ctx);
    },
    async create(props, ctx) {
      const arn = policyArn(pathOf(props, ctx), managedPolicyName(props, ctx));
      const document = documentOf(props, 'PolicyDocument', ctx);
      try {
        store.createPolicy({
          PolicyName: managedPolicyName(props, ctx),
          Path: pathOf(props, ctx),
          PolicyDocument: document,
          Description: optString(props, 'Description', ctx.at),
        });
      } catch (err) {
        // A policy of that name outlived the deployer's memory of it: adopt it, with this document.
        if (!(err instanceof IamError && err.code === 'EntityAlreadyExists')) throw err;
        newDefaultVersion(store, arn, document);
      }
      return attach(arn, props, {});
    },
    async update(props, previous, changed, ctx) {
      const arn = previous.physicalId;
      if (changed.includes('PolicyDocument'))
        newDefaultVersion(store, arn, documentOf(props, 'PolicyDocument', ctx));
      return attach(arn, props, previous.properties);
    },
    async delete(previous) {
      const arn = previous.physicalId;
      unlessGone(() => {
        for (const role of roleNamesOf(previous.properties))
          unlessGone(() => store.detachRolePolicy(role, arn));
        for (const version of store.listPolicyVersions(arn)) {
          if (!version.IsDefaultVersion) store.deletePolicyVersion(arn, version.VersionId);
        }
        store.deletePolicy(arn);
      });
    },
  };
}

/** The three IAM resource types, by type, over one store. */
export function iamProviders(store: IamStore): Record<string, ResourceProvider> {
  return {
    'AWS::IAM::Role': iamRoleProvider(store),
    'AWS::IAM::Policy': iamPolicyProvider(store),
    'AWS::IAM::ManagedPolicy': iamManagedPolicyProvider(store),
  };
}
