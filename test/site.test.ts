import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curriculum, repoRoot, type WorkshopModule } from '../core/curriculum.ts';
import { type SiteServer, serveSite } from '../site/serve.mts';
import { launchChromium, type TestBrowser } from '../testing/browser.ts';
import { ensureSiteBuilt } from '../testing/site-build.ts';

const ARTIFACTS = join(repoRoot, 'artifacts');

let site: SiteServer;
let browser: TestBrowser;
let buildDir: string;

beforeAll(async () => {
  buildDir = await ensureSiteBuilt();
  site = await serveSite(buildDir, 0);
  browser = await launchChromium({ width: 1280, height: 900 });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** The title a module's README gives itself: its page's heading. */
const titleOf = (module: WorkshopModule): string =>
  /^# (.+)$/m.exec(readFileSync(join(repoRoot, module.folder, 'README.md'), 'utf8'))?.[1] ?? module.title;

const htmlPages = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map((f) => join(dir, f));

/**
 * The text a reader sees in an HTML page: a block or a line of code ends a line, and the other
 * tags go (highlighting splits a command into tokens).
 */
const visibleText = (html: string): string =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<(?:p|div|li|td|th|tr|br|h\d|pre|span class="?token-line)\b[^>]*>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('the workshop site in a browser', () => {
  it('walks every module page from the sidebar: each gives its check and shows a diagram', async () => {
    // Prepare
    const { page, errors } = await browser.open();
    await page.goto(site.url);
    const sidebar = page.getByRole('navigation', { name: 'Docs sidebar' });
    // The category's own link (to its first page) is not a page of the walk.
    const pageLink = (href: string) => sidebar.locator(`a.menu__link:not(.menu__link--sublist)[href${href}]`);
    const moduleLinks = pageLink('^="/modules/"');

    // Act
    const hrefs = await Promise.all((await moduleLinks.all()).map((link) => link.getAttribute('href')));
    const visited: string[] = [];
    for (const module of curriculum) {
      await pageLink(`="/${module.folder}/"`).click();
      await page.waitForURL(`**/${module.folder}/`);
      const article = page.locator('article');
      await expect.poll(() => article.locator('h1').textContent(), { timeout: 20_000 }).toBe(titleOf(module));
      const diagram = article.locator('.docusaurus-mermaid-container svg');
      await diagram.first().waitFor({ state: 'visible', timeout: 20_000 });

      // Assess
      const text = (await article.textContent()) ?? '';
      expect(text).toContain(`npm run ${module.check}`);
      expect(text).toContain(`npm run catchup -- ${module.id}`);
      expect(await diagram.first().locator('g.node').count()).toBeGreaterThan(1);
      visited.push(page.url().replace(site.url, '/'));
      if (module.id === 3) {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'site-module3.png'), fullPage: false });
      }
    }

    // Assess
    expect(hrefs).toEqual(curriculum.map((m) => `/${m.folder}/`));
    expect(visited).toEqual(curriculum.map((m) => `/${m.folder}/`));
    expect(errors).toEqual([]);
    expect(existsSync(join(ARTIFACTS, 'site-module3.png'))).toBe(true);
  });

  it('finds a module page with the offline search', async () => {
    // Prepare
    const { page, errors } = await browser.open();
    await page.goto(site.url);

    // Act
    const searchBox = page.getByPlaceholder('Search').first();
    await searchBox.fill('tumbling windows');
    await page.getByRole('option').first().waitFor({ state: 'visible', timeout: 20_000 });
    await searchBox.press('Enter');

    // Assess: module 3 explains tumbling windows; the index built with the site finds it, offline
    await page.waitForURL('**/modules/03-stream-aggregation/**', { timeout: 20_000 });
    // The URL changes before the page is rendered: wait for its title, as the walk above does
    await expect
      .poll(() => page.locator('article h1').textContent(), { timeout: 20_000 })
      .toContain('Stream aggregation');
    expect(errors).toEqual([]);
  });
});

describe('the commands on the site', () => {
  it('name only npm scripts that exist in package.json', () => {
    // Prepare
    const scripts = Object.keys(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts);

    // Act
    const commands = new Set(
      htmlPages(buildDir).flatMap((file) =>
        [...visibleText(readFileSync(file, 'utf8')).matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]),
      ),
    );

    // Assess
    expect([...commands]).toEqual(expect.arrayContaining(curriculum.map((m) => m.check)));
    expect([...commands].filter((c) => c !== undefined && !scripts.includes(c))).toEqual([]);
  });
});
