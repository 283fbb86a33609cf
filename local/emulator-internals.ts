/**
 * An emulator package's internals, for the files that patch them (`kinesis/sequences.ts`,
 * `<service>/lean-storage.ts`): its `db` module, and its dependencies as it loads them itself
 * (its own copies, not ours). Node's module cache makes each one a single load.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

export function emulatorInternals(pkg: 'kinesalite' | 'dynalite') {
  const dir = dirname(require.resolve(`${pkg}/package.json`));
  return {
    /** The package's `db/index.js`: its store (`create`) and, for kinesalite, its sequence helpers. */
    db: require(`${dir}/db/index.js`) as Record<string, unknown>,
    requireDependency: (name: string): unknown => require(require.resolve(name, { paths: [dir] })),
  };
}
