import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin } from '@docusaurus/types';

/** What the site is built from: its own files, the curriculum, and the repository files it shows. */
const INPUTS = ['site', 'modules', 'solutions', 'checks', 'cli', 'curriculum.json', 'package.json'];
const SKIPPED = new Set(['build', '.docusaurus', 'node_modules', '.build-in-progress']);

/** The file in a build that records the hash of the inputs it was built from. */
export const INPUTS_STAMP = '.inputs-hash';

function* filesUnder(path: string): Generator<string> {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (!SKIPPED.has(entry.name)) yield* filesUnder(join(path, entry.name));
  }
}

/** A hash of every input of the site build: it changes when a page, a shown file or the config does. */
export function siteInputsHash(root: string): string {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of filesUnder(join(root, input))) {
      hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

/** True when the build in `buildDir` was made from the inputs as they are now. */
export const isBuildCurrent = (buildDir: string, root: string): boolean => {
  const stamp = join(buildDir, INPUTS_STAMP);
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === siteInputsHash(root);
};

/** Stamps each build with the hash of its inputs, taken when the build starts. */
export function inputsStampPlugin(root: string): Plugin {
  const inputs = siteInputsHash(root);
  return {
    name: 'wildrydes-inputs-stamp',
    async postBuild({ outDir }) {
      writeFileSync(join(outDir, INPUTS_STAMP), inputs);
    },
  };
}
