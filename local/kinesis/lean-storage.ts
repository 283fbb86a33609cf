/**
 * kinesalite's streams and records on `LeanLevel`s (`../lean-level.ts`) instead of levelup over
 * memdown. Profiled with 10,000 unicorns on 10 shards, LevelDB's layers were more than half of
 * kinesalite's CPU, and kinesalite a quarter of the local cloud's: every `PutRecords` rewrote the
 * stream's description and put each record through four layers of encoders, every `GetRecords`
 * read through two streams. kinesalite's own logic (validation, sequence numbers, iterators,
 * shards, errors) is untouched: `useLeanStorage` replaces only the store its actions are given.
 */
import { emulatorInternals } from '../emulator-internals.ts';
import { type Callback, LeanLevel, later, type StoreModule, storeSwitch } from '../lean-level.ts';

type Value = unknown;

interface StoreOptions {
  createStreamMs?: number;
  deleteStreamMs?: number;
  updateStreamMs?: number;
  shardLimit?: number;
}

const kinesalite = emulatorInternals('kinesalite');
const kinesaliteDb = kinesalite.db as unknown as StoreModule<StoreOptions, unknown>;
const { Lock } = kinesalite.requireDependency('lock') as { Lock(): unknown };

/** kinesalite's store (`db.create`), on `LeanLevel`s: the same fields, defaults and errors. */
export function createLeanStore(options: StoreOptions = {}) {
  const settings = {
    createStreamMs: options.createStreamMs ?? 500,
    deleteStreamMs: options.deleteStreamMs ?? 500,
    updateStreamMs: options.updateStreamMs ?? 500,
    shardLimit: options.shardLimit ?? 10,
  };
  // The stream metadata database carries the account and region, where kinesalite's actions read them.
  const metaDb = Object.assign(new LeanLevel({ lock: Lock() }), {
    awsAccountId: (process.env.AWS_ACCOUNT_ID || '0000-0000-0000').replace(/[^\d]/g, ''),
    awsRegion: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1',
  });
  const streamDbs = new Map<string, LeanLevel>();

  const getStreamDb = (name: string): LeanLevel => {
    let streamDb = streamDbs.get(name);
    if (!streamDb) {
      streamDb = new LeanLevel({ lock: Lock() });
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

const stores = storeSwitch(kinesaliteDb, createLeanStore);

/** kinesalite's own store on levelup (the tests compare the two). */
export const levelStore = stores.own;

/** Makes every kinesalite created from now on keep its streams and records in `LeanLevel`s. */
export const useLeanStorage = stores.use;

/** A kinesalite made with `store` (`createLeanStore` or `levelStore`), whatever the default is. */
export const withStore = stores.with;
