/**
 * kinesalite's storage without LevelDB's layers: the same calls, answered from sorted B-trees.
 *
 * kinesalite keeps its streams and records in levelup over memdown, through sublevels, JSON
 * encodings, iterator streams and a persistent red-black tree. Profiled with 10,000 unicorns on
 * 10 shards, those layers were more than half of kinesalite's CPU, and kinesalite a quarter of the
 * local cloud's: every `PutRecords` rewrote the stream's description and put each record through
 * four layers of encoders, every `GetRecords` read through two streams. kinesalite's own logic (validation,
 * sequence numbers, iterators, shards, errors) is untouched: `useLeanStorage` replaces only the
 * store its actions are given, with the subset of levelup they call.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Stream } from 'node:stream';

const require = createRequire(import.meta.url);
// Through require: the package is CommonJS with its class on `default`, which ESM would wrap again.
const { default: BTree } = require('sorted-btree') as typeof import('sorted-btree');

type Callback<T = void> = (err: Error | null | undefined, value?: T) => void;
type Value = unknown;

/** A range as levelup takes it (`start`/`end` are its older names for `gte`/`lte`). */
export interface RangeOptions {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  start?: string;
  end?: string;
  limit?: number;
  reverse?: boolean;
}

export type BatchOp = { type: 'put'; key: string; value: Value } | { type: 'del'; key: string };

/**
 * Values are kept as their JSON text, as levelup's `json` encoding kept them: a reader always
 * gets its own copy (kinesalite changes what it reads), and a string is one object for the
 * garbage collector to step over, not a record's fields to trace (a stream holds a day of them).
 */
const encode = (value: Value): string => JSON.stringify(value);
const decode = (text: string): Value => JSON.parse(text);

/** levelup's error for a missing key: kinesalite tells it by its name. */
function notFound(key: string): Error {
  return Object.assign(new Error(`Key not found in database [${key}]`), {
    name: 'NotFoundError',
    notFound: true,
    status: 404,
  });
}

const later = (fn: () => void) => process.nextTick(fn);

/** Entries a read stream emits in one turn of the event loop before it lets other requests in. */
const ENTRIES_PER_TURN = 500;

/** A range: its first key and whether it is included, its last likewise, and how many at most. */
interface Bounds {
  low?: string;
  lowIncluded: boolean;
  high?: string;
  highIncluded: boolean;
  limit: number;
}

function boundsOf(opts: RangeOptions = {}): Bounds {
  if (opts.reverse) throw new Error('reverse reads are not supported by the lean Kinesis storage');
  return {
    low: opts.gt ?? opts.gte ?? opts.start,
    lowIncluded: opts.gt === undefined,
    high: opts.lt ?? opts.lte ?? opts.end,
    highIncluded: opts.lt === undefined,
    limit: opts.limit !== undefined && opts.limit >= 0 ? opts.limit : Number.POSITIVE_INFINITY,
  };
}

/**
 * A levelup read stream as kinesalite consumes it (through `lazy`): `data` per entry, then `end`,
 * from the next tick, stopping at `destroy()`. It reads on from the last key it emitted, a turn
 * at a time, as LevelDB's iterators do: a read of 10,000 records does not hold up every other
 * request (it did, in one piece: the producer's puts waited up to a second). A `Stream`, so that
 * `lazy` takes its `data` events once.
 */
export class EntryStream extends Stream {
  private destroyed = false;
  private after: string | undefined;
  private emitted = 0;

  constructor(
    private readonly level: LeanLevel,
    private readonly bounds: Bounds,
    private readonly shape: (key: string, text: string) => unknown,
  ) {
    super();
    later(() => this.pump());
  }

  private pump(): void {
    const max = Math.min(ENTRIES_PER_TURN, this.bounds.limit - this.emitted);
    const chunk = this.level.range(this.bounds, this.after, max);
    for (const [key, text] of chunk) {
      if (this.destroyed) return;
      this.after = key;
      this.emitted++;
      this.emit('data', this.shape(key, text));
    }
    if (this.destroyed) return;
    if (chunk.length < max || this.emitted >= this.bounds.limit) this.emit('end');
    else setImmediate(() => this.pump());
  }

  destroy(): this {
    this.destroyed = true;
    return this;
  }
}

/** One sorted key space with levelup's callbacks (what kinesalite calls of a sublevel). */
export class LeanLevel {
  private readonly tree = new BTree<string, string>();
  /** kinesalite hangs a lock on each of its databases. */
  lock: unknown;
  awsAccountId = '';
  awsRegion = '';

  get(key: string, optsOrCb: object | Callback<Value>, cb?: Callback<Value>): void {
    const done = (typeof optsOrCb === 'function' ? optsOrCb : cb) as Callback<Value>;
    const found = this.tree.get(key);
    later(() => (found === undefined ? done(notFound(key)) : done(null, decode(found))));
  }

  put(key: string, value: Value, optsOrCb?: object | Callback, cb?: Callback): void {
    this.tree.set(key, encode(value));
    const done = (typeof optsOrCb === 'function' ? optsOrCb : cb) as Callback | undefined;
    if (done) later(() => done(null));
  }

  del(key: string, optsOrCb?: object | Callback, cb?: Callback): void {
    this.tree.delete(key);
    const done = (typeof optsOrCb === 'function' ? optsOrCb : cb) as Callback | undefined;
    if (done) later(() => done(null));
  }

  /** All the operations at once, as a LevelDB batch is atomic. */
  batch(ops: BatchOp[], optsOrCb?: object | Callback, cb?: Callback): void {
    for (const op of ops) {
      if (op.type === 'put') this.tree.set(op.key, encode(op.value));
      else this.tree.delete(op.key);
    }
    const done = (typeof optsOrCb === 'function' ? optsOrCb : cb) as Callback | undefined;
    if (done) later(() => done(null));
  }

  /** Up to `max` entries of `bounds` after the key `after` (from the range's start without it), in key order. */
  range(bounds: Bounds, after: string | undefined, max: number): [string, string][] {
    const found: [string, string][] = [];
    const from = after ?? bounds.low;
    const skip = after ?? (bounds.lowIncluded ? undefined : bounds.low);
    if (max <= 0) return found;
    for (const [key, text] of this.tree.entries(from)) {
      if (key === skip) continue;
      const { high, highIncluded } = bounds;
      if (high !== undefined && (highIncluded ? key > high : key >= high)) break;
      found.push([key, text]);
      if (found.length >= max) break;
    }
    return found;
  }

  createReadStream(opts?: RangeOptions): EntryStream {
    return new EntryStream(this, boundsOf(opts), (key, text) => ({ key, value: decode(text) }));
  }

  createKeyStream(opts?: RangeOptions): EntryStream {
    return new EntryStream(this, boundsOf(opts), (key) => key);
  }

  createValueStream(opts?: RangeOptions): EntryStream {
    return new EntryStream(this, boundsOf(opts), (_key, text) => decode(text));
  }

  clear(): void {
    this.tree.clear();
  }
}

interface StoreOptions {
  createStreamMs?: number;
  deleteStreamMs?: number;
  updateStreamMs?: number;
  shardLimit?: number;
}

const kinesaliteDir = dirname(require.resolve('kinesalite/package.json'));
const kinesaliteDb = require(`${kinesaliteDir}/db/index.js`) as { create(options?: StoreOptions): unknown };
const { Lock } = require(require.resolve('lock', { paths: [kinesaliteDir] })) as { Lock(): unknown };

/** kinesalite's store (`db.create`), on `LeanLevel`s: the same fields, defaults and errors. */
export function createLeanStore(options: StoreOptions = {}) {
  const settings = {
    createStreamMs: options.createStreamMs ?? 500,
    deleteStreamMs: options.deleteStreamMs ?? 500,
    updateStreamMs: options.updateStreamMs ?? 500,
    shardLimit: options.shardLimit ?? 10,
  };
  const metaDb = new LeanLevel();
  metaDb.lock = Lock();
  metaDb.awsAccountId = (process.env.AWS_ACCOUNT_ID || '0000-0000-0000').replace(/[^\d]/g, '');
  metaDb.awsRegion = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  const streamDbs = new Map<string, LeanLevel>();

  const getStreamDb = (name: string): LeanLevel => {
    let streamDb = streamDbs.get(name);
    if (!streamDb) {
      streamDb = new LeanLevel();
      streamDb.lock = Lock();
      streamDbs.set(name, streamDb);
    }
    return streamDb;
  };

  return {
    ...settings,
    db: { close: (cb: Callback) => later(() => cb(null)) },
    metaDb,
    getStreamDb,
    /** The stream's records go at once (kinesalite deleted them later, racing a new stream of the same name). */
    deleteStreamDb(name: string, cb: Callback) {
      streamDbs.get(name)?.clear();
      streamDbs.delete(name);
      later(() => cb(null));
    },
    getStream(name: string, cb: Callback<Value>) {
      metaDb.get(name, (err, stream) => {
        if (err?.name === 'NotFoundError') {
          Object.assign(err, {
            statusCode: 400,
            body: {
              __type: 'ResourceNotFoundException',
              message: `Stream ${name} under account ${metaDb.awsAccountId} not found.`,
            },
          });
        }
        if (err) cb(err);
        else cb(null, stream);
      });
    },
    /** kinesalite calls it when its server listens again after closing: a fresh, empty store. */
    recreate(this: object) {
      Object.assign(this, createLeanStore(options));
    },
  };
}

/** kinesalite's own store on levelup, before `useLeanStorage` (the tests compare the two). */
export const levelStore = kinesaliteDb.create;

/** Makes every kinesalite created from now on keep its streams and records in `LeanLevel`s. */
export function useLeanStorage(): void {
  kinesaliteDb.create = createLeanStore;
}

/** A kinesalite made with `store` (`createLeanStore` or `levelStore`), whatever the default is. */
export function withStore<T>(store: (options?: StoreOptions) => unknown, make: () => T): T {
  const current = kinesaliteDb.create;
  kinesaliteDb.create = store;
  try {
    return make();
  } finally {
    kinesaliteDb.create = current;
  }
}
