/**
 * A sorted key space in memory with levelup's callbacks: what kinesalite and dynalite call of
 * their databases, without LevelDB's layers. Both emulators keep their data in LevelDB's
 * JavaScript stack (levelup or abstract-level over an in-memory tree, with sublevels, JSON
 * encodings and iterator streams), and those layers, not the emulators' own logic, were most of
 * their CPU under the workshop's load. `kinesis/lean-storage.ts` and `dynamodb/lean-storage.ts`
 * give each emulator its own store on `LeanLevel`s.
 */
import { createRequire } from 'node:module';
import { Stream } from 'node:stream';

const require = createRequire(import.meta.url);
// Through require: the package is CommonJS with its class on `default`, which ESM would wrap again.
const { default: BTree } = require('sorted-btree') as typeof import('sorted-btree');

export type Callback<T = void> = (err: Error | null | undefined, value?: T) => void;
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

export const later = (fn: () => void) => process.nextTick(fn);

/** Entries a read stream emits in one turn of the event loop before it lets other requests in. */
const ENTRIES_PER_TURN = 500;

/** A range: its first key and whether it is included, its last likewise, and how many at most. */
interface Bounds {
  low?: string;
  lowIncluded: boolean;
  high?: string;
  highIncluded: boolean;
  limit: number;
  /** From the last key down (dynalite's queries with `ScanIndexForward: false`). */
  reverse: boolean;
}

function boundsOf(opts: RangeOptions = {}): Bounds {
  // levelup swaps `start` and `end` in a reverse read; no caller here needs that.
  if (opts.reverse && (opts.start !== undefined || opts.end !== undefined))
    throw new Error('LeanLevel reads a reverse range from gt/gte/lt/lte only');
  return {
    low: opts.gt ?? opts.gte ?? opts.start,
    lowIncluded: opts.gt === undefined,
    high: opts.lt ?? opts.lte ?? opts.end,
    highIncluded: opts.lt === undefined,
    limit: opts.limit !== undefined && opts.limit >= 0 ? opts.limit : Number.POSITIVE_INFINITY,
    reverse: opts.reverse === true,
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

  /** The emulator's own lock (its copy of the `lock` package): both take it per database. */
  readonly lock: unknown;
  /**
   * How a missing key is answered: levelup's `NotFoundError` (kinesalite), or `undefined` as
   * abstract-level 2 and later answer it (dynalite).
   */
  private readonly missing: 'NotFoundError' | 'undefined';

  constructor(opts: { lock?: unknown; missing?: 'NotFoundError' | 'undefined' } = {}) {
    this.lock = opts.lock;
    this.missing = opts.missing ?? 'NotFoundError';
  }

  get(key: string, optsOrCb: object | Callback<Value>, cb?: Callback<Value>): void {
    const done = (typeof optsOrCb === 'function' ? optsOrCb : cb) as Callback<Value>;
    const found = this.tree.get(key);
    later(() => {
      if (found !== undefined) done(null, decode(found));
      else if (this.missing === 'undefined') done(null, undefined);
      else done(notFound(key));
    });
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

  /**
   * Up to `max` entries of `bounds` in key order (descending in a reverse read), past the key
   * `after` (from the range's start without it).
   */
  range(bounds: Bounds, after: string | undefined, max: number): [string, string][] {
    const found: [string, string][] = [];
    if (max <= 0) return found;
    const { low, lowIncluded, high, highIncluded, reverse } = bounds;
    const beyond = reverse
      ? (key: string) => low !== undefined && (lowIncluded ? key < low : key <= low)
      : (key: string) => high !== undefined && (highIncluded ? key > high : key >= high);
    const skip = after ?? (reverse ? (highIncluded ? undefined : high) : lowIncluded ? undefined : low);
    const entries = reverse ? this.tree.entriesReversed(after ?? high) : this.tree.entries(after ?? low);
    for (const [key, text] of entries) {
      if (key === skip) continue;
      if (beyond(key)) break;
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

/** An emulator's `db` module: its `create(options)` makes the store the emulator's actions use. */
export interface StoreModule<O, S> {
  create(options?: O): S;
}

/**
 * The two stores of an emulator: its own (`own`, kept for the tests that compare the two) and a
 * lean one, which `use` makes the default for every emulator created after it.
 */
export function storeSwitch<O, S>(db: StoreModule<O, S>, lean: (options?: O) => S) {
  const own = db.create;
  return {
    own,
    use(): void {
      db.create = lean;
    },
    /** An emulator made with `store` (`own` or the lean one), whatever the default is. */
    with<T>(store: (options?: O) => S, make: () => T): T {
      const current = db.create;
      db.create = store;
      try {
        return make();
      } finally {
        db.create = current;
      }
    },
  };
}
