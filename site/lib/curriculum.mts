import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkshopModule } from '../../core/curriculum.ts';

export { curriculum, repoRoot, type WorkshopModule } from '../../core/curriculum.ts';

/** A module of `curriculum.json` that has no instructions for the site to show. */
export class ModulePageMissingError extends Error {
  constructor(readonly missing: WorkshopModule[]) {
    super(missing.map((m) => `module ${m.id} (${m.title}) has no page: write ${pagePath(m)}`).join('\n'));
    this.name = 'ModulePageMissingError';
  }
}

/** The module's instructions, relative to the repository: the one source of its page. */
export const pagePath = (module: WorkshopModule): string => `${module.folder}/README.md`;

/** The Docusaurus doc id of the module's page (docs are read from the repository root). */
export const pageDocId = (module: WorkshopModule): string => `${module.folder}/README`;

/** Throws when a module of the curriculum has no README.md, so the site never lacks a module. */
export function assertModulePages(modules: WorkshopModule[], root: string): void {
  const missing = modules.filter((m) => !existsSync(join(root, pagePath(m))));
  if (missing.length > 0) throw new ModulePageMissingError(missing);
}
