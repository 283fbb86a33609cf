import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, parse } from '../../../testing/lambda.ts';
import { FunctionLog } from './logs.ts';
import { HostPool } from './pool.ts';

// A function's execution environments scale with the invocations in flight, as Lambda's
// concurrency does (a mapping on ten shards invokes ten at a time), up to a cap.

describe('a pool of function hosts', () => {
  let dir: string;
  let log: FunctionLog;
  const pool = (maxHosts: number) =>
    new HostPool(fixture('inspect.handler'), { endpoint: 'http://127.0.0.1:1', log, maxHosts });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pool-logs-'));
    log = new FunctionLog('fn-inspect', { logDir: dir });
  });
  afterAll(async () => {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  });

  const pidOf = async (p: HostPool) => parse((await p.invoke('{}')).payload).pid as number;

  it('reuses one warm environment for invocations one after another', async () => {
    // Prepare
    const hosts = pool(4);
    hosts.warm();

    // Act
    const pids = [await pidOf(hosts), await pidOf(hosts), await pidOf(hosts)];
    await hosts.retire();

    // Assess
    expect(new Set(pids).size).toBe(1);
  });

  it('warms one environment however often it is asked (a deploy warms every function it kept)', async () => {
    // Prepare
    const hosts = pool(4);

    // Act
    hosts.warm();
    hosts.warm();
    const environments = hosts.environments;
    await pidOf(hosts);
    await hosts.retire();

    // Assess
    expect(environments).toBe(1);
    expect(hosts.environments).toBe(1);
  });

  it('runs concurrent invocations in environments of their own, never more than the cap', async () => {
    // Prepare
    const hosts = pool(2);
    hosts.warm();

    // Act
    const pids = await Promise.all([1, 2, 3, 4].map(() => pidOf(hosts)));
    await hosts.retire();

    // Assess
    expect(new Set(pids).size).toBe(2);
  });

  it('lets the invocations in flight finish when retired', async () => {
    // Prepare
    const hosts = pool(1);
    const running = [pidOf(hosts), pidOf(hosts)];

    // Act
    await hosts.retire();

    // Assess
    expect(await Promise.all(running)).toHaveLength(2);
  });
});
