// The Lambda runtime of one function process (started by host.ts): loads the handler named by
// `_HANDLER` from `LAMBDA_TASK_ROOT` as the Node.js runtime does, then answers `invoke` messages
// from the parent over IPC, one at a time, with a Lambda `Context`. Plain JavaScript, so it runs
// on Node.js without a TypeScript loader.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import Module, { register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

/** Where the runtime's AWS SDK is installed: a directory with `node_modules/@aws-sdk`. */
const sdkRoot = process.argv[2];
const taskRoot = resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd());

/** The request being served, for log lines (`undefined` during init, as on AWS). */
let requestId;

/** A runtime error with the type Lambda reports (`Runtime.ImportModuleError`, …). */
class RuntimeError extends Error {
  constructor(type, message) {
    super(message);
    this.name = type;
  }
}

// Lambda's Node.js runtime prefixes console output with the time, request id and level.
for (const [method, level] of Object.entries({
  log: 'INFO',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  debug: 'DEBUG',
  trace: 'TRACE',
})) {
  console[method] = (...args) => {
    const message =
      method === 'trace'
        ? `${format(...args)}\n${new Error().stack?.split('\n').slice(2).join('\n')}`
        : format(...args);
    process.stdout.write(`${new Date().toISOString()}\t${requestId}\t${level}\t${message}\n`);
  };
}

/** Whether the nearest `node_modules/@aws-sdk` above `dir` is the one under `root`. */
function sdkReachedFrom(dir, root) {
  const real = (path) => {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  };
  const target = real(join(root, 'node_modules'));
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules', '@aws-sdk'))) return real(join(at, 'node_modules')) === target;
    if (dirname(at) === at) return false;
  }
}

if (sdkRoot) {
  // CommonJS bundles: fall back to the runtime's SDK for `@aws-sdk/*` only, as on AWS.
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, isMain, options) {
    try {
      return resolveFilename.call(this, request, parent, isMain, options);
    } catch (err) {
      if (err?.code !== 'MODULE_NOT_FOUND' || !request.startsWith('@aws-sdk/')) throw err;
      return resolveFilename.call(this, request, parent, isMain, { paths: [sdkRoot] });
    }
  };
  // ES module bundles: the same through a resolve hook — unless plain resolution from the task
  // root reaches the runtime's SDK first anyway (cdk.out inside the project): the hook would
  // change nothing there, and it runs every import through a worker thread (~80 ms a start).
  if (!sdkReachedFrom(taskRoot, sdkRoot)) {
    register('./runtime-resolve.mjs', import.meta.url, {
      data: { parentURL: pathToFileURL(join(sdkRoot, 'runtime.mjs')).href },
    });
  }
}

/** The `type` of the package scope of `file`, looking no higher than the task root (as on AWS). */
function packageType(file) {
  let dir = dirname(file);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, 'utf8')).type ?? 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (dir === taskRoot || dirname(dir) === dir) return 'commonjs';
    dir = dirname(dir);
  }
}

/**
 * Compiles a CommonJS file as CommonJS whatever package scope it sits in: the task root on AWS
 * has no package.json above it, but cdk.out may sit inside a `"type": "module"` project.
 */
function requireCommonJs(file) {
  const mod = new Module(file, undefined);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  Module._cache[file] = mod;
  mod._compile(readFileSync(file, 'utf8').replace(/^#!.*/, ''), file);
  return mod.exports;
}

async function loadHandler(setting) {
  const slash = setting.lastIndexOf('/');
  const base = setting.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot <= 0) throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${setting}`);
  const moduleName = base.slice(0, dot);
  const stem = join(taskRoot, setting.slice(0, slash + 1), moduleName);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => stem + ext).find((f) => existsSync(f));
  if (!file) {
    throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'`);
  }
  let mod;
  try {
    const esm = file.endsWith('.mjs') || (file.endsWith('.js') && packageType(file) === 'module');
    mod = esm ? await import(pathToFileURL(file).href) : requireCommonJs(file);
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') {
      throw new RuntimeError('Runtime.ImportModuleError', `Error: ${err.message}`);
    }
    throw err;
  }
  const path = base.slice(dot + 1).split('.');
  const find = (root) => path.reduce((value, key) => value?.[key], root);
  const fn = find(mod) ?? find(mod?.default);
  if (typeof fn !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${setting} is undefined or not exported`);
  }
  return fn;
}

/** An error as Lambda returns it: `{ errorType, errorMessage, trace }`. */
function errorPayload(err) {
  if (err !== null && typeof err === 'object' && typeof err.message === 'string') {
    return {
      errorType: typeof err.name === 'string' && err.name ? err.name : 'Error',
      errorMessage: err.message,
      trace: typeof err.stack === 'string' ? err.stack.split('\n') : [],
    };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

function logError(kind, error) {
  const { errorType, errorMessage, trace } = error;
  console.error(`${kind} \t${JSON.stringify({ errorType, errorMessage, stack: trace })}`);
}

function context(msg, settle) {
  const env = process.env;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: msg.invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: msg.requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: undefined,
    clientContext: msg.clientContext,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadlineMs - Date.now()),
    // The legacy completion methods, still on Node.js 20's context.
    done: (err, result) => settle(err, result),
    succeed: (result) => settle(null, result),
    fail: (err) => settle(err ?? new Error('handled')),
  };
}

/** Calls the handler the ways the runtime supports: async, returning a promise, or with a callback. */
function callHandler(handler, event, msg) {
  return new Promise((resolve, reject) => {
    const settle = (err, result) => (err !== null && err !== undefined ? reject(err) : resolve(result));
    try {
      const returned = handler(event, context(msg, settle), settle);
      if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
      else if (handler.length < 3) resolve(returned);
    } catch (err) {
      reject(err);
    }
  });
}

/**
 * Tumbling-window states by the key the parent names (a mapping's shard), as JSON text: the
 * parent sends a shard's state only when this process does not hold it already (host.ts,
 * `WindowState`). Text, not the object, so every invocation gets a fresh copy, as on AWS.
 */
const windowStates = new Map();

/** The event of `msg`, its window state (if the parent keeps it here) put in place of `null`. */
function eventOf(msg) {
  const event = JSON.parse(msg.event);
  if (msg.stateKey === undefined) return event;
  if (msg.stateJson !== undefined) windowStates.set(msg.stateKey, msg.stateJson);
  event.state = JSON.parse(windowStates.get(msg.stateKey) ?? 'null');
  return event;
}

const stringify = (value) => {
  try {
    return JSON.stringify(value);
  } catch (err) {
    throw new RuntimeError('Runtime.MarshalError', `Unable to stringify response body: ${err.message}`);
  }
};

/** The answer to the parent: with a window, the returned state apart (and kept here for the next batch). */
function answerOf(result, msg) {
  const windowed =
    msg.stateKey !== undefined && result !== null && typeof result === 'object' && !Array.isArray(result);
  if (!windowed || result.state === undefined) return { payload: stringify(result) ?? 'null' };
  const { state, ...rest } = result;
  const stateJson = stringify(state);
  const payload = stringify(rest) ?? 'null';
  // Kept only once the answer is sure to go out: the parent then knows this process holds it.
  if (stateJson !== undefined) windowStates.set(msg.stateKey, stateJson);
  return stateJson === undefined ? { payload } : { payload, stateJson };
}

async function serve(handler, msg) {
  requestId = msg.requestId;
  try {
    const result = await callHandler(handler, eventOf(msg), msg);
    return answerOf(result, msg);
  } catch (err) {
    const error = errorPayload(err);
    logError('Invoke Error', error);
    return { error };
  } finally {
    requestId = undefined;
  }
}

const reply = (msg) => new Promise((resolve) => process.send(msg, () => resolve()));
// `memoryUsage.rss()`: the full `memoryUsage()` walks the heap spaces, a cost on every invocation.
const rssMb = () => Math.round(process.memoryUsage.rss() / (1024 * 1024));

// The parent is gone: nothing will ask this process for anything again.
process.on('disconnect', () => process.exit(0));

let handler;
try {
  handler = await loadHandler(process.env._HANDLER ?? 'index.handler');
} catch (err) {
  const error = errorPayload(err);
  logError('Uncaught Exception', error);
  await reply({ type: 'init-error', error });
  process.exit(1);
}

/**
 * Fault injection (local/faults, off unless asked for): the process crashes, or stops answering
 * until the host's timeout kills it, `afterMs` into the run (or just before it answers, if the
 * handler is done sooner or no `afterMs` is given). The handler may have done some or all of
 * its writes; Lambda sees a failed invocation and delivers the batch again. Never resolves.
 */
async function strike(run, msg) {
  const { kind, afterMs } = msg.fault;
  const started = Date.now();
  let timer;
  const struck =
    afterMs === undefined ? [] : [new Promise((resolve) => (timer = setTimeout(resolve, afterMs)))];
  const finished = await Promise.race([run.then(() => true), ...struck.map((p) => p.then(() => false))]);
  clearTimeout(timer);
  const at = `${Date.now() - started} ms into the invocation${finished ? ', after the handler finished' : ''}`;
  const what =
    kind === 'crash'
      ? `the function process crashes ${at}`
      : `the function stops answering ${at}, until its timeout`;
  process.stdout.write(
    `${new Date().toISOString()}\t${msg.requestId}\tERROR\t[fault injection] ${what} (WILDRYDES_FAULTS)\n`,
  );
  if (kind === 'crash') process.exit(1);
  return new Promise(() => undefined);
}

process.on('message', async (msg) => {
  if (msg?.type !== 'invoke') return;
  const run = serve(handler, msg);
  const outcome = msg.fault ? await strike(run, msg) : await run;
  await reply({ type: 'result', requestId: msg.requestId, ...outcome, rssMb: rssMb() });
});
await reply({ type: 'ready', rssMb: rssMb() });
