import { dirname, join, relative } from 'node:path';
import type { PhrasingContent, RootContent, Table, TableCell } from 'mdast';
import { pagePath, type WorkshopModule } from './curriculum.mts';
import { heading, inlineCode, inlineMarkdown, paragraph, text } from './markdown-tree.mts';
import { catchupCommand, checkCommand } from './module-page.mts';
import { toPosix } from './repo-links.mts';

/** What a generated section is built from: the curriculum, and the page it goes in. */
export interface SectionContext {
  modules: WorkshopModule[];
  root: string;
  /** Absolute path of the page. */
  file: string;
  frontMatter: Record<string, unknown>;
  /** Collects what the page must fix; the build fails on any. */
  problems: string[];
}

type Generator = (ctx: SectionContext) => RootContent[];

const cell = (...children: PhrasingContent[]): TableCell => ({ type: 'tableCell', children });

const table = (header: string[], rows: PhrasingContent[][][]): Table => ({
  type: 'table',
  children: [header.map((h) => [text(h)]), ...rows].map((cells) => ({
    type: 'tableRow',
    children: cells.map((c) => cell(...c)),
  })),
});

/** A link from the page to a module's page, written as the link to its README (Docusaurus resolves it). */
const moduleLink = (ctx: SectionContext, module: WorkshopModule): PhrasingContent => ({
  type: 'link',
  url: toPosix(relative(dirname(ctx.file), join(ctx.root, pagePath(module)))),
  children: [text(module.title)],
});

/** `<ModuleTable />`: every module, its check and its catch-up. */
const moduleTable: Generator = (ctx) => [
  table(
    ['#', 'module', 'check your work', 'catch up'],
    ctx.modules.map((m) => [
      [text(String(m.id))],
      [moduleLink(ctx, m)],
      [inlineCode(checkCommand(m))],
      [inlineCode(catchupCommand(m))],
    ]),
  ),
];

/** `<ModuleTiming />`: minutes per module from the page's `minutes` front matter, and the total. */
const moduleTiming: Generator = (ctx) => {
  const minutes = (ctx.frontMatter.minutes ?? {}) as Record<string, unknown>;
  const timed = ctx.modules.map((m) => ({ module: m, minutes: minutes[m.key] }));
  for (const { module, minutes } of timed) {
    if (typeof minutes !== 'number') {
      ctx.problems.push(
        `give module ${module.id} its time: add \`${module.key}: <minutes>\` under \`minutes:\``,
      );
    }
  }
  const total = timed.reduce((sum, t) => sum + (typeof t.minutes === 'number' ? t.minutes : 0), 0);
  return [
    table(
      ['#', 'module', 'minutes', 'the room is done when'],
      [
        ...timed.map(({ module, minutes }) => [
          [text(String(module.id))],
          [moduleLink(ctx, module)],
          [text(String(minutes))],
          [inlineCode(checkCommand(module)), text(' passes')],
        ]),
        [[text('')], [text('in all')], [text(String(total))], [text('')]],
      ],
    ),
  ];
};

/** `<CheckHints />`: per module, the hints its check prints, from curriculum.json. */
const checkHints: Generator = (ctx) =>
  ctx.modules.flatMap((m): RootContent[] => [
    heading(3, `${m.id}. ${m.title}`),
    paragraph(
      text('When '),
      inlineCode(checkCommand(m)),
      text(' fails and names no other cause, it prints one of these hints (instructions: '),
      moduleLink(ctx, m),
      text('):'),
    ),
    {
      type: 'list',
      ordered: false,
      children: m.hints.map((hint) => ({ type: 'listItem', children: [paragraph(...inlineMarkdown(hint))] })),
    },
    paragraph(
      text('Still stuck: '),
      inlineCode(catchupCommand(m)),
      text(` deploys the solutions of modules 1 to ${m.id}; then run the check again.`),
    ),
  ]);

/** The components a site page may use to show what the curriculum says, by JSX name. */
export const generators: Record<string, Generator> = {
  ModuleTable: moduleTable,
  ModuleTiming: moduleTiming,
  CheckHints: checkHints,
};
