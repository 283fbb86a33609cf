import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../cli/curriculum.ts';
import { siteBuildDir } from '../site/serve.mts';

const run = promisify(execFile);

/** What the site is built from: its own files, the curriculum, and the repository files it shows. */
const INPUTS = ['site', 'modules', 'solutions', 'checks', 'cli', 'curriculum.json', 'package.json'];
const SKIPPED = new Set(['build', '.docusaurus', 'node_modules', '.build-in-progress']);
const STAMP = '.inputs-hash';

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
export function siteInputsHash(): string {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of filesUnder(join(repoRoot, input))) {
      hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

/**
 * Builds the site with `npm run site:build`'s command unless `site/build` was built from the
 * inputs as they are now. It builds into a folder of its own and then swaps it in, so a reader of
 * `site/build` never sees half a site. Returns the build's directory.
 */
export async function ensureSiteBuilt(): Promise<string> {
  const inputs = siteInputsHash();
  const stamp = join(siteBuildDir, STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === inputs) return siteBuildDir;
  const fresh = join(repoRoot, 'site', '.build-in-progress');
  rmSync(fresh, { recursive: true, force: true });
  const docusaurus = join(repoRoot, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
  await run(process.execPath, [docusaurus, 'build', 'site', '--out-dir', fresh], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((err: { stdout?: string; stderr?: string }) => {
    throw new Error(`the site build failed:\n${err.stderr || err.stdout}`);
  });
  writeFileSync(join(fresh, STAMP), inputs);
  rmSync(siteBuildDir, { recursive: true, force: true });
  renameSync(fresh, siteBuildDir);
  return siteBuildDir;
}
