/**
 * IAM's roles and managed policies, in memory. Recorded, never enforced: the local cloud does
 * not check permissions, but it remembers what was created and answers as IAM does, with IAM's
 * errors and quotas. Role and policy names are unique regardless of case, as in IAM.
 */
import { AWS_MANAGED_CREATED, AWS_MANAGED_POLICIES } from './aws-managed.ts';
import { IamError } from './errors.ts';
import type {
  AttachedPolicy,
  CreatePolicyInput,
  CreateRoleInput,
  ListPoliciesInput,
  ManagedPolicy,
  Page,
  PageRequest,
  PolicyVersion,
  Role,
  Tag,
} from './model.ts';
import { awsPolicyArn, checkName, checkPath, iamId, invalid, policyArn, roleArn } from './names.ts';
import { checkPolicyDocument, POLICY_QUOTAS } from './policy-document.ts';

interface RoleRecord {
  role: Role;
  /** Inline policies by name, in the order they were put. */
  inline: Map<string, string>;
  /** Attached managed policy ARNs. */
  attached: Set<string>;
}

interface PolicyRecord {
  policy: ManagedPolicy;
  versions: PolicyVersion[];
  nextVersion: number;
  awsManaged: boolean;
}

const copy = <T>(value: T): T => structuredClone(value);
const byName = (a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase());

/** IAM's roles, inline policies and managed policies (AWS's and this account's) in memory. */
export class IamStore {
  private readonly roles = new Map<string, RoleRecord>();
  private readonly policies = new Map<string, PolicyRecord>();
  private readonly now: () => Date;

  /** @param options.now the clock for `CreateDate`s (tests pin it). */
  constructor(options: { now?: () => Date } = {}) {
    this.now = options.now ?? (() => new Date());
    for (const managed of AWS_MANAGED_POLICIES) {
      const arn = awsPolicyArn(managed.path, managed.name);
      const document = JSON.stringify({ Version: '2012-10-17', Statement: managed.statement });
      this.policies.set(arn, {
        policy: {
          PolicyName: managed.name,
          PolicyId: iamId('ANPA', arn),
          Arn: arn,
          Path: managed.path,
          DefaultVersionId: 'v1',
          AttachmentCount: 0,
          PermissionsBoundaryUsageCount: 0,
          IsAttachable: true,
          Description: managed.description,
          CreateDate: AWS_MANAGED_CREATED,
          UpdateDate: AWS_MANAGED_CREATED,
          Tags: [],
        },
        versions: [
          { Document: document, VersionId: 'v1', IsDefaultVersion: true, CreateDate: AWS_MANAGED_CREATED },
        ],
        nextVersion: 2,
        awsManaged: true,
      });
    }
  }

  // Roles

  /** Creates a role: names are unique regardless of case; the trust policy is checked and sized. */
  createRole(input: CreateRoleInput): Role {
    checkName('roleName', input.RoleName, 64);
    const path = input.Path ?? '/';
    checkPath('path', path);
    if (this.roles.has(input.RoleName.toLowerCase())) {
      throw new IamError('EntityAlreadyExists', `Role with name ${input.RoleName} already exists.`);
    }
    checkTrustPolicy(input.AssumeRolePolicyDocument);
    const maxSession = input.MaxSessionDuration ?? 3600;
    checkMaxSession(maxSession);
    checkDescription(input.Description);
    const tags = mergeTags([], input.Tags ?? []);
    const boundary = input.PermissionsBoundary;
    if (boundary !== undefined) this.boundaryPolicy(boundary).policy.PermissionsBoundaryUsageCount++;
    const arn = roleArn(path, input.RoleName);
    const role: Role = {
      Path: path,
      RoleName: input.RoleName,
      RoleId: iamId('AROA', arn),
      Arn: arn,
      CreateDate: this.now(),
      AssumeRolePolicyDocument: input.AssumeRolePolicyDocument,
      ...(input.Description !== undefined && { Description: input.Description }),
      MaxSessionDuration: maxSession,
      ...(boundary !== undefined && {
        PermissionsBoundary: { PermissionsBoundaryType: 'Policy' as const, PermissionsBoundaryArn: boundary },
      }),
      Tags: tags,
    };
    this.roles.set(input.RoleName.toLowerCase(), { role, inline: new Map(), attached: new Set() });
    return copy(role);
  }

  /** A role by name (any case); `NoSuchEntity` when there is none. */
  getRole(roleName: string): Role {
    return copy(this.roleRecord(roleName).role);
  }

  /** The role of an ARN, or undefined (for STS, which does not require the role to exist). */
  findRoleByArn(arn: string): Role | undefined {
    const name = arn.split('/').at(-1) ?? '';
    const record = this.roles.get(name.toLowerCase());
    return record && record.role.Arn === arn ? copy(record.role) : undefined;
  }

  /** Roles by name, those whose path starts with `pathPrefix` (`/` by default). */
  listRoles(opts: PageRequest & { pathPrefix?: string } = {}): Page<Role> {
    const roles = [...this.roles.values()]
      .map((r) => r.role)
      .filter((r) => r.Path.startsWith(opts.pathPrefix ?? '/'))
      .sort((a, b) => byName(a.RoleName, b.RoleName));
    return paginate(roles.map(copy), opts);
  }

  /** Deletes a role; IAM refuses while it has inline or attached policies (`DeleteConflict`). */
  deleteRole(roleName: string): void {
    const record = this.roleRecord(roleName);
    if (record.inline.size > 0) {
      throw new IamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
    }
    if (record.attached.size > 0) {
      throw new IamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
    }
    this.setPermissionsBoundary(roleName, undefined);
    this.roles.delete(roleName.toLowerCase());
  }

  /** Replaces a role's trust policy. */
  updateAssumeRolePolicy(roleName: string, document: string): void {
    const record = this.roleRecord(roleName);
    checkTrustPolicy(document);
    record.role.AssumeRolePolicyDocument = document;
  }

  /** `UpdateRole`: changes the description and the maximum session duration, when given. */
  updateRole(roleName: string, changes: { Description?: string; MaxSessionDuration?: number }): void {
    const record = this.roleRecord(roleName);
    if (changes.MaxSessionDuration !== undefined) checkMaxSession(changes.MaxSessionDuration);
    checkDescription(changes.Description);
    if (changes.Description !== undefined) record.role.Description = changes.Description;
    if (changes.MaxSessionDuration !== undefined) record.role.MaxSessionDuration = changes.MaxSessionDuration;
  }

  /** Sets (an ARN) or removes (undefined) a role's permissions boundary. */
  setPermissionsBoundary(roleName: string, boundaryArn: string | undefined): void {
    const record = this.roleRecord(roleName);
    const before = record.role.PermissionsBoundary?.PermissionsBoundaryArn;
    if (before === boundaryArn) return;
    const next = boundaryArn === undefined ? undefined : this.boundaryPolicy(boundaryArn);
    const previous = before === undefined ? undefined : this.policies.get(before);
    if (previous) previous.policy.PermissionsBoundaryUsageCount--;
    if (next) next.policy.PermissionsBoundaryUsageCount++;
    if (boundaryArn === undefined) delete record.role.PermissionsBoundary;
    else
      record.role.PermissionsBoundary = {
        PermissionsBoundaryType: 'Policy',
        PermissionsBoundaryArn: boundaryArn,
      };
  }

  /** Adds tags, replacing the values of keys it already has. */
  tagRole(roleName: string, tags: Tag[]): void {
    const record = this.roleRecord(roleName);
    record.role.Tags = mergeTags(record.role.Tags, tags);
  }

  /** Removes tags by key; absent keys are ignored, as IAM does. */
  untagRole(roleName: string, keys: string[]): void {
    const record = this.roleRecord(roleName);
    record.role.Tags = record.role.Tags.filter((t) => !keys.includes(t.Key));
  }

  // Inline policies

  /** Adds or replaces an inline policy; all of a role's inline policies share a size quota. */
  putRolePolicy(roleName: string, policyName: string, document: string): void {
    checkName('policyName', policyName, 128);
    const record = this.roleRecord(roleName);
    checkPolicyDocument(document, 'permissions');
    const others = [...record.inline].filter(([name]) => name !== policyName).map(([, doc]) => doc);
    const total = [...others, document].reduce((sum, doc) => sum + compactSize(doc), 0);
    if (total > POLICY_QUOTAS.roleInlinePolicies) {
      throw new IamError(
        'LimitExceeded',
        `Maximum policy size of ${POLICY_QUOTAS.roleInlinePolicies} bytes exceeded for role ${record.role.RoleName}`,
      );
    }
    record.inline.set(policyName, document);
  }

  /** An inline policy's document (JSON text). */
  getRolePolicy(roleName: string, policyName: string): string {
    const document = this.roleRecord(roleName).inline.get(policyName);
    if (document === undefined) {
      throw new IamError('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`);
    }
    return document;
  }

  /** A role's inline policy names, sorted. */
  listRolePolicies(roleName: string, page: PageRequest = {}): Page<string> {
    return paginate([...this.roleRecord(roleName).inline.keys()].sort(byName), page);
  }

  /** Deletes an inline policy; `NoSuchEntity` when the role has none of that name. */
  deleteRolePolicy(roleName: string, policyName: string): void {
    const record = this.roleRecord(roleName);
    if (!record.inline.delete(policyName)) {
      throw new IamError('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`);
    }
  }

  // Managed policies

  /** Creates a managed policy of this account, its document as version `v1`. */
  createPolicy(input: CreatePolicyInput): ManagedPolicy {
    checkName('policyName', input.PolicyName, 128);
    const path = input.Path ?? '/';
    checkPath('path', path);
    checkDescription(input.Description);
    const taken = [...this.policies.values()].some(
      (p) => !p.awsManaged && p.policy.PolicyName.toLowerCase() === input.PolicyName.toLowerCase(),
    );
    if (taken) {
      throw new IamError(
        'EntityAlreadyExists',
        `A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`,
      );
    }
    checkManagedDocument(input.PolicyDocument);
    const arn = policyArn(path, input.PolicyName);
    const now = this.now();
    const policy: ManagedPolicy = {
      PolicyName: input.PolicyName,
      PolicyId: iamId('ANPA', arn),
      Arn: arn,
      Path: path,
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      ...(input.Description !== undefined && { Description: input.Description }),
      CreateDate: now,
      UpdateDate: now,
      Tags: mergeTags([], input.Tags ?? []),
    };
    const version = {
      Document: input.PolicyDocument,
      VersionId: 'v1',
      IsDefaultVersion: true,
      CreateDate: now,
    };
    this.policies.set(arn, { policy, versions: [version], nextVersion: 2, awsManaged: false });
    return copy(policy);
  }

  /** A managed policy (AWS's or this account's) by ARN. */
  getPolicy(arn: string): ManagedPolicy {
    return copy(this.policyRecord(arn).policy);
  }

  /** One version of a managed policy, with its document. */
  getPolicyVersion(arn: string, versionId: string): PolicyVersion {
    const version = this.policyRecord(arn).versions.find((v) => v.VersionId === versionId);
    if (!version) {
      throw new IamError(
        'NoSuchEntity',
        `Policy ${arn} version ${versionId} does not exist or is not attachable.`,
      );
    }
    return copy(version);
  }

  /** Every version of a managed policy, oldest first. */
  listPolicyVersions(arn: string): PolicyVersion[] {
    return this.policyRecord(arn).versions.map(copy);
  }

  /** Managed policies by name, filtered by scope, attachment and path. */
  listPolicies(opts: ListPoliciesInput = {}): Page<ManagedPolicy> {
    const scope = opts.scope ?? 'All';
    const policies = [...this.policies.values()]
      .filter((p) => scope === 'All' || (scope === 'AWS') === p.awsManaged)
      .map((p) => p.policy)
      .filter((p) => !opts.onlyAttached || p.AttachmentCount > 0)
      .filter((p) => p.Path.startsWith(opts.pathPrefix ?? '/'))
      .sort((a, b) => byName(a.PolicyName, b.PolicyName));
    return paginate(policies.map(copy), opts);
  }

  /** Deletes a managed policy; IAM refuses while it is attached or has other versions than the default. */
  deletePolicy(arn: string): void {
    const record = this.ownPolicy(arn);
    const { policy } = record;
    if (policy.AttachmentCount > 0 || policy.PermissionsBoundaryUsageCount > 0) {
      throw new IamError('DeleteConflict', 'Cannot delete a policy attached to entities.');
    }
    if (record.versions.length > 1) {
      throw new IamError(
        'DeleteConflict',
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      );
    }
    this.policies.delete(arn);
  }

  /** Adds a version (at most 5 are kept), the default one when `setAsDefault`. */
  createPolicyVersion(arn: string, document: string, setAsDefault = false): PolicyVersion {
    const record = this.ownPolicy(arn);
    if (record.versions.length >= POLICY_QUOTAS.versionsPerPolicy) {
      throw new IamError(
        'LimitExceeded',
        `A managed policy can have up to ${POLICY_QUOTAS.versionsPerPolicy} versions. Before you create a new version, you must delete an existing version.`,
      );
    }
    checkManagedDocument(document);
    const now = this.now();
    const version = {
      Document: document,
      VersionId: `v${record.nextVersion++}`,
      IsDefaultVersion: false,
      CreateDate: now,
    };
    record.versions.push(version);
    if (setAsDefault) this.makeDefault(record, version.VersionId);
    return copy(version);
  }

  /** Makes a version the default one. */
  setDefaultPolicyVersion(arn: string, versionId: string): void {
    const record = this.ownPolicy(arn);
    this.getPolicyVersion(arn, versionId);
    this.makeDefault(record, versionId);
  }

  /** Deletes a version other than the default one (`DeleteConflict` for the default). */
  deletePolicyVersion(arn: string, versionId: string): void {
    const record = this.ownPolicy(arn);
    const version = this.getPolicyVersion(arn, versionId);
    if (version.IsDefaultVersion) {
      throw new IamError('DeleteConflict', 'Cannot delete the default version of a policy.');
    }
    record.versions = record.versions.filter((v) => v.VersionId !== versionId);
  }

  // Attachments

  /** Attaches a managed policy (AWS's or this account's); attaching it again changes nothing. */
  attachRolePolicy(roleName: string, arn: string): void {
    const record = this.roleRecord(roleName);
    const policy = this.policies.get(arn);
    if (!policy?.policy.IsAttachable) {
      throw new IamError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
    }
    if (record.attached.has(arn)) return;
    if (record.attached.size >= POLICY_QUOTAS.attachedPerRole) {
      throw new IamError(
        'LimitExceeded',
        `Cannot exceed quota for PoliciesPerRole: ${POLICY_QUOTAS.attachedPerRole}`,
      );
    }
    record.attached.add(arn);
    policy.policy.AttachmentCount++;
  }

  /** Detaches a managed policy; `NoSuchEntity` when it is not attached. */
  detachRolePolicy(roleName: string, arn: string): void {
    const record = this.roleRecord(roleName);
    if (!record.attached.delete(arn)) throw new IamError('NoSuchEntity', `Policy ${arn} was not found.`);
    const policy = this.policies.get(arn);
    if (policy) policy.policy.AttachmentCount--;
  }

  /** The managed policies attached to a role, in the order they were attached. */
  listAttachedRolePolicies(
    roleName: string,
    opts: PageRequest & { pathPrefix?: string } = {},
  ): Page<AttachedPolicy> {
    const attached = [...this.roleRecord(roleName).attached]
      .flatMap((arn) => this.policies.get(arn)?.policy ?? [])
      .filter((p) => p.Path.startsWith(opts.pathPrefix ?? '/'))
      .map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.Arn }));
    return paginate(attached, opts);
  }

  // Lookups

  private roleRecord(roleName: string): RoleRecord {
    const record = this.roles.get(roleName.toLowerCase());
    if (!record) throw new IamError('NoSuchEntity', `The role with name ${roleName} cannot be found.`);
    return record;
  }

  private policyRecord(arn: string): PolicyRecord {
    const record = this.policies.get(arn);
    if (!record) throw new IamError('NoSuchEntity', `Policy ${arn} was not found.`);
    return record;
  }

  /** A policy of this account: AWS's own cannot be changed or deleted. */
  private ownPolicy(arn: string): PolicyRecord {
    const record = this.policyRecord(arn);
    if (record.awsManaged) {
      throw new IamError('AccessDenied', `Cannot modify or delete the AWS managed policy ${arn}.`);
    }
    return record;
  }

  private boundaryPolicy(arn: string): PolicyRecord {
    const record = this.policies.get(arn);
    if (!record) throw new IamError('NoSuchEntity', `Scope ARN: ${arn} does not exist or is not attachable.`);
    return record;
  }

  private makeDefault(record: PolicyRecord, versionId: string): void {
    for (const v of record.versions) v.IsDefaultVersion = v.VersionId === versionId;
    record.policy.DefaultVersionId = versionId;
    record.policy.UpdateDate = this.now();
  }
}

/** A policy's size as IAM counts it: without white space. */
const compactSize = (document: string): number => JSON.stringify(JSON.parse(document)).length;

function checkTrustPolicy(document: string): void {
  const size = checkPolicyDocument(document, 'trust');
  if (size > POLICY_QUOTAS.trustPolicy) {
    throw new IamError(
      'LimitExceeded',
      `Cannot exceed quota for ACLSizePerRole: ${POLICY_QUOTAS.trustPolicy}`,
    );
  }
}

function checkManagedDocument(document: string): void {
  const size = checkPolicyDocument(document, 'permissions');
  if (size > POLICY_QUOTAS.managedPolicy) {
    throw new IamError('LimitExceeded', `Cannot exceed quota for PolicySize: ${POLICY_QUOTAS.managedPolicy}`);
  }
}

function checkMaxSession(seconds: number): void {
  if (seconds < 3600)
    throw invalid('maxSessionDuration', seconds, 'must have value greater than or equal to 3600');
  if (seconds > 43200)
    throw invalid('maxSessionDuration', seconds, 'must have value less than or equal to 43200');
}

function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > 1000) {
    throw invalid('description', description, 'must have length less than or equal to 1000');
  }
}

/** Tags after adding `added` to `tags`: a key already there takes the new value. */
function mergeTags(tags: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(tags.map((t) => [t.Key, t.Value]));
  for (const tag of added) {
    if (tag.Key.length < 1 || tag.Key.length > 128) {
      throw invalid('tags.member.key', tag.Key, 'must have length between 1 and 128');
    }
    if (tag.Value.length > 256)
      throw invalid('tags.member.value', tag.Value, 'must have length less than or equal to 256');
    merged.set(tag.Key, tag.Value);
  }
  if (merged.size > POLICY_QUOTAS.tagsPerResource) {
    throw new IamError(
      'LimitExceeded',
      `The number of tags has reached the maximum limit of ${POLICY_QUOTAS.tagsPerResource}.`,
    );
  }
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

const DEFAULT_MAX_ITEMS = 100;

/** One page of `items` from an opaque marker (the offset, base64), as IAM pages its listings. */
function paginate<T>(items: T[], { marker, maxItems = DEFAULT_MAX_ITEMS }: PageRequest): Page<T> {
  if (maxItems < 1 || maxItems > 1000) {
    throw invalid('maxItems', maxItems, 'must have value between 1 and 1000');
  }
  const start = marker === undefined ? 0 : Number(Buffer.from(marker, 'base64').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw new IamError('ValidationError', 'Invalid Marker.');
  const end = start + maxItems;
  const isTruncated = end < items.length;
  return {
    items: items.slice(start, end),
    isTruncated,
    ...(isTruncated && { marker: Buffer.from(String(end)).toString('base64') }),
  };
}
