import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { repoRoot } from '../core/curriculum.ts';

/** What a copy leaves out: installed packages (linked instead), git, and built or generated output. */
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'cdk.out', '.wildrydes', 'coverage', 'artifacts']);

/** A copy of the project in a temporary directory, for tests that edit its files. */
export interface ProjectCopy {
  root: string;
  remove(): Promise<void>;
}

/**
 * Copies the project (its sources, not node_modules, which is linked) so a test can save stacks
 * and handlers without touching the real ones: `repoRoot` inside the copy is the copy.
 */
export async function copyProject(): Promise<ProjectCopy> {
  const root = await mkdtemp(join(tmpdir(), 'wildrydes-project-'));
  await cp(repoRoot, root, {
    recursive: true,
    filter: (src) => !SKIPPED.has(basename(src)),
  });
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}
