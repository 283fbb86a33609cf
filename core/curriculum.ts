import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One workshop module, as listed in `curriculum.json` (the single source of truth). */
export interface WorkshopModule {
  /** Position in the workshop; `catchup -- N` deploys every module with `id <= N`. */
  id: number;
  /** Short name used by scripts: `check:<key>`. */
  key: string;
  title: string;
  /** Instructions and starter handlers, relative to the repo root. */
  folder: string;
  /** Solution handlers, relative to the repo root. */
  solutions: string;
  /** CloudFormation stack name. */
  stack: string;
  /** Handler file names, the same in the starter and the solution folder. */
  handlers: string[];
  /** The npm script that checks the module. */
  check: string;
  /** One hint per TODO, shown when the check fails. */
  hints: string[];
}

/** Absolute path of the repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The modules in workshop order. */
export const curriculum: WorkshopModule[] = JSON.parse(
  readFileSync(join(repoRoot, 'curriculum.json'), 'utf8'),
).modules;

/** Finds a module by number (`3`) or key (`module3`, `extra`). */
export function findModule(idOrKey: string | number): WorkshopModule | undefined {
  return curriculum.find((m) => String(m.id) === String(idOrKey) || m.key === idOrKey);
}
