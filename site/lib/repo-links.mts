import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** Where a link written in a page leads, once resolved against the repository. */
export type RepoLink =
  /** A URL with a scheme, a site path or an anchor: Docusaurus checks what needs checking. */
  | { kind: 'external' }
  /** A page of the site: Docusaurus turns the link to its Markdown file into the link to the page. */
  | { kind: 'page'; repoPath: string }
  /** Any other repository file or folder: the site shows it on a source page. */
  | { kind: 'source'; repoPath: string; directory: boolean; hash: string }
  | { kind: 'broken'; reason: string };

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Resolves `url`, written in the page `fromFile`, against the repository at `root`; `pages` are
 * the repository paths of the site's pages (any other file, Markdown too, is shown as source).
 */
export function classifyLink(url: string, fromFile: string, root: string, pages: string[]): RepoLink {
  if (SCHEME.test(url) || url.startsWith('/') || url.startsWith('#') || url === '')
    return { kind: 'external' };
  const hashAt = url.indexOf('#');
  const hash = hashAt === -1 ? '' : url.slice(hashAt);
  const pathPart = (hashAt === -1 ? url : url.slice(0, hashAt)).replace(/\?.*$/, '');
  const target = resolve(dirname(fromFile), decodeURIComponent(pathPart));
  const repoPath = relative(root, target);
  if (repoPath.startsWith('..') || isAbsolute(repoPath)) {
    return { kind: 'broken', reason: 'it leads outside the repository' };
  }
  if (!existsSync(target)) return { kind: 'broken', reason: `there is no ${toPosix(repoPath)}` };
  const posixPath = toPosix(repoPath);
  if (pages.includes(posixPath)) return { kind: 'page', repoPath: posixPath };
  return { kind: 'source', repoPath: posixPath, directory: statSync(target).isDirectory(), hash };
}

/**
 * The site route that shows a repository file or folder. It ends with `/`, like a folder's, so
 * that Docusaurus does not take the route of a Markdown file for a link to a page.
 */
export function sourceRoute(repoPath: string): string {
  return repoPath === '' ? '/source/' : `/source/${repoPath}/`;
}

/** A path relative to the repository, with `/` on every platform. */
export function toPosix(path: string): string {
  return path.split(sep).join('/');
}
