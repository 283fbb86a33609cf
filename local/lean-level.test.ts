import lazy from 'lazy';
import { describe, expect, it } from 'vitest';
import { type EntryStream, LeanLevel } from './lean-level.ts';

/** Everything a stream emits until it ends (or `destroy` is called after `stopAfter` entries). */
function drain(stream: EntryStream, stopAfter = Number.POSITIVE_INFINITY) {
  return new Promise<{ items: unknown[]; ended: boolean }>((resolve) => {
    const items: unknown[] = [];
    stream.on('data', (item) => {
      items.push(item);
      if (items.length === stopAfter) {
        stream.destroy();
        // Give a stream that would go on a few turns to show it.
        setTimeout(() => resolve({ items, ended: false }), 20);
      }
    });
    stream.on('end', () => resolve({ items, ended: true }));
  });
}

const callback = <T>(run: (cb: (err: Error | null | undefined, value?: T) => void) => void) =>
  new Promise<T | undefined>((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value))));

describe('LeanLevel', () => {
  it('gives back a copy of what was put: changing what was read or written changes nothing stored', async () => {
    // Prepare
    const level = new LeanLevel();
    const written = { Shards: [{ ShardId: 'shardId-000000000000' }], StreamStatus: 'ACTIVE' };
    await callback((cb) => level.put('s', written, cb));

    // Act
    written.StreamStatus = 'DELETING';
    const read = (await callback((cb) => level.get('s', cb))) as typeof written;
    read.Shards.push({ ShardId: 'shardId-000000000001' });
    const again = await callback((cb) => level.get('s', cb));

    // Assess
    expect(again).toEqual({ Shards: [{ ShardId: 'shardId-000000000000' }], StreamStatus: 'ACTIVE' });
  });

  it('answers a missing key with levelup’s NotFoundError, which kinesalite tells by name', async () => {
    // Act
    const error = await callback((cb) => new LeanLevel().get('nope', cb)).catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: 'NotFoundError', notFound: true });
  });

  it('answers a missing key with undefined, as abstract-level (dynalite’s) does, when told to', async () => {
    // Act
    const found = await callback((cb) => new LeanLevel({ missing: 'undefined' }).get('nope', cb));

    // Assess
    expect(found).toBeUndefined();
  });

  it('applies a batch of puts and deletes', async () => {
    // Prepare
    const level = new LeanLevel();
    await callback((cb) => level.put('b', 1, cb));

    // Act
    await callback((cb) =>
      level.batch(
        [
          { type: 'put', key: 'a', value: { n: 1 } },
          { type: 'del', key: 'b' },
          { type: 'put', key: 'c', value: { n: 3 } },
        ],
        cb,
      ),
    );

    // Assess
    expect((await drain(level.createKeyStream())).items).toEqual(['a', 'c']);
  });

  it.each([
    [{}, ['0/1', '0/2', '0/3', '1/1', '1/2']],
    [{ gte: '0/2', lt: '1' }, ['0/2', '0/3']],
    [{ gt: '0/2', lt: '1' }, ['0/3']],
    [{ gt: '0', lte: '1/1' }, ['0/1', '0/2', '0/3', '1/1']],
    [{ start: '0/3' }, ['0/3', '1/1', '1/2']],
    [{ gte: '0/15', lt: '1' }, ['0/2', '0/3']],
    [{ gte: '1', limit: 1 }, ['1/1']],
    [{ gte: '2' }, []],
    [{ reverse: true }, ['1/2', '1/1', '0/3', '0/2', '0/1']],
    [{ reverse: true, gte: '0/2', lt: '1' }, ['0/3', '0/2']],
    [{ reverse: true, gt: '0/1', lte: '1/1' }, ['1/1', '0/3', '0/2']],
    [{ reverse: true, lt: '1/15', limit: 2 }, ['1/1', '0/3']],
  ])('reads the range %j in key order', async (range, keys) => {
    // Prepare
    const level = new LeanLevel();
    for (const key of ['1/2', '0/3', '0/1', '1/1', '0/2']) await callback((cb) => level.put(key, key, cb));

    // Act
    const read = await drain(level.createReadStream(range));

    // Assess
    expect(read.items).toEqual(keys.map((key) => ({ key, value: key })));
    expect(read.ended).toBe(true);
  });

  it('reads a long range a turn at a time, taking in what was put meanwhile, and stops when destroyed', async () => {
    // Prepare: more entries than one turn emits
    const level = new LeanLevel();
    const key = (i: number) => String(i).padStart(5, '0');
    level.batch(Array.from({ length: 1200 }, (_, i) => ({ type: 'put' as const, key: key(i), value: i })));
    const all = level.createValueStream();
    const some = level.createValueStream();

    // Act: a put lands between the first turns
    setImmediate(() => level.put(key(5000), 5000));
    const [read, stopped] = await Promise.all([drain(all), drain(some, 700)]);

    // Assess
    expect(read.items).toEqual([...Array.from({ length: 1200 }, (_, i) => i), 5000]);
    expect(stopped).toEqual({ items: Array.from({ length: 700 }, (_, i) => i), ended: false });
  });

  it('reads a long range backwards a turn at a time', async () => {
    // Prepare
    const level = new LeanLevel();
    const key = (i: number) => String(i).padStart(5, '0');
    level.batch(Array.from({ length: 1200 }, (_, i) => ({ type: 'put' as const, key: key(i), value: i })));

    // Act
    const read = await drain(level.createValueStream({ reverse: true, lt: key(1100) }));

    // Assess
    expect(read.items).toEqual(Array.from({ length: 1100 }, (_, i) => 1099 - i));
  });

  it('ends a read through lazy’s take as kinesalite reads records: exactly the limit, then no more', async () => {
    // Prepare
    const level = new LeanLevel();
    level.batch(
      Array.from({ length: 30 }, (_, i) => ({ type: 'put' as const, key: `k${i + 10}`, value: i })),
    );
    const stream = level.createValueStream();

    // Act: kinesalite's own wiring (db.lazy): data events, destroy on pipe
    const taken = await new Promise<unknown[]>((resolve) => {
      const asLazy = lazy(stream);
      stream.removeAllListeners('readable');
      stream.on('data', asLazy.emit.bind(asLazy, 'data'));
      asLazy.on('pipe', stream.destroy.bind(stream));
      asLazy.take(12).join(resolve);
    });

    // Assess
    expect(taken).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });
});
