/**
 * kinesalite's internal modules, loaded once for the files that patch them (`sequences.ts`,
 * `lean-storage.ts`): its `db` module, and the packages it depends on, as it loads them itself.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);
const kinesaliteDir = dirname(require.resolve('kinesalite/package.json'));

/** kinesalite's `db/index.js`: its store (`create`) and its sequence-number helpers. */
export const kinesaliteDb: Record<string, unknown> = require(`${kinesaliteDir}/db/index.js`);

/** A package as kinesalite requires it (its own copy, not ours). */
export const requireFromKinesalite = (name: string): unknown =>
  require(require.resolve(name, { paths: [kinesaliteDir] }));
