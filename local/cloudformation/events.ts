/**
 * Stack events: one per resource transition and per stack status change, as
 * `DescribeStackEvents` lists them (newest first there; kept oldest first here).
 */
import { randomUUID } from 'node:crypto';
import type { ResourceStatus, StackStatus } from './status.ts';

/** The resource type of a stack's own events. */
export const STACK_RESOURCE_TYPE = 'AWS::CloudFormation::Stack';

/** One stack event. */
export interface StackEvent {
  eventId: string;
  logicalId: string;
  physicalId: string;
  resourceType: string;
  /** ISO 8601 with milliseconds; strictly increasing within a stack. */
  timestamp: string;
  status: ResourceStatus | StackStatus;
  reason?: string;
  /** The resource's properties as JSON text, as the event shows them. */
  properties?: string;
  clientRequestToken?: string;
}

/** What a stack keeps for its events. */
export interface EventLog {
  stackName: string;
  stackId: string;
  events: StackEvent[];
}

/** Older events are dropped beyond this many per stack. */
const MAX_EVENTS = 2000;

/** A timestamp after the stack's last event, so events sort in the order they happened. */
function nextTimestamp(log: EventLog): string {
  const now = Date.now();
  const last = log.events.at(-1);
  const after = last ? Date.parse(last.timestamp) + 1 : 0;
  return new Date(Math.max(now, after)).toISOString();
}

/** Appends an event; resource events get AWS's `LogicalId-STATUS-timestamp` ids, stack events UUIDs. */
export function recordEvent(log: EventLog, event: Omit<StackEvent, 'eventId' | 'timestamp'>): StackEvent {
  const timestamp = nextTimestamp(log);
  const eventId =
    event.resourceType === STACK_RESOURCE_TYPE && event.logicalId === log.stackName
      ? randomUUID()
      : `${event.logicalId}-${event.status}-${timestamp}`;
  const full: StackEvent = { eventId, timestamp, ...withoutUndefined(event) };
  log.events.push(full);
  if (log.events.length > MAX_EVENTS) log.events.splice(0, log.events.length - MAX_EVENTS);
  return full;
}

/** Records a status change of the stack itself. */
export function recordStackEvent(
  log: EventLog,
  status: StackStatus,
  reason?: string,
  clientRequestToken?: string,
): StackEvent {
  return recordEvent(log, {
    logicalId: log.stackName,
    physicalId: log.stackId,
    resourceType: STACK_RESOURCE_TYPE,
    status,
    reason,
    clientRequestToken,
  });
}

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
