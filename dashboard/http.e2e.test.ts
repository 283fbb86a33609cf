import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetConfig } from '../core/target.ts';
import { type SiteServer, serveSite } from '../site/serve.mts';
import { buildDashboard } from './build.mjs';
import { dashboardHandler } from './http.ts';
import { Dashboard } from './service.ts';

// What `npm start` serves on the site's port when the site is not built: the dashboard all the same.

describe('the dashboard beside an unbuilt site', () => {
  let site: SiteServer;
  let empty: string;
  let build: string;

  beforeAll(async () => {
    empty = mkdtempSync(join(tmpdir(), 'wildrydes-site-unbuilt-'));
    build = await buildDashboard(mkdtempSync(join(tmpdir(), 'wildrydes-dashboard-build-')));
    // Nothing answers on port 9: the dashboard is never asked to read here anyway.
    const dashboard = new Dashboard({
      target: targetConfig('local', {}, { WILDRYDES_ENDPOINT: 'http://127.0.0.1:9' }),
    });
    site = await serveSite(empty, 0, dashboardHandler(dashboard, build));
  }, 60_000);

  afterAll(async () => {
    await site?.close();
    rmSync(empty, { recursive: true, force: true });
    rmSync(build, { recursive: true, force: true });
  });

  it.each([
    ['/dashboard/', 200, 'text/html', 'Wild Rydes operations'],
    ['/dashboard/app.js', 200, 'text/javascript', 'wildrydesDashboard'],
    ['/dashboard/app.css', 200, 'text/css', '.leaflet-'],
    ['/dashboard/state', 200, 'application/json', '"type":"hello"'],
    ['/dashboard/nothing-here', 404, 'text/plain', 'not found'],
    [
      '/',
      404,
      'text/plain',
      'The live dashboard is at /dashboard/; the workshop site is not built yet: run npm run site:build.',
    ],
  ])('GET %s: %i %s', async (path, status, type, text) => {
    // Act
    const res = await fetch(new URL(path, site.url));

    // Assess
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain(type);
    expect(await res.text()).toContain(text);
  });

  it('leads /dashboard to /dashboard/, and says it serves the dashboard only', async () => {
    // Act
    const res = await fetch(new URL('/dashboard', site.url), { redirect: 'manual' });

    // Assess
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dashboard/');
    expect(site.built).toBe(false);
    expect(site.dashboardUrl).toBe(`${site.url}dashboard/`);
  });
});
