import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as Preset from '@docusaurus/preset-classic';
import type { Config, Plugin } from '@docusaurus/types';
import { themes as prismThemes } from 'prism-react-renderer';
import { assertModulePages, curriculum, pagePath, repoRoot } from './lib/curriculum.mts';
import { inputsStampPlugin } from './lib/inputs-hash.mts';
import remarkWorkshop from './lib/remark-workshop.mts';
import sourcePagesPlugin from './lib/source-pages.mts';

// Every module of the curriculum has a page, or the site does not build.
assertModulePages(curriculum, repoRoot);

const siteDocs = readdirSync(join(repoRoot, 'site/docs')).filter((f) => f.endsWith('.mdx'));
/** Every page of the site, as absolute paths: the module READMEs (the one source) and site/docs. */
const pages = [
  ...curriculum.map((m) => join(repoRoot, pagePath(m))),
  ...siteDocs.map((f) => join(repoRoot, 'site/docs', f)),
];
const workshop = { modules: curriculum, root: repoRoot, pages };

/**
 * Mermaid's optional ELK layout is not installed (no diagram uses it): the alias keeps the bundler
 * from failing to resolve the import that the Mermaid theme guards.
 */
const withoutElkLayout = (): Plugin => ({
  name: 'wildrydes-without-elk-layout',
  configureWebpack: () => ({ resolve: { alias: { '@mermaid-js/layout-elk': false } } }),
});

const config: Config = {
  title: 'Wild Rydes Data Processing Workshop',
  tagline: 'Serverless data pipelines on AWS, or fully offline on a local cloud',
  url: 'http://127.0.0.1',
  baseUrl: '/',
  favicon: 'img/favicon.svg',
  future: {
    v4: true,
    // Rspack and SWC: a fraction of webpack's build time. No persistent cache: it kept pages that
    // link to a page whose slug had changed, and a clean build takes under a minute.
    faster: {
      swcJsLoader: true,
      swcJsMinimizer: true,
      swcHtmlMinimizer: true,
      lightningCssMinimizer: true,
      mdxCrossCompilerCache: true,
      rspackBundler: true,
      rspackPersistentCache: false,
      ssgWorkerThreads: true,
      gitEagerVcs: false,
    },
  },
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  markdown: {
    mermaid: true,
    // The READMEs are plain GitHub Markdown; only the site's own pages use MDX.
    format: 'detect',
    hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' },
  },
  presets: [
    [
      'classic',
      {
        docs: {
          // The repository root, so the pages come from modules/*/README.md and nothing is copied.
          path: '..',
          include: [...curriculum.map(pagePath), 'site/docs/*.mdx'],
          routeBasePath: '/',
          sidebarPath: './sidebars.ts',
          numberPrefixParser: false,
          beforeDefaultRemarkPlugins: [[remarkWorkshop, workshop]],
          showLastUpdateTime: false,
          showLastUpdateAuthor: false,
        },
        blog: false,
        pages: false,
        sitemap: false,
        theme: { customCss: './src/css/custom.css' },
      } satisfies Preset.Options,
    ],
  ],
  themes: [
    '@docusaurus/theme-mermaid',
    [
      '@easyops-cn/docusaurus-search-local',
      { hashed: true, indexBlog: false, indexPages: false, docsRouteBasePath: '/', language: ['en'] },
    ],
  ],
  plugins: [
    (context) => sourcePagesPlugin(context, workshop),
    withoutElkLayout,
    () => inputsStampPlugin(repoRoot),
  ],
  themeConfig: {
    navbar: {
      title: 'Wild Rydes',
      items: [
        { type: 'docSidebar', sidebarId: 'workshop', position: 'left', label: 'Workshop' },
        { to: '/instructor', label: 'Instructors', position: 'left' },
        { to: '/troubleshooting', label: 'Troubleshooting', position: 'left' },
      ],
    },
    footer: { style: 'dark', copyright: 'Wild Rydes Data Processing Workshop — MIT-0' },
    prism: {
      theme: prismThemes.github,
      darkTheme: prismThemes.dracula,
      additionalLanguages: ['bash', 'json'],
    },
    mermaid: { theme: { light: 'neutral', dark: 'dark' } },
  } satisfies Preset.ThemeConfig,
};

export default config;
