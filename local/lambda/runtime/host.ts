import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { InvocationFault } from '../../faults/index.ts';
import type { FunctionDefinition } from '../../types.ts';
import { functionArn } from '../arn.ts';
import { lambdaEnvironment, logStreamName } from './environment.ts';
import { type FunctionLog, isErrorLine, LineSplitter } from './logs.ts';

/** An error as Lambda returns it in the payload of a failed invocation. */
export interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/**
 * A tumbling window's state, handed to the function as the event's `state` (the event carries
 * `null` there). The process keeps the state its function returns, under `key` (a mapping's
 * shard), so the next invocation of that shard in the same process sends only the key: a state
 * can hold every unicorn of the shard, and crossing to the process and back on every batch was
 * the biggest cost of a busy mapping.
 */
export interface WindowState {
  key: string;
  json: string;
}

/** How to invoke: the caller's client context, an injected fault, and the event's record count if known. */
export interface InvokeOptions {
  clientContext?: unknown;
  fault?: InvocationFault;
  /** Records in the event, for the invocation's log line (else counted from the event). */
  records?: number;
  windowState?: WindowState;
}

/** The result of one invocation. */
export interface InvokeResult {
  requestId: string;
  /** JSON text: the handler's result, or the `ErrorPayload` when `functionError` is set. */
  payload: string;
  /** `Unhandled` when the function failed (threw, timed out, crashed, could not load). */
  functionError?: 'Unhandled';
  /** The log lines of this invocation, START to REPORT. */
  logs: string[];
  /** With `windowState`: the `state` the function returned, as JSON text (left out of `payload`). */
  stateJson?: string;
}

export interface HostOptions {
  /** The local cloud's URL, the function's `AWS_ENDPOINT_URL`. */
  endpoint: string;
  log: FunctionLog;
  /** A directory whose node_modules provides `@aws-sdk/*`, as Lambda's runtime does. */
  sdkRoot?: string;
}

type ChildMessage =
  | { type: 'ready'; rssMb?: number }
  | { type: 'init-error'; error: ErrorPayload }
  | {
      type: 'result';
      requestId: string;
      payload?: string;
      stateJson?: string;
      error?: ErrorPayload;
      rssMb?: number;
    };

interface Outcome {
  payload?: string;
  stateJson?: string;
  error?: ErrorPayload;
}

interface Running {
  child: ChildProcess;
  /** Resolves when init is done: `undefined` when the handler loaded, its error otherwise. */
  init: Promise<ErrorPayload | undefined>;
  initMs?: number;
  exited: boolean;
}

const BOOTSTRAP = fileURLToPath(new URL('./bootstrap.mjs', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Lambda gives a function's init phase 10 s. */
const INIT_TIMEOUT_MS = 10_000;

/** Records in a Kinesis or SQS event (`{"Records":[…]}`), without parsing a large event twice. */
function recordCount(event: string): number | undefined {
  if (!event.startsWith('{"Records":[')) return undefined;
  try {
    const parsed = JSON.parse(event) as { Records?: unknown };
    return Array.isArray(parsed.Records) ? parsed.Records.length : undefined;
  } catch {
    return undefined;
  }
}

/** A second of the event loop, so output the child wrote before its answer is read first. */
const drainOutput = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * Runs one function in its own Node.js process (bootstrap.mjs), kept warm between invocations
 * and restarted after a crash or a timeout. Invocations run one at a time, in order, as in one
 * Lambda execution environment; each has the function's timeout.
 */
export class FunctionHost {
  private running?: Running;
  private queue: Promise<unknown> = Promise.resolve();
  private maxRssMb = 0;
  /** The window states the running process holds, by key (`WindowState`). */
  private readonly held = new Map<string, string>();

  constructor(
    readonly def: FunctionDefinition,
    private readonly opts: HostOptions,
  ) {}

  /** Starts the process (and loads the handler) ahead of the first invocation. */
  warm(): void {
    this.start();
  }

  /** Whether the running process holds a window state under `key`. */
  holds(key: string): boolean {
    return this.running !== undefined && this.held.has(key);
  }

  /**
   * Invokes the function with an event (JSON text); queued behind earlier invocations. A `fault`
   * (fault injection) makes the process crash or hang at a point of this run.
   */
  invoke(event: string, opts: InvokeOptions = {}): Promise<InvokeResult> {
    const result = this.queue.then(() => this.run(event, opts));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Lets queued invocations finish, then stops the process. */
  async retire(): Promise<void> {
    await this.queue;
    await this.kill();
  }

  /** Stops the process now. */
  async kill(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running || running.exited) return;
    const exited = new Promise((resolve) => running.child.once('exit', resolve));
    running.child.kill('SIGKILL');
    await exited;
  }

  private start(): Running {
    if (this.running && !this.running.exited) return this.running;
    this.held.clear();
    const { def, opts } = this;
    const child = fork(BOOTSTRAP, [opts.sdkRoot ?? REPO_ROOT], {
      cwd: def.codeDir,
      env: lambdaEnvironment(def, { endpoint: opts.endpoint, logStreamName: logStreamName() }),
      // Not the parent's flags: under tsx or vitest they would load a TypeScript loader.
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // The event and the state cross as JSON text already: V8's serializer copies a string as
      // it is, where 'json' escapes every quote in it again (half the channel's CPU, measured).
      serialization: 'advanced',
    });
    const started = performance.now();
    const running: Running = { child, exited: false, init: Promise.resolve(undefined) };
    for (const stream of [child.stdout, child.stderr]) {
      const lines = new LineSplitter();
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        for (const line of lines.push(chunk)) opts.log.append(line);
      });
      stream?.on('end', () => {
        for (const line of lines.flush()) opts.log.append(line);
      });
    }
    running.init = new Promise((resolve) => {
      const timer = setTimeout(() => {
        void this.kill();
        resolve(
          runtimeError('Runtime.InitTimeout', `INIT timed out after ${INIT_TIMEOUT_MS / 1000} seconds`),
        );
      }, INIT_TIMEOUT_MS);
      const done = (error: ErrorPayload | undefined) => {
        clearTimeout(timer);
        running.initMs = performance.now() - started;
        resolve(error);
      };
      child.on('message', (msg: ChildMessage) => {
        if (msg.type === 'ready') done(undefined);
        else if (msg.type === 'init-error') done(msg.error);
        if ('rssMb' in msg && msg.rssMb) this.maxRssMb = Math.max(this.maxRssMb, msg.rssMb);
      });
      child.once('exit', (code, signal) => done(exitError(undefined, code, signal)));
    });
    child.once('exit', () => {
      running.exited = true;
      if (this.running === running) this.running = undefined;
    });
    // A process that cannot start at all (its codeDir is gone) emits 'error' and never 'exit':
    // report it as an exit, as a shell would (127), so waiting invocations get their answer.
    child.on('error', (err) => {
      if (child.pid !== undefined) return;
      opts.log.append(`the function process could not start: ${err.message}`);
      child.emit('exit', 127, null);
    });
    this.running = running;
    return running;
  }

  private async run(event: string, opts: InvokeOptions): Promise<InvokeResult> {
    const { records } = opts;
    const { log } = this.opts;
    const requestId = randomUUID();
    const mark = log.mark();
    const started = performance.now();
    log.append(`START RequestId: ${requestId} Version: $LATEST`, { echo: false });
    const running = this.start();
    const cold = running.initMs === undefined;
    const initError = await running.init;
    const outcome = initError ? { error: initError } : await this.exchange(running, requestId, event, opts);
    await drainOutput();
    const ms = performance.now() - started;
    const init =
      cold && running.initMs !== undefined ? `\tInit Duration: ${running.initMs.toFixed(2)} ms` : '';
    log.append(`END RequestId: ${requestId}`, { echo: false });
    log.append(
      `REPORT RequestId: ${requestId}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.ceil(ms)} ms\tMemory Size: ${this.def.memorySizeMb} MB\tMax Memory Used: ${this.maxRssMb} MB${init}`,
      { echo: false },
    );
    const logs = log.since(mark);
    log.invoked({
      ms,
      records: records ?? recordCount(event),
      error: outcome.error && `${outcome.error.errorType}: ${outcome.error.errorMessage}`,
      errorLines: logs.filter(isErrorLine).length,
    });
    if (outcome.error) {
      return { requestId, payload: JSON.stringify(outcome.error), functionError: 'Unhandled', logs };
    }
    return { requestId, payload: outcome.payload ?? 'null', logs, stateJson: outcome.stateJson };
  }

  private exchange(
    running: Running,
    requestId: string,
    event: string,
    { clientContext, fault, windowState }: InvokeOptions,
  ): Promise<Outcome> {
    const { child } = running;
    const timeoutSeconds = this.def.timeoutSeconds;
    return new Promise((resolve) => {
      const finish = (outcome: Outcome) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(outcome);
      };
      const onMessage = (msg: ChildMessage) => {
        if (msg.type !== 'result' || msg.requestId !== requestId) return;
        if (msg.rssMb) this.maxRssMb = Math.max(this.maxRssMb, msg.rssMb);
        if (windowState && msg.stateJson !== undefined) this.held.set(windowState.key, msg.stateJson);
        finish(msg.error ? { error: msg.error } : { payload: msg.payload, stateJson: msg.stateJson });
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        finish({ error: exitError(requestId, code, signal) });
      const timer = setTimeout(() => {
        const message = `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
        this.opts.log.append(`${new Date().toISOString()} ${requestId} ${message}`);
        finish({ error: runtimeError('Sandbox.Timedout', `RequestId: ${requestId} Error: ${message}`) });
        // The process may be stuck in a loop: only a new one is sure to answer the next invocation.
        void this.kill();
      }, timeoutSeconds * 1000);
      child.on('message', onMessage);
      child.once('exit', onExit);
      if (running.exited) return onExit(child.exitCode, child.signalCode);
      // The state crosses only when the process does not hold this very text already.
      const sendState = windowState && this.held.get(windowState.key) !== windowState.json;
      if (windowState) this.held.set(windowState.key, windowState.json);
      child.send({
        type: 'invoke',
        requestId,
        event,
        deadlineMs: Date.now() + timeoutSeconds * 1000,
        invokedFunctionArn: functionArn(this.def.name),
        clientContext,
        ...(fault && { fault }),
        ...(windowState && { stateKey: windowState.key }),
        ...(sendState && { stateJson: windowState.json }),
      });
    });
  }
}

const runtimeError = (errorType: string, errorMessage: string): ErrorPayload => ({
  errorType,
  errorMessage,
  trace: [],
});

function exitError(requestId: string | undefined, code: number | null, signal: string | null): ErrorPayload {
  const how = signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code}`;
  const prefix = requestId ? `RequestId: ${requestId} ` : '';
  return runtimeError('Runtime.ExitError', `${prefix}Error: Runtime exited with error: ${how}`);
}
