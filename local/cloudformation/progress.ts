/** Progress of a deploy or destroy, for a live line in the CLI. */

/** What happens to a resource. */
export type ResourceAction = 'CREATE' | 'UPDATE' | 'REPLACE' | 'DELETE';

/** Short resource type for progress lines: `AWS::Kinesis::Stream` → `Kinesis::Stream`. */
export const shortType = (type: string): string => type.replace(/^AWS::/, '');

/** The name to show for a deployed resource: queue and topic names rather than their URL or ARN. */
export const displayName = (resource: { physicalId: string; attributes: Record<string, string> }): string =>
  resource.attributes.QueueName ?? resource.attributes.TopicName ?? resource.physicalId;

/** Counts of what a stack deploy did. */
export interface ChangeCounts {
  created: number;
  updated: number;
  replaced: number;
  deleted: number;
  unchanged: number;
}

/**
 * One step: a stack starts, a resource is about to change, a stack is done. `String(event)` is
 * the line to print, e.g. `deploying stack WildRydesStreaming: CREATE Kinesis::Stream wildrydes`.
 */
export class DeployProgressEvent {
  constructor(
    readonly operation: 'deploy' | 'destroy',
    readonly stack: string,
    readonly kind: 'start' | 'resource' | 'done',
    readonly resource?: {
      action: ResourceAction;
      type: string;
      logicalId: string;
      /** The physical name, when known before the change. */
      name: string;
    },
    readonly summary?: { counts: ChangeCounts; seconds: number },
  ) {}

  /** The progress line. */
  get message(): string {
    const verb = this.operation === 'deploy' ? 'deploying' : 'destroying';
    const head = `${verb} stack ${this.stack}`;
    if (this.kind === 'start') return `${head}…`;
    if (this.kind === 'resource' && this.resource) {
      return `${head}: ${this.resource.action} ${shortType(this.resource.type)} ${this.resource.name}`;
    }
    const seconds = this.summary ? ` in ${this.summary.seconds.toFixed(1)} s` : '';
    if (this.operation === 'destroy') return `destroyed stack ${this.stack}${seconds}`;
    const c = this.summary?.counts;
    if (!c) return `deployed stack ${this.stack}`;
    const parts = [
      c.created && `${c.created} created`,
      c.updated && `${c.updated} updated`,
      c.replaced && `${c.replaced} replaced`,
      c.deleted && `${c.deleted} deleted`,
    ].filter(Boolean);
    return `deployed stack ${this.stack}: ${parts.length ? parts.join(', ') : 'no changes'}${seconds}`;
  }

  toString(): string {
    return this.message;
  }
}

/** Receives progress events; must not throw. */
export type ProgressListener = (event: DeployProgressEvent) => void;
