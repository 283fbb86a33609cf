/**
 * The CloudFormation API's shapes (`Stack`, `StackEvent`, `StackResource`, `ChangeSet`…) made
 * from the deployer's records, member names and order as the API documents them. Timestamps are
 * ISO 8601 strings with milliseconds, as CloudFormation returns them.
 */
import type { ResourceChangeSummary } from '../changes.ts';
import type { StackEvent } from '../events.ts';
import type { ResourceRecord } from '../providers/types.ts';
import type { ChangeSetRecord, StackRecord, StackTarget } from '../state.ts';
import type { CfnParameter } from '../template.ts';

const NOT_CHECKED = { StackDriftStatus: 'NOT_CHECKED' };
const RESOURCE_NOT_CHECKED = { StackResourceDriftStatus: 'NOT_CHECKED' };

/** Undefined for an empty list: CloudFormation leaves such members out. */
const nonEmpty = <T>(items: T[]): T[] | undefined => (items.length > 0 ? items : undefined);

const isNoEcho = (parameter: CfnParameter | undefined) =>
  parameter?.NoEcho === true || String(parameter?.NoEcho).toLowerCase() === 'true';

/** `Parameters` of a stack or change set: `NoEcho` values masked, SSM values as `ResolvedValue`. */
export function parametersShape(target: StackTarget) {
  const declared = target.template.Parameters ?? {};
  return Object.entries(target.parameters).map(([key, value]) => ({
    ParameterKey: key,
    ParameterValue: isNoEcho(declared[key]) ? '****' : value,
    ResolvedValue: target.resolvedParameters[key],
  }));
}

/** `Stack` (DescribeStacks). */
export function stackShape(record: StackRecord) {
  const { target } = record;
  const settings = target.settings;
  return {
    StackId: record.stackId,
    StackName: record.stackName,
    ChangeSetId: record.lastChangeSetId,
    Description: target.template.Description,
    Parameters: nonEmpty(parametersShape(target)),
    CreationTime: record.createdAt,
    DeletionTime: record.deletedAt,
    LastUpdatedTime: record.updatedAt,
    RollbackConfiguration: {},
    StackStatus: record.status,
    StackStatusReason: record.statusReason,
    DisableRollback: settings.disableRollback,
    NotificationARNs: settings.notificationArns,
    TimeoutInMinutes: settings.timeoutInMinutes,
    Capabilities: nonEmpty(settings.capabilities),
    Outputs: nonEmpty(
      record.outputDetails.map((o) => ({
        OutputKey: o.key,
        OutputValue: o.value,
        Description: o.description,
        ExportName: o.exportName,
      })),
    ),
    RoleARN: settings.roleArn,
    Tags: settings.tags,
    EnableTerminationProtection: settings.terminationProtection,
    DriftInformation: NOT_CHECKED,
  };
}

/** `StackSummary` (ListStacks). */
export const stackSummaryShape = (record: StackRecord) => ({
  StackId: record.stackId,
  StackName: record.stackName,
  TemplateDescription: record.target.template.Description,
  CreationTime: record.createdAt,
  LastUpdatedTime: record.updatedAt,
  DeletionTime: record.deletedAt,
  StackStatus: record.status,
  StackStatusReason: record.statusReason,
  DriftInformation: NOT_CHECKED,
});

/** `StackEvent` (DescribeStackEvents). */
export const stackEventShape = (record: StackRecord, event: StackEvent) => ({
  StackId: record.stackId,
  EventId: event.eventId,
  StackName: record.stackName,
  LogicalResourceId: event.logicalId,
  PhysicalResourceId: event.physicalId,
  ResourceType: event.resourceType,
  Timestamp: event.timestamp,
  ResourceStatus: event.status,
  ResourceStatusReason: event.reason,
  ResourceProperties: event.properties,
  ClientRequestToken: event.clientRequestToken,
});

const resourceStatus = (resource: ResourceRecord) => resource.status ?? 'CREATE_COMPLETE';
const resourceTime = (record: StackRecord, resource: ResourceRecord) =>
  resource.updatedAt ?? record.createdAt;

/** `StackResource` (DescribeStackResources). */
export const stackResourceShape = (record: StackRecord, logicalId: string, resource: ResourceRecord) => ({
  StackName: record.stackName,
  StackId: record.stackId,
  LogicalResourceId: logicalId,
  PhysicalResourceId: resource.physicalId,
  ResourceType: resource.type,
  Timestamp: resourceTime(record, resource),
  ResourceStatus: resourceStatus(resource),
  ResourceStatusReason: resource.statusReason,
  DriftInformation: RESOURCE_NOT_CHECKED,
});

/** `StackResourceDetail` (DescribeStackResource). */
export const stackResourceDetailShape = (
  record: StackRecord,
  logicalId: string,
  resource: ResourceRecord,
) => {
  const metadata = record.target.template.Resources[logicalId]?.Metadata;
  return {
    StackName: record.stackName,
    StackId: record.stackId,
    LogicalResourceId: logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    LastUpdatedTimestamp: resourceTime(record, resource),
    ResourceStatus: resourceStatus(resource),
    ResourceStatusReason: resource.statusReason,
    Metadata: metadata === undefined ? undefined : JSON.stringify(metadata),
    DriftInformation: RESOURCE_NOT_CHECKED,
  };
};

/** `StackResourceSummary` (ListStackResources). */
export const stackResourceSummaryShape = (
  record: StackRecord,
  logicalId: string,
  resource: ResourceRecord,
) => ({
  LogicalResourceId: logicalId,
  PhysicalResourceId: resource.physicalId,
  ResourceType: resource.type,
  LastUpdatedTimestamp: resourceTime(record, resource),
  ResourceStatus: resourceStatus(resource),
  ResourceStatusReason: resource.statusReason,
  DriftInformation: RESOURCE_NOT_CHECKED,
});

/** One `Change` of `DescribeChangeSet`. */
export function changeShape(change: ResourceChangeSummary) {
  const policyAction =
    change.action === 'Remove' ? 'Delete' : change.replacement === 'True' ? 'ReplaceAndDelete' : undefined;
  return {
    Type: 'Resource',
    ResourceChange: {
      PolicyAction: policyAction,
      Action: change.action,
      LogicalResourceId: change.logicalId,
      PhysicalResourceId: change.physicalId,
      ResourceType: change.type,
      Replacement: change.replacement,
      Scope: change.action === 'Modify' ? (change.details.length > 0 ? ['Properties'] : []) : undefined,
      Details:
        change.action === 'Modify'
          ? change.details.map((d) => ({
              Target: { Attribute: 'Properties', Name: d.name, RequiresRecreation: d.requiresRecreation },
              Evaluation: d.evaluation,
              ChangeSource: d.changeSource,
            }))
          : undefined,
    },
  };
}

/** `DescribeChangeSet`'s answer. */
export function changeSetShape(record: StackRecord, changeSet: ChangeSetRecord) {
  const { target } = changeSet;
  return {
    ChangeSetName: changeSet.changeSetName,
    ChangeSetId: changeSet.changeSetId,
    StackId: record.stackId,
    StackName: record.stackName,
    Description: changeSet.description,
    Parameters: nonEmpty(parametersShape(target)),
    CreationTime: changeSet.createdAt,
    ExecutionStatus: changeSet.executionStatus,
    Status: changeSet.status,
    StatusReason: changeSet.statusReason,
    NotificationARNs: target.settings.notificationArns,
    RollbackConfiguration: {},
    Capabilities: nonEmpty(target.settings.capabilities),
    Tags: target.settings.tags,
    Changes: changeSet.changes.map(changeShape),
    IncludeNestedStacks: false,
  };
}

/** `ChangeSetSummary` (ListChangeSets). */
export const changeSetSummaryShape = (record: StackRecord, changeSet: ChangeSetRecord) => ({
  StackId: record.stackId,
  StackName: record.stackName,
  ChangeSetId: changeSet.changeSetId,
  ChangeSetName: changeSet.changeSetName,
  ExecutionStatus: changeSet.executionStatus,
  Status: changeSet.status,
  StatusReason: changeSet.statusReason,
  CreationTime: changeSet.createdAt,
  Description: changeSet.description,
  IncludeNestedStacks: false,
});

/** `ParameterDeclaration`s (GetTemplateSummary) or `TemplateParameter`s (ValidateTemplate, `summary: false`). */
export function parameterDeclarations(
  parameters: Record<string, CfnParameter> | undefined,
  summary: boolean,
) {
  return Object.entries(parameters ?? {}).map(([key, p]) => ({
    ParameterKey: key,
    DefaultValue:
      p.Default === undefined
        ? undefined
        : Array.isArray(p.Default)
          ? p.Default.join(',')
          : String(p.Default),
    ParameterType: summary ? p.Type : undefined,
    NoEcho: isNoEcho(p),
    Description: p.Description,
    ParameterConstraints: summary ? { AllowedValues: p.AllowedValues?.map(String) } : undefined,
  }));
}
