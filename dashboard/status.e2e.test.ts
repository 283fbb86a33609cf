import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../contracts/names.ts';
import { targetConfig } from '../core/target.ts';
import { type LocalCloud, startLocalCloud } from '../local/cloud.ts';
import { outboxFile } from '../local/sns/outbox.ts';
import { launchChromium, type TestBrowser } from '../testing/browser.ts';
import { clientConfig } from '../testing/local-cloud.ts';
import { createStream, putRecords, status } from '../testing/streams.ts';
import { buildDashboard } from './build.mjs';
import { type DashboardServer, serveDashboard } from './serve.ts';

/** Where the page drew each unicorn (its hook for tests, `window.wildrydesDashboard`). */
const markers = (page: Page) =>
  page.evaluate('window.wildrydesDashboard.markers()') as Promise<
    { name: string; lat: number; lon: number; low: boolean }[]
  >;

// A bare local cloud (nothing deployed) that the test changes under the page: the page says what
// is missing and what to run, and recovers by itself, without a reload.

const statusText = (page: Page) => page.locator('#status').textContent();
const markerNames = (page: Page) => markers(page).then((all) => all.map((m) => m.name).sort());

describe('the live dashboard when something is missing', () => {
  let cloud: LocalCloud;
  let port: number;
  let server: DashboardServer;
  let browser: TestBrowser;
  let buildDir = '';
  let stateDir: string;

  beforeAll(async () => {
    // A bundle of this file's own: test files run in parallel.
    buildDir = await buildDashboard(mkdtempSync(join(tmpdir(), 'wildrydes-dashboard-build-')));
    cloud = await startLocalCloud({ port: 0 });
    port = cloud.port;
    stateDir = mkdtempSync(join(tmpdir(), 'wildrydes-dashboard-'));
    server = await serveDashboard(0, {
      target: targetConfig('local', {}, { WILDRYDES_ENDPOINT: cloud.endpoint }),
      buildDir,
      outboxFile: outboxFile(stateDir),
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
    await cloud?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('says the stream is missing, then no data yet, then shows the unicorn; says the cloud stopped, and recovers', async () => {
    // Prepare
    const { page, errors } = await browser.open();
    const poll = { timeout: 15_000 };

    // Act: nothing deployed
    await page.goto(server.url);

    // Assess
    await expect
      .poll(() => statusText(page), poll)
      .toContain('The stream wildrydes does not exist: module 2 is not deployed.');
    expect(await page.locator('#status code', { hasText: 'npm run deploy -- 2' }).count()).toBe(1);

    // Act: module 2's stream appears, empty
    await createStream(new KinesisClient(clientConfig(cloud)), names.rawStream);

    // Assess
    await expect
      .poll(() => statusText(page), poll)
      .toContain('No data yet: the stream wildrydes has no unicorn records.');
    expect(await page.locator('#status code', { hasText: 'npm run producer --' }).count()).toBe(1);

    // Act: a unicorn reports
    await putRecords(new KinesisClient(clientConfig(cloud)), names.rawStream, [
      status({ Name: 'Shadowfax' }),
    ]);

    // Assess: on the map; the table of module 4 is said to be missing
    await expect.poll(() => markerNames(page), poll).toEqual(['Shadowfax']);
    await expect
      .poll(() => statusText(page), poll)
      .toContain('The table UnicornSensorData does not exist: module 4 is not deployed.');
    expect(await statusText(page)).not.toContain('wildrydes');

    // Act: the local cloud stops
    await cloud.stop();

    // Assess
    await expect
      .poll(() => statusText(page), poll)
      .toContain(`The local cloud is stopped: nothing answers at ${cloud.endpoint}.`);
    expect(await page.locator('#status code', { hasText: 'npm start' }).count()).toBe(1);

    // Act: it starts again (empty, as after a restart) and the module is deployed and fed again
    cloud = await startLocalCloud({ port });
    await expect.poll(() => statusText(page), poll).toContain('module 2 is not deployed');
    await createStream(new KinesisClient(clientConfig(cloud)), names.rawStream);
    await putRecords(new KinesisClient(clientConfig(cloud)), names.rawStream, [
      status({ Name: 'Rocinante' }),
    ]);

    // Assess: the page forgot the old cloud's unicorn and shows the new one, without a reload
    await expect.poll(() => markerNames(page), poll).toEqual(['Rocinante']);
    expect(await statusText(page)).not.toContain('stopped');
    expect(errors).toEqual([]);
  }, 120_000);

  it('on AWS, shows alerts derived from the raw stream with the same threshold, and says so', async () => {
    // Prepare: the AWS target's code path, pointed at the local cloud (no account in a test)
    const aws = await serveDashboard(0, {
      target: { target: 'aws', clientConfig: clientConfig(cloud), describe: 'AWS (us-east-1)' },
      buildDir,
    });
    const { page, errors } = await browser.open();
    await page.goto(aws.url);

    // Act
    await putRecords(new KinesisClient(clientConfig(cloud)), names.rawStream, [
      status({ Name: 'Rocinante', MagicPoints: 42, StatusTime: '2026-11-22 09:18:00.000' }),
    ]);

    // Assess
    const alert = page.locator('#alerts li[data-name="Rocinante"][data-source="derived"]');
    await expect.poll(() => alert.count(), { timeout: 15_000 }).toBe(1);
    expect(await alert.textContent()).toContain(
      'magic points 42, below 50 at 2026-11-22 09:18:00.000 UTC (derived from the raw stream)',
    );
    expect(await page.locator('#alerts-status').textContent()).toContain('derived here from the raw stream');
    expect(await page.locator('#where').textContent()).toContain(
      'AWS (us-east-1) (your AWS credentials, read only)',
    );
    expect(errors).toEqual([]);
    await aws.close();
  }, 60_000);
});
