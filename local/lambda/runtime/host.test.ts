import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, fixture, parse } from '../../../testing/lambda.ts';
import { eventually } from '../../../testing/local-cloud.ts';
import { fakeContext } from '../../../testing/streams.ts';
import { LambdaService } from '../service.ts';
import { lambdaEnvironment } from './environment.ts';

const ENDPOINT = 'http://127.0.0.1:1';

describe('lambdaEnvironment', () => {
  const def = fixture('inspect.handler', {
    name: 'wildrydes-aggregate',
    environment: { TABLE: 'UnicornSensorData', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIAREAL' },
  });
  const env = lambdaEnvironment(def, {
    endpoint: 'http://127.0.0.1:4566',
    logStreamName: '2026/11/22/[$LATEST]abc',
    parentEnv: { PATH: '/bin', HOME: '/home/attendee', AWS_SECRET_ACCESS_KEY: 'real', AWS_PROFILE: 'work' },
  });

  it.each([
    ['PATH', '/bin'],
    ['HOME', '/home/attendee'],
    ['TABLE', 'UnicornSensorData'],
    ['AWS_LAMBDA_FUNCTION_NAME', 'wildrydes-aggregate'],
    ['AWS_LAMBDA_FUNCTION_MEMORY_SIZE', '256'],
    ['AWS_LAMBDA_FUNCTION_VERSION', '$LATEST'],
    ['AWS_LAMBDA_LOG_GROUP_NAME', '/aws/lambda/wildrydes-aggregate'],
    ['AWS_LAMBDA_LOG_STREAM_NAME', '2026/11/22/[$LATEST]abc'],
    ['AWS_REGION', 'us-east-1'],
    ['AWS_DEFAULT_REGION', 'us-east-1'],
    ['LAMBDA_TASK_ROOT', FIXTURES],
    ['AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs22.x'],
    ['_HANDLER', 'inspect.handler'],
    ['AWS_ENDPOINT_URL', 'http://127.0.0.1:4566'],
    ['AWS_ACCESS_KEY_ID', 'test'],
    ['AWS_SECRET_ACCESS_KEY', 'test'],
    ['AWS_PROFILE', undefined],
  ])('sets %s to %s', (name, value) => {
    // Assess
    expect(env[name]).toBe(value);
  });
});

describe('function hosts', () => {
  let logDir: string;
  let service: LambdaService;
  const echoed: string[] = [];

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'lambda-logs-'));
    service = new LambdaService({ endpoint: ENDPOINT, logDir, log: (line) => echoed.push(line) });
  });
  afterAll(async () => {
    await service.stop();
    await rm(logDir, { recursive: true, force: true });
  });
  afterEach(() => {
    delete process.env.PARENT_ONLY;
  });

  it('builds the environment from scratch and hands the handler a Lambda context', async () => {
    // Prepare
    process.env.PARENT_ONLY = 'must not leak';
    await service.putFunction(
      fixture('inspect.handler', { name: 'inspect-env', environment: { TABLE: 't' } }),
    );

    // Act
    const result = await service.invoke('inspect-env', { hello: 'world' });

    // Assess
    const body = parse(result.payload);
    expect(result.functionError).toBeUndefined();
    expect(body.env.PARENT_ONLY).toBeUndefined();
    expect(body.env).toMatchObject({ TABLE: 't', AWS_ENDPOINT_URL: ENDPOINT, AWS_SECRET_ACCESS_KEY: 'test' });
    expect(body.event).toEqual({ hello: 'world' });
    expect(body.context).toMatchObject({
      awsRequestId: result.requestId,
      functionName: 'inspect-env',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:inspect-env',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/inspect-env',
    });
    expect(body.context.remaining).toBeGreaterThan(0);
    expect(body.context.remaining).toBeLessThanOrEqual(10_000);
  });

  it('gives handlers every property of the shared fake Context that handler tests use', async () => {
    // Prepare
    await service.putFunction(fixture('inspect.handler', { name: 'inspect-context' }));

    // Act
    const result = await service.invoke('inspect-context', {});

    // Assess
    expect(parse(result.payload).contextKeys).toEqual(expect.arrayContaining(Object.keys(fakeContext())));
  });

  it('returns a thrown error as { errorType, errorMessage, trace }', async () => {
    // Prepare
    await service.putFunction(fixture('inspect.handler', { name: 'inspect-throw' }));

    // Act
    const result = await service.invoke('inspect-throw', { throw: 'unicorn out of magic' });

    // Assess
    expect(result.functionError).toBe('Unhandled');
    const error = parse(result.payload);
    expect(error).toMatchObject({ errorType: 'CustomError', errorMessage: 'unicorn out of magic' });
    expect(error.trace[0]).toContain('CustomError: unicorn out of magic');
    expect(result.logs.join('\n')).toContain('Invoke Error');
  });

  it.each([
    ['cjs/index.handler', { format: 'commonjs', file: 'index.js' }],
    ['callback.handler', { echoed: { n: 1 } }],
  ])('runs %s', async (handler, expected) => {
    // Prepare
    await service.putFunction(fixture(handler));

    // Act
    const result = await service.invoke(fixture(handler).name, { n: 1 });

    // Assess
    expect(result.functionError).toBeUndefined();
    expect(parse(result.payload)).toMatchObject(expected);
  });

  it.each([
    ['missing.handler', 'Runtime.ImportModuleError', "Cannot find module 'missing'"],
    ['inspect.nothing', 'Runtime.HandlerNotFound', 'inspect.nothing is undefined or not exported'],
  ])('reports %s as %s', async (handler, errorType, message) => {
    // Prepare
    await service.putFunction(fixture(handler, { name: `bad-${errorType.replace('.', '-')}` }));

    // Act
    const result = await service.invoke(`bad-${errorType.replace('.', '-')}`, {});

    // Assess
    expect(result.functionError).toBe('Unhandled');
    expect(parse(result.payload).errorType).toBe(errorType);
    expect(parse(result.payload).errorMessage).toContain(message);
  });

  it('restarts a process that crashed', async () => {
    // Prepare
    await service.putFunction(fixture('inspect.handler', { name: 'inspect-crash' }));
    const before = parse((await service.invoke('inspect-crash', {})).payload).pid;

    // Act
    const crash = await service.invoke('inspect-crash', { exit: 3 });
    const after = await service.invoke('inspect-crash', {});

    // Assess
    expect(crash.functionError).toBe('Unhandled');
    expect(parse(crash.payload)).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(parse(crash.payload).errorMessage).toContain('exit status 3');
    expect(after.functionError).toBeUndefined();
    expect(parse(after.payload).pid).not.toBe(before);
  });

  it('reports a function whose code directory is gone instead of waiting for it', async () => {
    // Prepare
    await service.putFunction(fixture('inspect.handler', { name: 'no-code', codeDir: join(logDir, 'gone') }));

    // Act
    const result = await service.invoke('no-code', {});

    // Assess
    expect(result.functionError).toBe('Unhandled');
    expect(parse(result.payload)).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(service.logs('no-code').join('\n')).toContain('could not start');
  });

  it('kills an invocation that runs past the timeout and reports it as AWS does', async () => {
    // Prepare
    await service.putFunction(fixture('sleep.handler', { name: 'sleepy', timeoutSeconds: 1 }));

    // Act
    const late = await service.invoke('sleepy', { ms: 5_000 });
    const quick = await service.invoke('sleepy', { ms: 0 });

    // Assess
    expect(late.functionError).toBe('Unhandled');
    expect(parse(late.payload)).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect(parse(late.payload).errorMessage).toContain('Task timed out after 1.00 seconds');
    expect(service.logs('sleepy').join('\n')).toContain('Task timed out after 1.00 seconds');
    expect(parse(quick.payload)).toEqual({ slept: 0 });
  });

  it('prefixes output with the function name and keeps it in memory and in <logDir>/<function>.log', async () => {
    // Prepare
    await service.putFunction(fixture('inspect.handler', { name: 'inspect-logs' }));

    // Act
    const result = await service.invoke('inspect-logs', { log: 'unicorn sighted' });

    // Assess
    expect(echoed.some((l) => /^\[inspect-logs\] \S+\t\S+\tINFO\tunicorn sighted$/.test(l))).toBe(true);
    expect(echoed).toContain('[inspect-logs] stderr: unicorn sighted');
    const lines = service.logs('inspect-logs');
    expect(lines.some((l) => l.startsWith(`START RequestId: ${result.requestId}`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`REPORT RequestId: ${result.requestId}`))).toBe(true);
    expect(result.logs.some((l) => l.includes(`${result.requestId}\tINFO\tunicorn sighted`))).toBe(true);
    const file = await eventually(async () => {
      const text = await readFile(join(logDir, 'inspect-logs.log'), 'utf8');
      return text.includes('stderr: unicorn sighted') ? text : undefined;
    });
    expect(file).toContain(`END RequestId: ${result.requestId}`);
  });

  it('keeps the result of an invocation in flight when the function is updated', async () => {
    // Prepare
    await service.putFunction(fixture('sleep.handler', { name: 'updated', environment: { VERSION: '1' } }));
    const inFlight = service.invoke('updated', { ms: 400 });
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Act
    await service.putFunction(fixture('inspect.handler', { name: 'updated', environment: { VERSION: '2' } }));
    const next = await service.invoke('updated', {});

    // Assess
    expect(parse((await inFlight).payload)).toEqual({ slept: 400 });
    expect(parse(next.payload).env.VERSION).toBe('2');
  });

  it('provides the runtime AWS SDK to bundles outside this repository, ESM and CommonJS', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'lambda-code-'));
    await writeFile(
      join(dir, 'esm.mjs'),
      "import { SQSClient } from '@aws-sdk/client-sqs';\nexport const handler = async () => typeof SQSClient;\n",
    );
    await writeFile(
      join(dir, 'cjs.js'),
      "const { SQSClient } = require('@aws-sdk/client-sqs');\nexports.handler = async () => typeof SQSClient;\n",
    );
    await service.putFunction(fixture('esm.handler', { name: 'sdk-esm', codeDir: dir }));
    await service.putFunction(fixture('cjs.handler', { name: 'sdk-cjs', codeDir: dir }));

    // Act
    const results = await Promise.all([service.invoke('sdk-esm', {}), service.invoke('sdk-cjs', {})]);

    // Assess
    expect(results.map((r) => r.payload)).toEqual(['"function"', '"function"']);
    await rm(dir, { recursive: true, force: true });
  });
});
