import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import type { Definition, Link } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { visit } from 'unist-util-visit';
import type { WorkshopModule } from './curriculum.mts';
import { languageOf, moduleCodeFiles } from './module-page.mts';
import { classifyLink, sourceRoute, toPosix } from './repo-links.mts';

/** A file or folder in a folder's listing. */
export interface SourceEntry {
  name: string;
  route: string;
  directory: boolean;
}

/** What a source page shows: a file's text, or a folder's entries. */
export type SourceData =
  | { path: string; route: string; language: string; text: string }
  | { path: string; route: string; entries: SourceEntry[] };

export interface SourcePagesOptions {
  /** Absolute paths of the site's Markdown pages: what they link to gets a source page. */
  pages: string[];
  modules: WorkshopModule[];
  root: string;
}

/** Folders that are built, installed or private: never listed. */
const SKIPPED = new Set([
  'node_modules',
  '.git',
  'dist',
  'cdk.out',
  'build',
  '.docusaurus',
  '.wildrydes',
  'artifacts',
]);
/** Larger files are data, not code to read on a page. */
const MAX_BYTES = 256 * 1024;

const isReadableText = (path: string): boolean => {
  if (statSync(path).size > MAX_BYTES) return false;
  return !readFileSync(path).includes(0);
};

/**
 * The source pages of the site: every repository file or folder a page links to (a folder with
 * what it holds), and the code the module pages include.
 */
export function collectSources({ pages, modules, root }: SourcePagesOptions): SourceData[] {
  const pagePaths = pages.map((p) => toPosix(relative(root, p)));
  const found = new Map<string, SourceData>();
  const addFile = (path: string) => {
    if (found.has(path) || !isReadableText(join(root, path))) return;
    const text = readFileSync(join(root, path), 'utf8');
    found.set(path, { path, route: sourceRoute(path), language: languageOf(path), text });
  };
  const addFolder = (path: string) => {
    if (found.has(path)) return;
    const entries = readdirSync(join(root, path), { withFileTypes: true })
      .filter((e) => !SKIPPED.has(e.name) && (e.isDirectory() || isReadableText(join(root, path, e.name))))
      .map((e) => ({ name: e.name, directory: e.isDirectory() }))
      .sort((a, b) => Number(b.directory) - Number(a.directory) || a.name.localeCompare(b.name));
    found.set(path, {
      path,
      route: sourceRoute(path),
      entries: entries.map((e) => ({ ...e, route: sourceRoute(`${path}/${e.name}`) })),
    });
    for (const e of entries) (e.directory ? addFolder : addFile)(`${path}/${e.name}`);
  };
  for (const page of pages) {
    visit(fromMarkdown(readFileSync(page, 'utf8')), ['link', 'definition'], (node) => {
      const link = classifyLink((node as Link | Definition).url, page, root, pagePaths);
      if (link.kind === 'source') (link.directory ? addFolder : addFile)(link.repoPath);
    });
  }
  for (const file of modules.flatMap(moduleCodeFiles)) addFile(file);
  return [...found.values()];
}

/** The Docusaurus plugin that adds a page per source file and folder (`/source/<path>`). */
export default function sourcePagesPlugin(_context: LoadContext, options: SourcePagesOptions): Plugin {
  return {
    name: 'wildrydes-source-pages',
    async contentLoaded({ actions }) {
      await Promise.all(
        collectSources(options).map(async (source, i) => {
          const data = await actions.createData(`source-${i}.json`, JSON.stringify(source));
          actions.addRoute({
            path: source.route,
            component: '@site/src/components/SourcePage.tsx',
            modules: { source: data },
            exact: true,
          });
        }),
      );
    },
    getPathsToWatch: () => options.pages,
  };
}
