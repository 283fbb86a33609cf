import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEndpoint, targetConfig } from '../core/target.ts';
import { NpmStart } from '../testing/npm-start.ts';
import { copyProject, type ProjectCopy } from '../testing/project-copy.ts';

// `npm start` on a copy of the project, its files saved as a learner saves them: a handler is
// hot-swapped (the next invocation after "live" runs the new code), a stack change deploys.

const HANDLER = 'modules/04-stream-processing/starter/persist.ts';
const STACK = 'modules/04-stream-processing/stack.ts';
// Waits start where the last one ended, at the start of a line.
const LIVE = /(?:^|\n)([\w-]+): new code live in \d+\.\d s\n/;
const DEPLOYED = /✔ deployed 5 stacks in \d+\.\d s\n/;
/** A handler that says which version of it runs. */
const version = (v: string) => `export const handler = async () => '${v}';\n`;

describe('npm start takes saves: hot swap of a handler, full deploy of a stack', () => {
  let copy: ProjectCopy;
  let running: NpmStart;
  let lambda: LambdaClient;
  let seen = 0;
  let functionName = '';
  const save = (file: string, text: string) => writeFile(join(copy.root, file), text);
  const invoke = async () => {
    const res = await lambda.send(new InvokeCommand({ FunctionName: functionName }));
    return JSON.parse(Buffer.from(res.Payload ?? []).toString()) as unknown;
  };
  /** Saves a handler version, waits for the live line, invokes at once. */
  const swapTo = async (v: string) => {
    await save(HANDLER, version(v));
    const { match, end } = await running.waitFor(LIVE, seen, { timeoutMs: 120_000 });
    seen = end;
    functionName = match[1] ?? '';
    return invoke();
  };

  beforeAll(async () => {
    copy = await copyProject();
    running = await NpmStart.launch(copy.root, join(copy.root, '.wildrydes'), ['--window-seconds', '2']);
    seen = (await running.waitFor(/is running at/)).end;
    lambda = new LambdaClient(
      targetConfig('local', {}, { WILDRYDES_ENDPOINT: running.endpoint }).clientConfig,
    );
  }, 300_000);

  afterAll(async () => {
    lambda?.destroy();
    running?.kill();
    await running?.exited;
    await copy?.remove();
  });

  it('leaves its endpoint where commands in another terminal find it, without AWS_ENDPOINT_URL', () => {
    // Act
    const found = localEndpoint({ WILDRYDES_STATE_DIR: join(copy.root, '.wildrydes') });

    // Assess
    expect(found).toBe(running.endpoint);
    expect(running.endpoint).not.toBe('http://127.0.0.1:4566');
  });

  it('runs the new code in the first invocation after each "new code live" line', async () => {
    // Arrange
    const before = await lambda.send(new GetFunctionCommand({ FunctionName: 'wildrydes-persist' }));

    // Act
    const results = [];
    for (const v of ['v1', 'v2', 'v3']) results.push(await swapTo(v));
    const after = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));

    // Assess
    expect(results).toEqual(['v1', 'v2', 'v3']);
    expect(after.Configuration?.CodeSha256).not.toBe(before.Configuration?.CodeSha256);
    expect(Date.parse(after.Configuration?.LastModified ?? '')).toBeGreaterThan(
      Date.parse(before.Configuration?.LastModified ?? ''),
    );
    expect(running.output).not.toContain('redeploying');
    // Three saves leave one bundle of the function, the live one.
    const bundles = await readdir(join(copy.root, '.wildrydes', 'hotswap'));
    expect(bundles.filter((b) => b.startsWith(`${functionName}-`))).toHaveLength(1);
  }, 180_000);

  it('deploys a stack change in full while it runs, and swaps again after it', async () => {
    // Arrange
    const stack = await readFile(join(copy.root, STACK), 'utf8');
    expect(stack).toContain('batchSize: 100');

    // Act
    await save(STACK, stack.replace('batchSize: 100', 'batchSize: 7'));
    seen = (
      await running.waitFor(/stack\.ts is read by the CDK app: redeploying…/, seen, { timeoutMs: 60_000 })
    ).end;
    seen = (await running.waitFor(DEPLOYED, seen, { timeoutMs: 240_000 })).end;
    const { EventSourceMappings } = await lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: functionName }),
    );
    const deployed = await invoke();
    const swapped = await swapTo('v4');

    // Assess
    expect(EventSourceMappings?.map((m) => m.BatchSize)).toEqual([7]);
    expect(deployed).toBe('v3');
    expect(swapped).toBe('v4');
  }, 300_000);

  it('deploys the saved handler with a stack change, even when it is what the last deploy had', async () => {
    // Arrange: the last full deploy built v3; v4 was swapped in since.
    const stack = await readFile(join(copy.root, STACK), 'utf8');

    // Act
    await Promise.all([
      save(HANDLER, version('v3')),
      save(STACK, stack.replace('batchSize: 7', 'batchSize: 9')),
    ]);
    seen = (await running.waitFor(DEPLOYED, seen, { timeoutMs: 240_000 })).end;
    const result = await invoke();

    // Assess
    expect(result).toBe('v3');
  }, 300_000);
});
