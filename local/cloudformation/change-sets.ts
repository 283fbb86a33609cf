/**
 * Change sets: what a template would change, computed when the change set is created, kept on
 * the stack until it is executed or deleted. Finding one by name or ARN, as CloudFormation does.
 */
import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../types.ts';
import { computeChanges, type ResourceChangeSummary } from './changes.ts';
import { deepEqual } from './diff.ts';
import { pseudoParameters, type StackPlan } from './plan.ts';
import type { ProviderLookup } from './providers/index.ts';
import { ChangeSetNotFoundError } from './request-errors.ts';
import type { StackStore } from './stack-store.ts';
import type { ChangeSetRecord, StackRecord, StackTarget } from './state.ts';

/** CloudFormation's reason for a change set that changes nothing; the CDK CLI matches on it. */
export const NO_CHANGES_REASON =
  "The submitted information didn't contain changes. Submit different information to create a change set.";

/** A change set ARN: `arn:aws:cloudformation:us-east-1:000000000000:changeSet/NAME/UUID`. */
export const newChangeSetId = (name: string): string =>
  `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:changeSet/${name}/${randomUUID()}`;

const isArn = (value: string) => value.startsWith('arn:');

/** The resource changes of deploying `target` on `record` (everything is added for a new stack). */
export function changesOf(
  store: StackStore,
  record: StackRecord,
  target: StackTarget,
  plan: StackPlan,
  providerOf: ProviderLookup,
): ResourceChangeSummary[] {
  return computeChanges({
    stackName: record.stackName,
    plan,
    template: target.template,
    deployed: record.resources,
    pseudo: pseudoParameters(record.stackName, record.stackId, target.settings.notificationArns),
    exportValue: (name) => store.exportValue(name, record.stackName),
    assemblyDir: target.assemblyDir,
    assets: target.assets,
    providerOf,
  });
}

/** What creating a change set decides: its changes, or that it failed (no changes, or the template cannot deploy). */
export function newChangeSet(opts: {
  name: string;
  type: 'CREATE' | 'UPDATE';
  description?: string;
  target: StackTarget;
  /** The stack's current target, for an update (to tell whether anything changes). */
  current?: StackTarget;
  /** The changes, or the error that stopped computing them. */
  changes: ResourceChangeSummary[] | Error;
}): ChangeSetRecord {
  const base = {
    changeSetId: newChangeSetId(opts.name),
    changeSetName: opts.name,
    type: opts.type,
    description: opts.description,
    createdAt: new Date().toISOString(),
    target: opts.target,
  };
  if (opts.changes instanceof Error) {
    return {
      ...base,
      status: 'FAILED',
      executionStatus: 'UNAVAILABLE',
      statusReason: opts.changes.message,
      changes: [],
    };
  }
  const unchanged =
    opts.type === 'UPDATE' &&
    opts.current !== undefined &&
    opts.changes.length === 0 &&
    !stackSettingsChanged(opts.current, opts.target);
  return unchanged
    ? {
        ...base,
        status: 'FAILED',
        executionStatus: 'UNAVAILABLE',
        statusReason: NO_CHANGES_REASON,
        changes: [],
      }
    : { ...base, status: 'CREATE_COMPLETE', executionStatus: 'AVAILABLE', changes: opts.changes };
}

/** A change set and its stack. */
export interface FoundChangeSet {
  stack: StackRecord;
  changeSet: ChangeSetRecord;
}

/**
 * Finds a change set by ARN (the stack is optional then) or by name within `stack`.
 * @throws ChangeSetNotFoundError
 */
export function findChangeSet(store: StackStore, changeSet: string, stack?: string): FoundChangeSet {
  const stacks = stack ? [store.find(stack)].filter((s): s is StackRecord => s !== undefined) : store.live();
  for (const record of stacks) {
    const found = record.changeSets.find((cs) =>
      isArn(changeSet) ? cs.changeSetId === changeSet : cs.changeSetName === changeSet,
    );
    if (found) return { stack: record, changeSet: found };
  }
  throw new ChangeSetNotFoundError(changeSet);
}

/**
 * Whether a target changes anything besides resources: outputs, parameter values, tags,
 * notification topics or the description (CloudFormation updates the stack for these too).
 */
export function stackSettingsChanged(previous: StackTarget, next: StackTarget): boolean {
  const tags = (t: StackTarget) => Object.fromEntries(t.settings.tags.map((tag) => [tag.Key, tag.Value]));
  return (
    !deepEqual(previous.template.Outputs ?? {}, next.template.Outputs ?? {}) ||
    previous.template.Description !== next.template.Description ||
    !deepEqual(previous.parameters, next.parameters) ||
    !deepEqual(previous.resolvedParameters, next.resolvedParameters) ||
    !deepEqual(tags(previous), tags(next)) ||
    !deepEqual([...previous.settings.notificationArns].sort(), [...next.settings.notificationArns].sort())
  );
}
