// Before `npm test` and `npm run lint`: the plain `npm install` is the attendee's lean install
// (.npmrc: omit=dev), without the test stack, the linter or the site. Say in one line what to run.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { devDependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const missing = Object.keys(devDependencies).filter(
  (name) => !existsSync(join(root, 'node_modules', name, 'package.json')),
);
if (missing.length > 0) {
  const named = missing.includes('vitest') ? 'vitest' : missing[0];
  const more = missing.length > 1 ? ` and ${missing.length - 1} more` : '';
  console.error(
    `The contributor tools are missing (${named}${more}): run \`npm install --include=dev\` once, then this again.`,
  );
  process.exit(1);
}
