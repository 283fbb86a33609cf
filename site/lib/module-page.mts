import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Code, Root, RootContent } from 'mdast';
import type { WorkshopModule } from './curriculum.mts';
import { codeIn, heading, inlineCode, jsxElement, paragraph, sectionOf, text } from './markdown-tree.mts';

/** The commands a module page must give, exactly as the attendee types them. */
export const checkCommand = (module: WorkshopModule): string => `npm run ${module.check}`;
export const catchupCommand = (module: WorkshopModule): string => `npm run catchup -- ${module.id}`;

/**
 * What is wrong with a module page: a missing "Check your work" or "Catch up" section, a section
 * without its exact command, a page that does not end with those two, or no architecture diagram.
 */
export function modulePageProblems(tree: Root, module: WorkshopModule): string[] {
  const problems: string[] = [];
  const requireCommand = (title: string, command: string) => {
    const section = sectionOf(tree.children, title);
    if (!section) problems.push(`add a "## ${title}" section that gives \`${command}\``);
    else if (!codeIn(section.nodes).some((code) => code.includes(command))) {
      problems.push(`the "## ${title}" section must give the command \`${command}\``);
    }
  };
  requireCommand('Check your work', checkCommand(module));
  requireCommand('Catch up', catchupCommand(module));
  // The page ends with what to do next: check, or catch up. Cleanup is the workshop's end, not a module's.
  const sections = tree.children.flatMap((n) =>
    n.type === 'heading' && n.depth === 2
      ? [n.children.map((c) => ('value' in c ? c.value : '')).join('')]
      : [],
  );
  if (sections.slice(-2).join(' → ') !== 'Check your work → Catch up') {
    problems.push('end the page with "## Check your work" and then "## Catch up"');
  }
  if (!tree.children.some((n) => n.type === 'code' && n.lang === 'mermaid')) {
    problems.push('add an architecture diagram (a ```mermaid code block)');
  }
  return problems;
}

/** The files a module page shows: the starter handlers the attendee edits, then the stack. */
export function moduleCodeFiles(module: WorkshopModule): string[] {
  return [...module.handlers.map((h) => `${module.folder}/starter/${h}`), `${module.folder}/stack.ts`];
}

const LANGUAGES: Record<string, string> = {
  ts: 'ts',
  tsx: 'tsx',
  js: 'js',
  mjs: 'js',
  json: 'json',
  md: 'md',
  sh: 'bash',
};

/** The Prism language of a file, from its extension. */
export const languageOf = (path: string): string => LANGUAGES[path.split('.').pop() ?? ''] ?? 'text';

/**
 * Inserts "The code" before "Check your work": each file of `moduleCodeFiles`, read from the
 * repository at build time, so what the page shows is what the attendee opens. Returns the
 * files that do not exist.
 */
export function insertModuleCode(tree: Root, module: WorkshopModule, root: string): string[] {
  const files = moduleCodeFiles(module);
  const missing = files.filter((f) => !existsSync(join(root, f)));
  const shown = files.filter((f) => !missing.includes(f));
  const blocks = shown.map((file) => {
    const code: Code = {
      type: 'code',
      lang: languageOf(file),
      meta: `title="${file}" showLineNumbers`,
      value: readFileSync(join(root, file), 'utf8').trimEnd(),
    };
    return jsxElement('details', [jsxElement('summary', [paragraph(inlineCode(file))]), code]);
  });
  const section: RootContent[] = [
    heading(2, 'The code'),
    paragraph(
      text('The files as they are in your copy of the repository (this page is built from them): '),
      text(module.handlers.length > 0 ? 'the starter handlers you complete, then the stack.' : 'the stack.'),
    ),
    ...blocks,
  ];
  const at = sectionOf(tree.children, 'Check your work')?.start ?? tree.children.length;
  tree.children.splice(at, 0, ...section);
  return missing;
}
