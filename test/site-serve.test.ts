import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../core/curriculum.ts';
import { UsageError } from '../core/errors.ts';
import {
  SiteServeError,
  type SiteServer,
  serveSite,
  serveWorkshopSite,
  validateSitePort,
} from '../site/serve.mts';

const run = promisify(execFile);

/** A built site in miniature: a home page, a nested page, an asset and the 404 page. */
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wildrydes-site-build-'));
  mkdirSync(join(dir, 'modules', 'one'), { recursive: true });
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(dir, 'modules', 'one', 'index.html'), '<h1>module one</h1>');
  writeFileSync(join(dir, 'assets', 'main.js'), 'console.log(1)');
  writeFileSync(join(dir, '404.html'), '<h1>not here</h1>');
  // A link out of the build, as a stray `ln -s` (or a package's files) could leave there.
  const outside = mkdtempSync(join(tmpdir(), 'wildrydes-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 'private key');
  symlinkSync(join(outside, 'secret.txt'), join(dir, 'assets', 'leak.txt'));
  symlinkSync(outside, join(dir, 'outside'));
  return dir;
}

/** GET with the path sent exactly as given (fetch would normalise `..` away). */
const get = (url: string, path: string) =>
  new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const req = request(new URL(url), { path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }),
      );
    });
    req.on('error', reject);
    req.end();
  });

describe('serveSite', () => {
  let site: SiteServer;
  const dir = fakeBuild();
  beforeAll(async () => {
    site = await serveSite(dir, 0);
  });
  afterAll(() => site.close());

  it('listens on the loopback address only', () => {
    // Assess
    expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it.each([
    ['/', 200, 'text/html', 'home'],
    ['/modules/one/', 200, 'text/html', 'module one'],
    ['/modules/one', 200, 'text/html', 'module one'],
    ['/assets/main.js', 200, 'text/javascript', 'console.log'],
    ['/modules/two/', 404, 'text/html', 'not here'],
    ['/../../etc/hostname', 404, 'text/html', 'not here'],
    ['/%2e%2e/%2e%2e/etc/hostname', 404, 'text/html', 'not here'],
    ['/%E0%A4%A', 404, 'text/html', 'not here'],
    ['/assets/leak.txt', 404, 'text/html', 'not here'],
    ['/outside/secret.txt', 404, 'text/html', 'not here'],
  ])('GET %s answers %i (%s)', async (path, status, type, text) => {
    // Act
    const res = await get(site.url, path);

    // Assess
    expect(res.status).toBe(status);
    expect(res.type).toContain(type);
    expect(res.body).toContain(text);
  });

  it('tells the browser never to sniff a type (X-Content-Type-Options: nosniff)', async () => {
    // Act
    const res = await fetch(`${site.url}assets/main.js`);

    // Assess
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('says to build the site when it is not built', async () => {
    // Prepare
    const empty = mkdtempSync(join(tmpdir(), 'wildrydes-site-unbuilt-'));

    // Act
    const serving = serveSite(empty, 0);

    // Assess
    await expect(serving).rejects.toThrow(SiteServeError);
    await expect(serving).rejects.toThrow('the workshop site is not built yet: run `npm run site:build`');
  });

  it('says to pick another port when its port is taken', async () => {
    // Prepare
    const port = Number(new URL(site.url).port);

    // Act
    const serving = serveSite(dir, port);

    // Assess
    await expect(serving).rejects.toThrow(`port ${port} is in use: pass --site-port with a free port`);
  });
});

describe('the site next to npm start', () => {
  it.each([[70_000], [-1], [1.5], [Number.NaN]])(
    'refuses --site-port %s with a usage error (exit 2)',
    (port) => {
      // Act
      const act = () => validateSitePort(port);

      // Assess
      expect(act).toThrow(UsageError);
      expect(act).toThrow(/^--site-port takes a port number from 0 \(any free one\) to 65535/);
    },
  );

  it('says in one line why the site is not served, and lets the cloud start anyway', async () => {
    // Prepare: the port is taken (or, before a build, the site is missing: the same outcome)
    const taken = await serveSite(fakeBuild(), 0);
    const lines: string[] = [];

    // Act
    const site = await serveWorkshopSite(Number(new URL(taken.url).port), (line) => lines.push(line));

    // Assess
    expect(site).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^The workshop site is not served: .*(pass --site-port|npm run site:build)/);
    await taken.close();
  });

  it('npm start refuses a bad --site-port before starting anything', async () => {
    // Act
    const result = await run(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'cli/wildrydes.ts'), 'start', '--no-watch', '--site-port', '70000'],
      { cwd: repoRoot },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      "error: --site-port takes a port number from 0 (any free one) to 65535, e.g. --site-port 4567 (got '70000')",
    ]);
  });
});
