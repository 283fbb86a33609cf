import { describe, expect, it } from 'vitest';
import { aggregate, kinesisRecord } from '../../testing/streams.ts';
import {
  type BatchWriter,
  type ItemReader,
  mergeParts,
  type PendingPut,
  type PutRequest,
  partsByKey,
  pendingPuts,
  type SensorItem,
  toBatches,
  writeAll,
} from './persist.ts';

const put = (i: number): PendingPut => ({
  item: aggregate({
    StatusTime: `2026-11-22 09:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000`,
  }),
  recordIds: [`seq-${i}`],
});
const puts = (n: number) => Array.from({ length: n }, (_, i) => put(i));
const timeOf = (r: PutRequest) => r.PutRequest.Item.StatusTime;

/** A fake `BatchWriteItem`: leaves unprocessed what `unprocessed(call, requests)` returns. */
function fakeTable(unprocessed: (call: number, requests: PutRequest[]) => PutRequest[] = () => []) {
  const calls: PutRequest[][] = [];
  const stored = new Map<string, PutRequest['PutRequest']['Item']>();
  const write: BatchWriter = async (requests) => {
    calls.push(requests);
    const left = unprocessed(calls.length, requests);
    for (const r of requests) if (!left.includes(r)) stored.set(timeOf(r), r.PutRequest.Item);
    return left;
  };
  return { write, calls, stored };
}

const noWait = { sleep: async () => {} };

describe('toBatches', () => {
  it.each([
    [0, []],
    [1, [1]],
    [25, [25]],
    [26, [25, 1]],
    [60, [25, 25, 10]],
  ])('splits %i items into batches of %j', (count, sizes) => {
    // Act
    const batches = toBatches(Array.from({ length: count }, (_, i) => i));

    // Assess
    expect(batches.map((b) => b.length)).toEqual(sizes);
    expect(batches.flat()).toEqual(Array.from({ length: count }, (_, i) => i));
  });
});

describe('writeAll', () => {
  it('writes 60 items in 3 BatchWriteItem calls of at most 25', async () => {
    // Prepare
    const table = fakeTable();

    // Act
    const outcome = await writeAll(table.write, puts(60), noWait);

    // Assess
    expect(table.calls.map((c) => c.length)).toEqual([25, 25, 10]);
    expect(outcome).toEqual({ written: 60, failedRecordIds: [], errors: [] });
    expect(table.stored.size).toBe(60);
  });

  it('retries unprocessed items (the original dropped them) with growing, capped delays', async () => {
    // Prepare: throttled for three calls, each time the last two requests are left over.
    const table = fakeTable((call, requests) => (call <= 3 ? requests.slice(-2) : []));
    const waits: number[] = [];

    // Act
    const outcome = await writeAll(table.write, puts(5), {
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.999,
      baseDelayMs: 100,
      maxDelayMs: 300,
    });

    // Assess
    expect(table.calls.map((c) => c.length)).toEqual([5, 2, 2, 2]);
    expect(waits).toEqual([99, 199, 299]);
    expect(outcome).toEqual({ written: 5, failedRecordIds: [], errors: [] });
    expect(table.stored.size).toBe(5);
  });

  it('reports the records of items still unprocessed after maxAttempts, and only those', async () => {
    // Prepare
    const table = fakeTable((_, requests) => requests.filter((r) => timeOf(r).endsWith(':03.000')));

    // Act
    const outcome = await writeAll(table.write, puts(30), { ...noWait, maxAttempts: 4 });

    // Assess
    expect(outcome.failedRecordIds).toEqual(['seq-3']);
    expect(outcome.written).toBe(29);
    expect(table.calls).toHaveLength(4 + 1);
  });

  it('fails a batch whose BatchWriteItem throws, and still writes the other batches', async () => {
    // Prepare
    let call = 0;
    const write: BatchWriter = async (requests) => {
      call++;
      if (call === 1) throw new Error('ValidationException: bad item');
      return requests.length ? [] : [];
    };

    // Act
    const outcome = await writeAll(write, puts(30), noWait);

    // Assess
    expect(outcome.failedRecordIds).toEqual(Array.from({ length: 25 }, (_, i) => `seq-${i}`));
    expect(outcome.written).toBe(5);
    expect(outcome.errors).toEqual(['ValidationException: bad item']);
  });
});

describe('partsByKey', () => {
  it('groups the records by key, keeping each part once with every record that delivered it', () => {
    // Prepare
    const a = aggregate({ Part: 'shard-0/1' });
    const b = aggregate({ Part: 'shard-0/7', Distance: 5 });
    const records = [
      kinesisRecord(a, { sequenceNumber: '1' }),
      kinesisRecord(aggregate({ Name: 'Rocinante' }), { sequenceNumber: '2' }),
      kinesisRecord(a, { sequenceNumber: '3' }),
      kinesisRecord(b, { sequenceNumber: '4' }),
    ];

    // Act
    const { keys, malformed } = partsByKey(records);

    // Assess
    expect(keys).toEqual([
      { parts: [a, b], recordIds: ['1', '3', '4'] },
      { parts: [aggregate({ Name: 'Rocinante' })], recordIds: ['2'] },
    ]);
    expect(malformed).toEqual([]);
  });

  it.each([
    ['not JSON', 'not json', 'not JSON'],
    ['a raw record', { Name: 'Shadowfax', Distance: 1 }, '`StatusTime` is missing'],
    ['min above max', aggregate({ MinMagicPoints: 200 }), 'is above `MaxMagicPoints`'],
    ['an empty part', aggregate({ Part: '' }), '`Part` must be a non-empty string'],
  ])('reports %s as malformed, with why', (_, data, why) => {
    // Act
    const { keys, malformed } = partsByKey([kinesisRecord(data, { sequenceNumber: '9' })]);

    // Assess
    expect(keys).toEqual([]);
    expect(malformed).toEqual([
      { recordId: '9', problems: expect.arrayContaining([expect.stringContaining(why)]) },
    ]);
  });
});

describe('mergeParts', () => {
  const part = (name: string, over: Parameters<typeof aggregate>[0] = {}) =>
    aggregate({ Part: name, ...over });
  const { Part: _, ...whole } = aggregate();

  it('sums the parts of a window Lambda ended early into one item: distance added, min and max kept', () => {
    // Act
    const item = mergeParts(undefined, [
      part('s/1', { Distance: 100, MinMagicPoints: 90, MaxHealthPoints: 150 }),
      part('s/9', { Distance: 40, MinMagicPoints: 95, MaxHealthPoints: 160 }),
    ]);

    // Assess
    expect(item).toMatchObject({
      Distance: 140,
      MinMagicPoints: 90,
      MaxHealthPoints: 160,
      Parts: ['s/1', 's/9'],
    });
  });

  it('merges a new part into the stored item, and skips a part the item already holds', () => {
    // Prepare
    const stored = mergeParts(undefined, [part('s/1', { Distance: 100 })]);

    // Act
    const again = mergeParts(stored, [part('s/1', { Distance: 100 })]);
    const next = mergeParts(stored, [part('s/1', { Distance: 100 }), part('s/5', { Distance: 7 })]);

    // Assess
    expect(again).toBeUndefined();
    expect(next).toMatchObject({ Distance: 107, Parts: ['s/1', 's/5'] });
  });

  it('stores a record without a part as the whole window, as a put, and only the schema fields', () => {
    // Act
    const item = mergeParts(undefined, [{ ...aggregate(), Extra: 'x' } as ReturnType<typeof aggregate>]);

    // Assess
    expect(item).toEqual(whole);
  });
});

describe('pendingPuts', () => {
  it('reads the stored items of the batch’s keys and leaves out the keys with nothing new', async () => {
    // Prepare
    const shadowfax = aggregate({ Part: 's/1', Distance: 10 });
    const rocinante = aggregate({ Name: 'Rocinante', Part: 's/2', Distance: 20 });
    const { keys } = partsByKey([
      kinesisRecord(shadowfax, { sequenceNumber: '1' }),
      kinesisRecord(rocinante, { sequenceNumber: '2' }),
    ]);
    const asked: unknown[] = [];
    const read: ItemReader = async (wanted) => {
      asked.push(...wanted);
      return [{ ...mergeParts(undefined, [shadowfax]), Distance: 10 } as SensorItem];
    };

    // Act
    const result = await pendingPuts(keys, read);

    // Assess
    expect(asked).toEqual([
      { Name: 'Shadowfax', StatusTime: shadowfax.StatusTime },
      { Name: 'Rocinante', StatusTime: rocinante.StatusTime },
    ]);
    expect(result).toEqual([
      { item: expect.objectContaining({ Name: 'Rocinante', Parts: ['s/2'] }), recordIds: ['2'] },
    ]);
  });
});
