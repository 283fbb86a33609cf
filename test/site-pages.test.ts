import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { toString as textOf } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { curriculum, findModule, repoRoot } from '../core/curriculum.ts';
import { assertModulePages, pagePath } from '../site/lib/curriculum.mts';
import remarkWorkshop from '../site/lib/remark-workshop.mts';

const MODULE3 = 'modules/03-stream-aggregation/README.md';
/** A page beside module 3's (not a module page itself), for links relative to its folder. */
const NOTES3 = 'modules/03-stream-aggregation/notes.md';
const pages = [
  ...curriculum.map((m) => join(repoRoot, pagePath(m))),
  join(repoRoot, 'site/docs/overview.mdx'),
];
const readme3 = readFileSync(join(repoRoot, MODULE3), 'utf8');

/** Runs the site's Markdown plugin on `tree` as the page `page`; returns the tree it changed. */
function transform(tree: Root, page = MODULE3, frontMatter: Record<string, unknown> = {}): Root {
  const file = new VFile({ path: join(repoRoot, page), data: { frontMatter } });
  remarkWorkshop({ modules: curriculum, root: repoRoot, pages })(tree, file);
  return tree;
}

/** The URLs of the links in a tree. */
const urls = (tree: Root): string[] => {
  const found: string[] = [];
  visit(tree, 'link', (link) => {
    found.push(link.url);
  });
  return found;
};

/** A tree with one JSX element, as MDX parses `<Name />`. */
const jsxPage = (name: string): Root => ({
  type: 'root',
  children: [{ type: 'mdxJsxFlowElement', name, attributes: [], children: [] }],
});

describe('module pages', () => {
  it('fails the site build, naming the file to write, when a module has no README', () => {
    // Prepare: a repository whose second module has no instructions
    const root = mkdtempSync(join(tmpdir(), 'wildrydes-site-'));
    const [first, second] = curriculum;
    if (!first || !second) throw new Error('the curriculum has fewer than two modules');
    mkdirSync(join(root, first.folder), { recursive: true });
    writeFileSync(join(root, pagePath(first)), `# ${first.title}\n`);

    // Act
    const act = () => assertModulePages([first, second], root);

    // Assess
    expect(act).toThrow(`module ${second.id} (${second.title}) has no page: write ${pagePath(second)}`);
  });

  it('accepts the curriculum as it is: every module has its README', () => {
    // Act
    const act = () => assertModulePages(curriculum, repoRoot);

    // Assess
    expect(act).not.toThrow();
  });

  it.each([
    [
      'no "Check your work" section',
      (md: string) => md.replace('## Check your work', '## Check it'),
      'add a "## Check your work" section that gives `npm run check:module3`',
    ],
    [
      'a check section with another command',
      (md: string) => md.replaceAll('npm run check:module3', 'npm run check:module4'),
      'the "## Check your work" section must give the command `npm run check:module3`',
    ],
    [
      'a catch-up for another module',
      (md: string) => md.replaceAll('npm run catchup -- 3', 'npm run catchup -- 2'),
      'the "## Catch up" section must give the command `npm run catchup -- 3`',
    ],
    [
      'a section after "Catch up"',
      (md: string) => `${md}\n## Clean up\n\n\`npm run cleanup\`\n`,
      'end the page with "## Check your work" and then "## Catch up"',
    ],
    ['no diagram', (md: string) => md.replace('```mermaid', '```text'), 'add an architecture diagram'],
  ])('fails the build on a module page with %s', (_, edit, problem) => {
    // Prepare
    const tree = fromMarkdown(edit(readme3));

    // Act
    const act = () => transform(tree);

    // Assess
    expect(act).toThrow(problem);
  });

  it('shows the starter handlers and the stack as they are in the repository', () => {
    // Prepare
    const module = findModule(3);
    if (!module) throw new Error('no module 3');
    const files = [
      ...module.handlers.map((h) => `${module.folder}/starter/${h}`),
      `${module.folder}/stack.ts`,
    ];

    // Act
    const tree = transform(fromMarkdown(readme3));

    // Assess: one code block per file, with the file's text, before "Check your work"
    const blocks: { title?: string; value: string }[] = [];
    visit(tree, 'code', (code) => {
      if (code.meta?.includes('title=')) blocks.push({ title: code.meta, value: code.value });
    });
    expect(blocks.map((b) => b.title)).toEqual(files.map((f) => `title="${f}" showLineNumbers`));
    expect(blocks.map((b) => b.value)).toEqual(
      files.map((f) => readFileSync(join(repoRoot, f), 'utf8').trimEnd()),
    );
    const headings = tree.children.filter((n) => n.type === 'heading' && n.depth === 2).map((n) => textOf(n));
    expect(headings.indexOf('The code')).toBe(headings.indexOf('Check your work') - 1);
  });
});

describe('links in pages', () => {
  it.each([
    [
      'a file that does not exist',
      '[x](nope.ts)',
      'line 1: the link to "nope.ts" is broken: there is no modules/03-stream-aggregation/nope.ts',
    ],
    [
      'a place outside the repository',
      '[x](../../../etc/hostname)',
      'line 1: the link to "../../../etc/hostname" is broken: it leads outside the repository',
    ],
  ])('fail the build when they lead to %s', (_, markdown, problem) => {
    // Act
    const act = () => transform(fromMarkdown(markdown), NOTES3);

    // Assess
    expect(act).toThrow(problem);
  });

  it.each([
    ['a file', '[s](stack.ts)', '/source/modules/03-stream-aggregation/stack.ts/'],
    ['a folder', '[e](events/)', '/source/modules/03-stream-aggregation/events/'],
    [
      'a file, keeping the anchor',
      '[s](stack.ts#top)',
      '/source/modules/03-stream-aggregation/stack.ts/#top',
    ],
    [
      'a Markdown file that is not a page',
      '[n](../01-file-processing/samples/interview-xss.md)',
      '/source/modules/01-file-processing/samples/interview-xss.md/',
    ],
    ['a file elsewhere in the repository', '[c](../../checks/module3.ts)', '/source/checks/module3.ts/'],
  ])('to %s point at its source page', (_, markdown, url) => {
    // Act
    const tree = transform(fromMarkdown(markdown), NOTES3);

    // Assess
    expect(urls(tree)).toEqual([url]);
  });

  it.each([
    ['another module page', '../02-streaming-data/README.md'],
    ['a web page', 'https://docs.aws.amazon.com/lambda/'],
    ['a heading of the page', '#steps'],
  ])('to %s are left for Docusaurus to resolve and check', (_, url) => {
    // Act
    const tree = transform(fromMarkdown(`[x](${url})`), NOTES3);

    // Assess
    expect(urls(tree)).toEqual([url]);
  });
});

describe('sections generated from the curriculum', () => {
  it('<CheckHints /> lists every hint of every check, with its check and catch-up', () => {
    // Act
    const text = textOf(transform(jsxPage('CheckHints'), 'site/docs/troubleshooting.mdx'));

    // Assess
    for (const module of curriculum) {
      expect(text).toContain(`npm run ${module.check}`);
      expect(text).toContain(`npm run catchup -- ${module.id}`);
      for (const hint of module.hints) expect(text).toContain(textOf(fromMarkdown(hint)));
    }
  });

  it('<ModuleTable /> links every module to its page', () => {
    // Act
    const tree = transform(jsxPage('ModuleTable'), 'site/docs/overview.mdx');

    // Assess
    expect(urls(tree)).toEqual(curriculum.map((m) => `../../${m.folder}/README.md`));
  });

  it.each(curriculum.map((m) => [m.key, m.id]))(
    '<ModuleTiming /> fails the build when %s has no time',
    (key, id) => {
      // Prepare
      const minutes = Object.fromEntries(curriculum.filter((m) => m.key !== key).map((m) => [m.key, 30]));

      // Act
      const act = () => transform(jsxPage('ModuleTiming'), 'site/docs/instructor.mdx', { minutes });

      // Assess
      expect(act).toThrow(`give module ${id} its time: add \`${key}: <minutes>\` under \`minutes:\``);
    },
  );

  it('<ModuleTiming /> adds up the minutes of every module', () => {
    // Prepare
    const minutes = Object.fromEntries(curriculum.map((m, i) => [m.key, 10 * (i + 1)]));
    const total = curriculum.reduce((sum, _, i) => sum + 10 * (i + 1), 0);

    // Act
    const text = textOf(transform(jsxPage('ModuleTiming'), 'site/docs/instructor.mdx', { minutes }));

    // Assess
    expect(text).toContain(`in all${total}`);
  });
});
