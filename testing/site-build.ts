import { execFile } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../core/curriculum.ts';
import { isBuildCurrent } from '../site/lib/inputs-hash.mts';
import { siteBuildDir } from '../site/serve.mts';

const run = promisify(execFile);

/**
 * Builds the site as `npm run site:build` does, unless `site/build` was built from the inputs as
 * they are now. It builds into a folder of its own and then swaps it in, so a reader of
 * `site/build` never sees half a site. Returns the build's directory.
 */
export async function ensureSiteBuilt(): Promise<string> {
  if (isBuildCurrent(siteBuildDir, repoRoot)) return siteBuildDir;
  const fresh = join(repoRoot, 'site', '.build-in-progress');
  rmSync(fresh, { recursive: true, force: true });
  const docusaurus = join(repoRoot, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
  await run(process.execPath, [docusaurus, 'build', 'site', '--out-dir', fresh], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((err: { stdout?: string; stderr?: string }) => {
    throw new Error(`the site build failed:\n${err.stderr || err.stdout}`);
  });
  rmSync(siteBuildDir, { recursive: true, force: true });
  renameSync(fresh, siteBuildDir);
  return siteBuildDir;
}
