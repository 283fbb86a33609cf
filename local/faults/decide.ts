/**
 * What a fault looks like for one call or one invocation: pure decisions from a draw stream, so
 * every rule is table-tested without a cloud.
 */
import type { ThrottledService } from './plan.ts';

/** Something that hands out numbers in [0, 1): a `DrawStream`, or a list in tests. */
export interface Draws {
  next(): number;
}

/** Data-plane operations, the ones AWS throttles by throughput (control-plane calls never are here). */
const THROTTLED_OPERATIONS: Record<ThrottledService, ReadonlySet<string> | 'all'> = {
  kinesis: new Set(['PutRecord', 'PutRecords', 'GetRecords']),
  dynamodb: new Set([
    'GetItem',
    'PutItem',
    'UpdateItem',
    'DeleteItem',
    'BatchGetItem',
    'BatchWriteItem',
    'Query',
    'Scan',
    'TransactGetItems',
    'TransactWriteItems',
  ]),
  comprehend: 'all',
};

/** Operations that take many entries and may fail only some of them in a 200 response. */
export const PARTIAL_OPERATIONS: Partial<Record<ThrottledService, string>> = {
  kinesis: 'PutRecords',
  dynamodb: 'BatchWriteItem',
};

/** Whether AWS throttles this operation of this service by throughput. */
export function isThrottledOperation(service: ThrottledService, operation: string): boolean {
  const operations = THROTTLED_OPERATIONS[service];
  return operations === 'all' || operations.has(operation);
}

/** How a throttled call answers. */
export type ThrottleDecision =
  /** The whole call fails with this error type (HTTP 400). */
  | { kind: 'refuse'; errorType: string }
  /** A 200 in which these entries (indexes into the request's entries) failed. */
  | { kind: 'partial'; rejected: number[] };

/** The throttling error each service answers with; DynamoDB has two. */
function refusal(service: ThrottledService, draws: Draws): ThrottleDecision {
  if (service === 'comprehend') return { kind: 'refuse', errorType: 'ThrottlingException' };
  if (service === 'kinesis') return { kind: 'refuse', errorType: 'ProvisionedThroughputExceededException' };
  return {
    kind: 'refuse',
    errorType: draws.next() < 0.5 ? 'ProvisionedThroughputExceededException' : 'ThrottlingException',
  };
}

/**
 * Whether a call that the plan throttles at `rate` is throttled, and how. A throttled batch call
 * (`PutRecords`, `BatchWriteItem`) with entries fails as a whole half the time; otherwise it
 * succeeds with about half of its entries (at least one) failed, as when one shard or partition
 * is hot. `entries` is read only for a throttled batch call.
 */
export function throttleDecision(
  service: ThrottledService,
  operation: string,
  rate: number,
  draws: Draws,
  entries: () => number,
): ThrottleDecision | undefined {
  if (rate <= 0 || !isThrottledOperation(service, operation)) return undefined;
  if (draws.next() >= rate) return undefined;
  const count = PARTIAL_OPERATIONS[service] === operation ? entries() : 0;
  if (count === 0 || draws.next() < 0.5) return refusal(service, draws);
  const rejected: number[] = [];
  for (let i = 0; i < count; i++) if (draws.next() < 0.5) rejected.push(i);
  if (rejected.length === 0) rejected.push(Math.min(count - 1, Math.floor(draws.next() * count)));
  return { kind: 'partial', rejected };
}

/** A failure of one invocation, carried out by the function's process (see bootstrap.mjs). */
export interface InvocationFault {
  /** `crash`: the process exits. `timeout`: it stops answering until the host's timeout kills it. */
  kind: 'crash' | 'timeout';
  /**
   * How far into the run it strikes, in ms (a handler that finishes sooner is struck before it
   * answers). Absent: just before the answer, when the handler has done all its work.
   */
  afterMs?: number;
}

/** The latest point of a run at which a fault strikes mid-run, in ms: most handlers here take less. */
export const STRIKE_WINDOW_MS = 100;

/**
 * Whether one invocation fails, and how: `crash` and `timeout` are fractions of invocations.
 * Half the faults strike just before the answer (every write done, the answer lost: the case
 * at-least-once delivery is about), half at a random point of the run's first 100 ms.
 */
export function invocationDecision(
  rates: { crash: number; timeout: number },
  draws: Draws,
): InvocationFault | undefined {
  if (rates.crash <= 0 && rates.timeout <= 0) return undefined;
  const u = draws.next();
  if (u >= rates.crash + rates.timeout) return undefined;
  const kind = u < rates.crash ? 'crash' : 'timeout';
  if (draws.next() < 0.5) return { kind };
  return { kind, afterMs: Math.floor(draws.next() * STRIKE_WINDOW_MS) };
}
