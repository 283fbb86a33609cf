/** The parts of a CloudFormation template the local deployer reads. */

export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Transform?: unknown;
  Metadata?: unknown;
  Parameters?: Record<string, CfnParameter>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  /** CDK's bootstrap-version check; assertions about the account, not resources: ignored locally. */
  Rules?: unknown;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, CfnOutput>;
}

export interface CfnParameter {
  Type: string;
  Default?: unknown;
  Description?: string;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  ConstraintDescription?: string;
  /** The value is shown as `****`. */
  NoEcho?: boolean | string;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  Metadata?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface CfnOutput {
  Value: unknown;
  Description?: string;
  Condition?: string;
  Export?: { Name: unknown };
}

/** Top-level template sections the local deployer understands (anything else fails the deploy). */
export const KNOWN_SECTIONS = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Mappings',
  'Conditions',
  'Rules',
  'Resources',
  'Outputs',
]);

/** The `DependsOn` of a resource as a list. */
export const dependsOnOf = (resource: CfnResource): string[] =>
  resource.DependsOn === undefined
    ? []
    : Array.isArray(resource.DependsOn)
      ? resource.DependsOn
      : [resource.DependsOn];
