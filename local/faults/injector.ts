import type { GatewayRequest, GatewayResponse, ServiceHandler } from '../types.ts';
import { type InvocationFault, invocationDecision, throttleDecision } from './decide.ts';
import { DrawStream } from './draws.ts';
import { describeFaultPlan, type FaultPlan, THROTTLED_SERVICES, type ThrottledService } from './plan.ts';
import { type FaultShapes, operationOf } from './shapes.ts';

/** What the Lambda service asks before each invocation by an event source mapping. */
export interface InvocationFaults {
  /** The fault this invocation of `functionName` suffers, if any. */
  invocationFault(functionName: string): InvocationFault | undefined;
  /** Whether Lambda ends the open tumbling window of `functionName` early after this invocation. */
  windowEndsEarly?(functionName: string): boolean;
}

/** How many faults were injected so far: for tests, and for `/_wildrydes/health`. */
export interface FaultStats {
  /** Calls answered with a throttling error, by `service.Operation`. */
  refused: Record<string, number>;
  /** Batch calls answered 200 with some entries failed, by `service.Operation`. */
  partial: Record<string, { calls: number; entries: number }>;
  /** Invocations whose process crashed, by function. */
  crashes: Record<string, number>;
  /** Invocations that hung until their timeout, by function. */
  timeouts: Record<string, number>;
  /** Tumbling windows ended early, by function. */
  earlyWindows?: Record<string, number>;
}

const isThrottled = (service: string): service is ThrottledService =>
  (THROTTLED_SERVICES as readonly string[]).includes(service);

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Carries out a `FaultPlan`: in the gateway (`serve`, in front of a service's handler) and in the
 * Lambda service (`invocationFault`). One seeded draw stream per service and per function.
 */
export class FaultInjector implements InvocationFaults {
  private readonly streams = new Map<string, DrawStream>();
  private readonly counts: FaultStats = { refused: {}, partial: {}, crashes: {}, timeouts: {} };

  /** `shapes`: how each throttled service answers a fault, in its own protocol. */
  constructor(
    readonly plan: FaultPlan,
    private readonly shapes: Record<ThrottledService, FaultShapes>,
  ) {}

  /** Answers a request through `next`, unless the plan throttles it. */
  async serve(req: GatewayRequest, next: ServiceHandler): Promise<GatewayResponse> {
    const { service } = req;
    if (!isThrottled(service)) return next(req);
    const rate = this.plan.throttle[service];
    if (!rate) return next(req);
    const shapes = this.shapes[service];
    const operation = operationOf(req.headers);
    const decision = throttleDecision(service, operation, rate, this.stream(`service:${service}`), () =>
      shapes.entryCount(req),
    );
    if (!decision) return next(req);
    const key = `${service}.${operation}`;
    if (decision.kind === 'refuse') {
      bump(this.counts.refused, key);
      return shapes.refused(req, decision.errorType);
    }
    if (!shapes.partial) return next(req);
    const partial = this.counts.partial[key] ?? { calls: 0, entries: 0 };
    this.counts.partial[key] = {
      calls: partial.calls + 1,
      entries: partial.entries + decision.rejected.length,
    };
    const call = shapes.partial(req, decision.rejected);
    return call.answer(call.forward ? await next(call.forward) : undefined);
  }

  windowEndsEarly(functionName: string): boolean {
    const rate = this.plan.window ?? 0;
    if (rate <= 0 || this.stream(`window:${functionName}`).next() >= rate) return false;
    this.counts.earlyWindows ??= {};
    bump(this.counts.earlyWindows, functionName);
    return true;
  }

  invocationFault(functionName: string): InvocationFault | undefined {
    const fault = invocationDecision(this.plan, this.stream(`function:${functionName}`));
    if (fault) bump(fault.kind === 'crash' ? this.counts.crashes : this.counts.timeouts, functionName);
    return fault;
  }

  /** A copy of the counts so far. */
  stats(): FaultStats {
    return structuredClone(this.counts);
  }

  /** The plan in one line, e.g. `10% of kinesis calls throttled, … (seed 7)`. */
  describe(): string {
    return describeFaultPlan(this.plan);
  }

  private stream(name: string): DrawStream {
    let stream = this.streams.get(name);
    if (!stream) {
      stream = new DrawStream(this.plan.seed, name);
      this.streams.set(name, stream);
    }
    return stream;
  }
}
