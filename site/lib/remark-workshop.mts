import { relative } from 'node:path';
import type { Definition, Link, Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { pagePath, type WorkshopModule } from './curriculum.mts';
import { generators, type SectionContext } from './generated-sections.mts';
import { insertModuleCode, modulePageProblems } from './module-page.mts';
import { classifyLink, sourceRoute, toPosix } from './repo-links.mts';

/** What is wrong with a page, one fix per line; thrown so that the site build fails. */
export class WorkshopPageError extends Error {
  constructor(page: string, problems: string[]) {
    super(`${page} needs fixing:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'WorkshopPageError';
  }
}

export interface RemarkWorkshopOptions {
  modules: WorkshopModule[];
  /** Absolute path of the repository root. */
  root: string;
  /** The site's pages, as absolute paths. */
  pages: string[];
}

/**
 * The site's Markdown plugin. On every page it checks each relative link against the repository
 * (a broken one fails the build) and points links to code at the code's source page; on a module
 * page it requires the check, the catch-up and a diagram, and includes the module's code; on the
 * site's own pages it fills `<ModuleTable />`, `<ModuleTiming />` and `<CheckHints />` from the
 * curriculum.
 */
export default function remarkWorkshop({ modules, root, pages }: RemarkWorkshopOptions) {
  const pagePaths = pages.map((p) => toPosix(relative(root, p)));
  return (tree: Root, file: VFile): void => {
    const page = toPosix(relative(root, file.path));
    const problems: string[] = [];
    rewriteLinks(tree, file.path, root, pagePaths, problems);
    const module = modules.find((m) => pagePath(m) === page);
    if (module) {
      problems.push(...modulePageProblems(tree, module));
      const missing = insertModuleCode(tree, module, root);
      problems.push(...missing.map((f) => `the page shows ${f}, which does not exist`));
    }
    const frontMatter = (file.data.frontMatter ?? {}) as Record<string, unknown>;
    fillGenerated(tree, { modules, root, file: file.path, frontMatter, problems });
    if (problems.length > 0) throw new WorkshopPageError(page, problems);
  };
}

function rewriteLinks(tree: Root, from: string, root: string, pages: string[], problems: string[]): void {
  visit(tree, ['link', 'definition'], (node) => {
    const link = node as Link | Definition;
    const target = classifyLink(link.url, from, root, pages);
    if (target.kind === 'broken') {
      const line = link.position?.start.line;
      problems.push(`line ${line}: the link to "${link.url}" is broken: ${target.reason}`);
    } else if (target.kind === 'source') {
      link.url = sourceRoute(target.repoPath) + target.hash;
    }
  });
}

/** Replaces each `<Name />` of `generators` with the section it generates. */
function fillGenerated(tree: Root, ctx: SectionContext): void {
  const replace = (children: RootContent[]) => {
    for (let i = children.length - 1; i >= 0; i--) {
      const node = children[i];
      if (node?.type !== 'mdxJsxFlowElement') continue;
      const generate = node.name ? generators[node.name] : undefined;
      if (generate) children.splice(i, 1, ...generate(ctx));
      else replace((node as MdxJsxFlowElement).children as RootContent[]);
    }
  };
  replace(tree.children);
}
