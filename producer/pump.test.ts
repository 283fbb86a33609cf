import { describe, expect, it } from 'vitest';
import type { PutEntry } from './batch.ts';
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
