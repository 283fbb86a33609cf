import { describe, expect, it } from 'vitest';
import type { PutEntry } from './batch.ts';
import { laneOf } from './lanes.ts';
import { startPump } from './pump.ts';
import { Sender } from './sender.ts';

const entry = (key: string): PutEntry => ({ partitionKey: key, data: new Uint8Array(1) });

describe('startPump', () => {
  it('sends what is pushed while it runs and drains it on finish', async () => {
    // Prepare
    const seen: string[] = [];
    const sender = new Sender({
      putRecords: async (entries) => {
        seen.push(...entries.map((e) => e.partitionKey));
        return entries.map(() => ({}));
      },
    });
    const pump = startPump(sender);

    // Act
    pump.push([entry('a'), entry('b')]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    pump.push([entry('a')]);
    await pump.finish();

    // Assess
    expect(seen).toEqual(['a', 'b', 'a']);
    expect(sender.stats()).toMatchObject({ sent: 3, pending: 0 });
  });

  it('rejects `done` and `finish` with the error that stopped it', async () => {
    // Prepare
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    const sender = new Sender({
      putRecords: async () => {
        throw denied;
      },
    });
    const pump = startPump(sender);

    // Act
    pump.push([entry('a')]);

    // Assess
    await expect(pump.done).rejects.toBe(denied);
    await expect(pump.finish()).rejects.toBe(denied);
    expect(sender.pending).toBe(1);
  });
});

describe('startPump with lanes', () => {
  const keysInLane = (lane: number, lanes: number, n: number): string[] => {
    const keys: string[] = [];
    for (let i = 0; keys.length < n; i++) if (laneOf(`u${i}`, lanes) === lane) keys.push(`u${i}`);
    return keys;
  };

  it('keeps a call in flight in every lane that has records', async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const sender = new Sender({
      lanes: 4,
      putRecords: async (entries) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return entries.map(() => ({}));
      },
    });
    const pump = startPump(sender);

    // Act
    for (let lane = 0; lane < 4; lane++) pump.push(keysInLane(lane, 4, 3).map(entry));
    await pump.finish();

    // Assess
    expect(most).toBe(4);
    expect(sender.stats()).toMatchObject({ sent: 12, pending: 0, calls: 4 });
  });

  it('waits out an outage once when every lane meets it, then sends everything', async () => {
    // Prepare: the endpoint is away for the first call of each lane
    const gone = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    let away = true;
    const sent: string[] = [];
    const sender = new Sender({
      lanes: 3,
      isOutage: () => true,
      putRecords: async (entries) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (away) throw gone;
        sent.push(...entries.map((e) => e.partitionKey));
        return entries.map(() => ({}));
      },
    });
    let recoveries = 0;
    const pump = startPump(sender, async (err) => {
      expect(err).toBe(gone);
      recoveries++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      away = false;
    });
    const keys = [0, 1, 2].flatMap((lane) => keysInLane(lane, 3, 2));

    // Act
    pump.push(keys.map(entry));
    await pump.finish();

    // Assess
    expect(recoveries).toBe(1);
    expect(sent.sort()).toEqual([...keys].sort());
    expect(sender.stats()).toMatchObject({ sent: 6, pending: 0, failed: 0 });
  });
});
