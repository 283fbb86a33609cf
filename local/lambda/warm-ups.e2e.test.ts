/**
 * A function's process starts when the function is created, ahead of its first invocation — but
 * not while a deploy runs (`holdingWarmUps`): on a 2-core laptop a process per function beside
 * the deploy doubles its time. The fixture notes in a file when its process loads it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixture, jsonLines } from '../../testing/lambda.ts';
import { eventually } from '../../testing/local-cloud.ts';
import { LambdaService } from './service.ts';

/** No cloud behind it: these functions call nothing. */
const NO_CLOUD = 'http://127.0.0.1:9';

let dir = '';
let service: LambdaService;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wildrydes-warm-ups-'));
});
afterEach(async () => {
  await service?.stop();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A function whose process writes to its own file when it loads the handler. */
function marked(name: string) {
  const file = join(dir, `${name}.init`);
  const def = fixture('init-marker.handler', { name, environment: { INIT_FILE: file } });
  const inits = () => jsonLines<{ pid: number }>(file);
  /** Waits until its process has loaded the handler once; true then. */
  const loaded = () => eventually(async () => ((await inits()).length === 1 ? true : undefined));
  return { def, inits, loaded };
}

describe('LambdaService warm-ups', () => {
  it('starts a new function’s process at once, ahead of its first invocation', async () => {
    // Prepare
    service = new LambdaService({ endpoint: NO_CLOUD });
    const fn = marked('warm-now');

    // Act
    await service.putFunction(fn.def);

    // Assess
    expect(await fn.loaded()).toBe(true);
  });

  it('holds warm-ups back while a deploy runs, and starts them when it ends', async () => {
    // Prepare
    service = new LambdaService({ endpoint: NO_CLOUD });
    const control = marked('warm-control');
    const held = marked('warm-held');
    let initsDuringDeploy = -1;

    // Act
    await service.putFunction(control.def);
    await service.holdingWarmUps(async () => {
      await service.putFunction(held.def);
      // The control started when this one would have: once it has loaded (and a margin), so would this.
      await control.loaded();
      await sleep(500);
      initsDuringDeploy = (await held.inits()).length;
    });

    // Assess
    expect(initsDuringDeploy).toBe(0);
    expect(await held.loaded()).toBe(true);
  });

  it('runs a function invoked during the deploy: its process starts then, cold', async () => {
    // Prepare
    service = new LambdaService({ endpoint: NO_CLOUD });
    const fn = marked('warm-invoked');

    // Act
    const result = await service.holdingWarmUps(async () => {
      await service.putFunction(fn.def);
      return service.invoke('warm-invoked', {});
    });

    // Assess
    const inits = await fn.inits();
    expect(inits).toHaveLength(1);
    expect(JSON.parse(result.payload)).toEqual({ pid: inits[0]?.pid });
    expect(result.logs.join('\n')).toMatch(/REPORT RequestId: .*Init Duration: /);
  });
});
