import type { FunctionDefinition } from '../../types.ts';
import { FunctionHost, type HostOptions, type InvokeOptions, type InvokeResult } from './host.ts';

/** Execution environments one function may have at once, unless told otherwise. */
export const DEFAULT_MAX_HOSTS = 10;

/**
 * A function's execution environments, as Lambda scales them: an invocation takes an idle one,
 * or starts another while fewer than `maxHosts` run, or waits for one. A mapping invokes once
 * per shard at a time, so a stream of ten shards keeps up to ten busy, as Lambda's concurrency
 * does; each environment is a `FunctionHost`, one process, one invocation at a time.
 */
export class HostPool {
  private readonly hosts: FunctionHost[] = [];
  private readonly idle: FunctionHost[] = [];
  private readonly waiting: ((host: FunctionHost) => void)[] = [];
  /** Invocations taken and not finished, waiting ones included. */
  private active = 0;
  private drained?: () => void;

  constructor(
    readonly def: FunctionDefinition,
    private readonly opts: HostOptions & { maxHosts?: number },
  ) {}

  /** Environments started so far, idle or busy. */
  get environments(): number {
    return this.hosts.length;
  }

  /** Starts the first environment ahead of the first invocation (if it has none yet). */
  warm(): void {
    if (this.hosts.length > 0) return;
    const host = this.start();
    host.warm();
    this.idle.push(host);
  }

  /** Invokes the function in an idle environment, a new one, or the next one freed. */
  async invoke(event: string, opts: InvokeOptions = {}): Promise<InvokeResult> {
    this.active++;
    const host = await this.acquire(opts.windowState?.key);
    try {
      return await host.invoke(event, opts);
    } finally {
      this.release(host);
    }
  }

  /** Lets the invocations taken so far finish, then stops every environment. */
  async retire(): Promise<void> {
    if (this.active > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    await Promise.all(this.hosts.map((h) => h.retire()));
  }

  private start(): FunctionHost {
    const host = new FunctionHost(this.def, this.opts);
    this.hosts.push(host);
    return host;
  }

  /** An idle environment (the one holding the window state of `key`, if idle), a new one, or the next freed. */
  private acquire(key?: string): Promise<FunctionHost> {
    const holder = key === undefined ? -1 : this.idle.findIndex((h) => h.holds(key));
    const idle = holder >= 0 ? this.idle.splice(holder, 1)[0] : this.idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.hosts.length < (this.opts.maxHosts ?? DEFAULT_MAX_HOSTS)) return Promise.resolve(this.start());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(host: FunctionHost): void {
    this.active--;
    const next = this.waiting.shift();
    if (next) next(host);
    else this.idle.push(host);
    if (this.active === 0) this.drained?.();
  }
}
