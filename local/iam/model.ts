/** IAM's entities as the local store hands them out (the API's shapes, documents as JSON text). */

export interface Tag {
  Key: string;
  Value: string;
}

/** A role, as `GetRole` describes it (its documents as JSON text, not URL-encoded). */
export interface Role {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: Date;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  PermissionsBoundary?: { PermissionsBoundaryType: 'Policy'; PermissionsBoundaryArn: string };
  Tags: Tag[];
}

/** A managed policy, as `GetPolicy` describes it. */
export interface ManagedPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  AttachmentCount: number;
  PermissionsBoundaryUsageCount: number;
  IsAttachable: boolean;
  Description?: string;
  CreateDate: Date;
  UpdateDate: Date;
  Tags: Tag[];
}

export interface PolicyVersion {
  /** The policy document as JSON text. */
  Document: string;
  VersionId: string;
  IsDefaultVersion: boolean;
  CreateDate: Date;
}

export interface AttachedPolicy {
  PolicyName: string;
  PolicyArn: string;
}

/** One page of a listing: IAM pages with `Marker` and `MaxItems`. */
export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  /** Pass as `marker` to get the next page; present when `isTruncated`. */
  marker?: string;
}

export interface PageRequest {
  marker?: string;
  /** 1 to 1000; 100 by default, as IAM. */
  maxItems?: number;
}

export interface CreateRoleInput {
  RoleName: string;
  AssumeRolePolicyDocument: string;
  Path?: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

export interface CreatePolicyInput {
  PolicyName: string;
  PolicyDocument: string;
  Path?: string;
  Description?: string;
  Tags?: Tag[];
}

export interface ListPoliciesInput extends PageRequest {
  /** `All` (default), `AWS` (AWS managed) or `Local` (this account's). */
  scope?: 'All' | 'AWS' | 'Local';
  onlyAttached?: boolean;
  pathPrefix?: string;
}
