import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** The system Chromium the browser tests drive (Debian's `chromium` package). */
export const CHROMIUM = '/usr/bin/chromium';

/** A headless Chromium with its own profile, for the browser tests (the site, the boards). */
export interface TestBrowser {
  context: BrowserContext;
  /** A new page that records every script error, so a page that breaks fails the test. */
  open(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Launches Chromium headless (no sandbox, no GPU, no background traffic). */
export async function launchChromium(viewport = { width: 1400, height: 1000 }): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser tests need Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\``);
  }
  const profile = mkdtempSync(join(tmpdir(), 'wildrydes-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport,
  });
  return {
    context,
    open: async () => {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      return { page, errors };
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
