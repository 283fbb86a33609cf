import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, parse } from '../../../testing/lambda.ts';
import { FunctionHost } from './host.ts';
import { FunctionLog } from './logs.ts';
import { HostPool } from './pool.ts';

// A tumbling window's state stays in the function's process between the invocations of a
// shard; what the function sees must be exactly what Lambda would hand it all the same.

describe('window states kept in the function process', () => {
  let dir: string;
  let log: FunctionLog;
  const options = () => ({ endpoint: 'http://127.0.0.1:1', log });
  const def = fixture('window-state.handler');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'window-state-logs-'));
    log = new FunctionLog('fn-window-state', { logDir: dir });
  });
  afterAll(async () => {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  });

  const invoke = async (host: FunctionHost | HostPool, event: object, key: string, json: string) => {
    const result = await host.invoke(JSON.stringify({ state: null, ...event }), {
      windowState: { key, json },
    });
    return { result, body: parse(result.payload) };
  };

  it('hands the state in as the event’s `state` and takes the returned state out of the payload', async () => {
    // Prepare
    const host = new FunctionHost(def, options());

    // Act
    const { result, body } = await invoke(host, { next: { n: 2 } }, 'shard-1', '{"n":1}');
    await host.retire();

    // Assess
    expect(body.seen).toEqual({ n: 1 });
    expect(body.state).toBeUndefined();
    expect(result.stateJson).toBe('{"n":2}');
  });

  it('hands in the state it is given, not the one the process kept, when they differ (a rejected answer)', async () => {
    // Prepare
    const host = new FunctionHost(def, options());
    const first = await invoke(host, { next: { n: 2 } }, 'shard-1', '{"n":1}');

    // Act
    const again = await invoke(host, {}, 'shard-1', '{"n":1}');
    const onwards = await invoke(host, {}, 'shard-1', first.result.stateJson ?? '');
    await host.retire();

    // Assess
    expect(again.body.seen).toEqual({ n: 1 });
    expect(onwards.body.seen).toEqual({ n: 2 });
    expect(onwards.body.pid).toBe(first.body.pid);
  });

  it('hands in a copy: a state changed after the function returned it is not what the next batch sees', async () => {
    // Prepare
    const host = new FunctionHost(def, options());
    const first = await invoke(host, { next: { n: 1 }, mutateLaterMs: 1 }, 'shard-1', '{}');
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Act
    const next = await invoke(host, {}, 'shard-1', first.result.stateJson ?? '');
    await host.retire();

    // Assess
    expect(next.body.seen).toEqual({ n: 1 });
  });

  it('keeps the states of two shards apart, and gives a new process the state again after a crash', async () => {
    // Prepare
    const host = new FunctionHost(def, options());
    const a = await invoke(host, { next: { shard: 'a' } }, 'shard-a', '{}');
    const b = await invoke(host, { next: { shard: 'b' } }, 'shard-b', '{}');

    // Act
    const seenA = await invoke(host, {}, 'shard-a', a.result.stateJson ?? '');
    const crash = await invoke(host, { exit: 1 }, 'shard-b', b.result.stateJson ?? '');
    const seenB = await invoke(host, {}, 'shard-b', b.result.stateJson ?? '');
    await host.retire();

    // Assess
    expect(seenA.body.seen).toEqual({ shard: 'a' });
    expect(crash.result.functionError).toBe('Unhandled');
    expect(seenB.body.seen).toEqual({ shard: 'b' });
    expect(seenB.body.pid).not.toBe(b.body.pid);
  });

  it('sends a shard’s batches to the environment that holds its state, when it is idle', async () => {
    // Prepare: two environments, each holding one shard's state.
    const pool = new HostPool(def, { ...options(), maxHosts: 2 });
    const [a, b] = await Promise.all([
      invoke(pool, { next: { shard: 'a' } }, 'shard-a', '{}'),
      invoke(pool, { next: { shard: 'b' } }, 'shard-b', '{}'),
    ]);

    // Act
    const pids = [];
    for (const [key, first] of [
      ['shard-a', a],
      ['shard-b', b],
      ['shard-a', a],
    ] as const)
      pids.push((await invoke(pool, {}, key, first.result.stateJson ?? '')).body.pid);
    await pool.retire();

    // Assess
    expect(a.body.pid).not.toBe(b.body.pid);
    expect(pids).toEqual([a.body.pid, b.body.pid, a.body.pid]);
  });
});
