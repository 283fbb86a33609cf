/**
 * dynalite's items, indexes and tags on `LeanLevel`s: the same calls, without LevelDB's layers.
 *
 * dynalite keeps everything in one abstract-level database, each table's items under a key
 * prefix, every call through a promise, a lifecycle tracker and `setImmediate`, every query and
 * scan through a `Readable` that awaits the iterator once per item: profiled with module 4 at
 * 2,000 items a second, those layers were most of dynalite's CPU. dynalite's own logic
 * (validation, keys, conditions, indexes, capacity, errors) is untouched: `useLeanStorage`
 * replaces the item, index and tag databases its actions ask the store for. Table descriptions
 * stay in dynalite's database (one small read a call).
 */
import { emulatorInternals } from '../emulator-internals.ts';
import {
  type Callback,
  type EntryStream,
  LeanLevel,
  later,
  type RangeOptions,
  type StoreModule,
  storeSwitch,
} from '../lean-level.ts';

const dynalite = emulatorInternals('dynalite');
const dynaliteDb = dynalite.db as unknown as StoreModule<object, DynaliteStore>;
// dynalite's own `create`, taken before `useLeanStorage` replaces it: the lean store starts from it.
const ownCreate = dynaliteDb.create;
const { Lock } = dynalite.requireDependency('lock') as { Lock(): unknown };

/** The parts of dynalite's store that `createLeanStore` replaces (the rest is dynalite's own). */
interface DynaliteStore {
  getItemDb(name: string): unknown;
  deleteItemDb(name: string, cb: Callback): void;
  getIndexDb(indexType: string, tableName: string, indexName: string): unknown;
  deleteIndexDb(indexType: string, tableName: string, indexName: string, cb: Callback): void;
  getTagDb(name: string): unknown;
  deleteTagDb(name: string, cb: Callback): void;
  recreate(): void;
}

/** A database as dynalite's prefixed ones answer: a missing key is undefined; a read stream gives values. */
class DynaliteLevel extends LeanLevel {
  constructor() {
    super({ lock: Lock(), missing: 'undefined' });
  }

  override createReadStream(opts?: RangeOptions): EntryStream {
    return this.createValueStream(opts);
  }
}

/** dynalite's store (`db.create`) with its items, indexes and tags on `LeanLevel`s. */
export function createLeanStore(options: object = {}): DynaliteStore {
  const store = ownCreate(options);
  const dbs = new Map<string, DynaliteLevel>();
  const sub = (name: string) => {
    let level = dbs.get(name);
    if (!level) {
      level = new DynaliteLevel();
      dbs.set(name, level);
    }
    return level;
  };
  const drop = (name: string, cb: Callback) => {
    dbs.get(name)?.clear();
    dbs.delete(name);
    later(() => cb(null));
  };
  // dynalite's names for them, so that a table's item database is its own whatever its name.
  const indexName = (type: string, table: string, index: string) =>
    `index-${type.toLowerCase()}~${table}~${index}`;
  return Object.assign(store, {
    getItemDb: (name: string) => sub(`item-${name}`),
    deleteItemDb: (name: string, cb: Callback) => drop(`item-${name}`, cb),
    getIndexDb: (type: string, table: string, index: string) => sub(indexName(type, table, index)),
    deleteIndexDb: (type: string, table: string, index: string, cb: Callback) =>
      drop(indexName(type, table, index), cb),
    getTagDb: (name: string) => sub(`tag-${name}`),
    deleteTagDb: (name: string, cb: Callback) => drop(`tag-${name}`, cb),
    /** dynalite calls it when its server listens again after closing: a fresh, empty store. */
    recreate(this: object) {
      Object.assign(this, createLeanStore(options));
    },
  });
}

const stores = storeSwitch(dynaliteDb, createLeanStore);

/** dynalite's own store (the tests compare the two). */
export const levelStore = stores.own;

/** Makes every dynalite created from now on keep its items, indexes and tags in `LeanLevel`s. */
export const useLeanStorage = stores.use;

/** A dynalite made with `store` (`createLeanStore` or `levelStore`), whatever the default is. */
export const withStore = stores.with;
