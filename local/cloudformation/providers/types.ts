/** The contract between the deployer and the code that creates one kind of resource. */
import type { EventsControl, LambdaControl } from '../../types.ts';
import type { Clients } from '../clients.ts';
import type { TemplateLocation } from '../errors.ts';
import type { ResourceStatus } from '../status.ts';
import type { CfnResource } from '../template.ts';

/** What the deployer remembers about a deployed resource (persisted as JSON). */
export interface ResourceRecord {
  type: string;
  /** The service's identifier: a name, an ARN, a URL, a UUID. */
  physicalId: string;
  /** What `Ref` returns. */
  ref: string;
  /** What `Fn::GetAtt` returns, by attribute name. */
  attributes: Record<string, string>;
  /** The resolved properties it was deployed with (plus `Local::` keys a provider adds). */
  properties: Record<string, unknown>;
  /** Logical ids it depends on (references and DependsOn), for deletion order. */
  dependsOn: string[];
  /** Provider-specific facts (e.g. a bucket's EventBridge switch, a subscription's protocol). */
  data?: Record<string, unknown>;
  /** Its last transition, as `DescribeStackResources` shows it. */
  status?: ResourceStatus;
  statusReason?: string;
  /** When it last changed (ISO 8601). */
  updatedAt?: string;
  /** The template's `DeletionPolicy`: `Retain` keeps the resource when it leaves the stack. */
  deletionPolicy?: string;
  /** The template's `UpdateReplacePolicy`: `Retain` keeps the old resource on replacement. */
  updateReplacePolicy?: string;
}

/** What a provider returns after creating or updating a resource. */
export interface ProvisionResult {
  physicalId: string;
  ref: string;
  attributes?: Record<string, string>;
  data?: Record<string, unknown>;
}

/** Everything a provider may use. */
export interface ProviderContext {
  stackName: string;
  logicalId: string;
  /** The template entry (for metadata such as `aws:asset:path`); absent when deleting a removed resource. */
  resource?: CfnResource;
  /** The cloud assembly directory the template came from. */
  assemblyDir: string;
  /** Asset object key → absolute path in the assembly. */
  assets: Record<string, string>;
  clients: Clients;
  lambda: LambdaControl;
  events: EventsControl;
  /** True for a Lambda function CDK adds only to back a custom resource: recorded, not run. */
  customResourceProvider: boolean;
  at: TemplateLocation;
}

/** Context for `validate`: no clients, nothing may be created. */
export type ValidateContext = Pick<
  ProviderContext,
  'stackName' | 'logicalId' | 'resource' | 'assemblyDir' | 'assets' | 'customResourceProvider' | 'at'
>;

/** Creates, updates and deletes one resource type (or a few closely related ones). */
export interface ResourceProvider {
  /** Attributes `Fn::GetAtt` may ask for. */
  readonly attributes: readonly string[];
  /** Properties whose change needs a new resource; `'*'`: any change does. */
  readonly replaceOn: readonly string[] | '*';
  /** A resource it depends on was replaced: replace this one too, rather than re-apply it in place. */
  readonly replaceWithDependencies?: boolean;
  /** Checks the unresolved properties before anything is created; throws a `DeployError`. */
  validate?(properties: Record<string, unknown>, ctx: ValidateContext): void;
  /** The physical name a create will use, for progress lines. */
  nameOf?(properties: Record<string, unknown>, ctx: ValidateContext): string;
  /** Values that are not properties but must trigger an update when they change (e.g. the code directory). */
  localProperties?(properties: Record<string, unknown>, ctx: ValidateContext): Record<string, unknown>;
  create(properties: Record<string, unknown>, ctx: ProviderContext): Promise<ProvisionResult>;
  /** Applies changed properties in place; without it every change replaces the resource. */
  update?(
    properties: Record<string, unknown>,
    previous: ResourceRecord,
    changed: string[],
    ctx: ProviderContext,
  ): Promise<ProvisionResult>;
  delete(previous: ResourceRecord, ctx: ProviderContext): Promise<void>;
}
