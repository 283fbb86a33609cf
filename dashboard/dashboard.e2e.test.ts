import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../contracts/names.ts';
import { parseStatus, type UnicornAggregate, type UnicornStatus } from '../contracts/telemetry.ts';
import { repoRoot } from '../core/curriculum.ts';
import { targetConfig } from '../core/target.ts';
import { outboxFile } from '../local/sns/outbox.ts';
import { launchChromium, type TestBrowser } from '../testing/browser.ts';
import { clientConfig, eventually } from '../testing/local-cloud.ts';
import { all, useDeployedPipeline } from '../testing/streaming-pipeline.ts';
import { buildDashboard } from './build.mjs';
import { type DashboardServer, serveDashboard } from './serve.ts';

/** Where the page drew each unicorn (its hook for tests, `window.wildrydesDashboard`). */
const markers = (page: Page) =>
  page.evaluate('window.wildrydesDashboard.markers()') as Promise<
    { name: string; lat: number; lon: number; low: boolean }[]
  >;

// The solutions of modules 2–5 on a local cloud (2-s windows), the real producer sending three
// unicorns with Rocinante tiring; the dashboard served against it and opened in Chromium.

const UNICORNS = ['Bucephalus', 'Rocinante', 'Shadowfax'];
const ARTIFACTS = join(repoRoot, 'artifacts');

/** Every raw record on the stream, read as the dashboard does (its own iterators). */
async function rawRecords(kinesis: KinesisClient): Promise<UnicornStatus[]> {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: names.rawStream }));
  const out: UnicornStatus[] = [];
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: names.rawStream,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (iterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of page.Records ?? []) {
        const parsed = parseStatus(Buffer.from(r.Data ?? new Uint8Array()).toString('utf8'));
        if (parsed.ok) out.push(parsed.value);
      }
      iterator = (page.Records ?? []).length > 0 ? page.NextShardIterator : undefined;
    }
  }
  return out;
}

/** The newest windows of a unicorn in the table, newest first: what the page should show. */
async function tableWindows(doc: DynamoDBDocumentClient, name: string): Promise<UnicornAggregate[]> {
  const { Items = [] } = await doc.send(
    new QueryCommand({
      TableName: names.table,
      KeyConditionExpression: '#n = :n',
      ExpressionAttributeNames: { '#n': 'Name' },
      ExpressionAttributeValues: { ':n': name },
      ScanIndexForward: false,
      Limit: 10,
    }),
  );
  return Items as UnicornAggregate[];
}

/** The rows of the page's aggregates table, as text, without its marks (selected, low magic). */
const pageWindows = (page: Page) =>
  page.$$eval('#aggregates tbody tr', (rows) =>
    rows.map((r) =>
      [...r.querySelectorAll('th, td')]
        .map((c) => c.textContent?.replace(/^▶ | ⚠ low$/g, '') ?? '')
        .join(' | '),
    ),
  );

describe('the live dashboard on the solutions', () => {
  const pipeline = useDeployedPipeline(all('solution'));
  let server: DashboardServer;
  let browser: TestBrowser;
  let buildDir = '';

  beforeAll(async () => {
    // A bundle of this file's own: test files run in parallel.
    buildDir = await buildDashboard(mkdtempSync(join(tmpdir(), 'wildrydes-dashboard-build-')));
    const endpoint = pipeline.cloud().endpoint;
    server = await serveDashboard(0, {
      target: targetConfig('local', {}, { WILDRYDES_ENDPOINT: endpoint }),
      buildDir,
      outboxFile: outboxFile(process.env.WILDRYDES_STATE_DIR ?? ''),
    });
    browser = await launchChromium();
    // Everything the producer sent is processed: the table and the outbox hold all they will.
    await eventually(
      async () => (pipeline.caughtUp() ? true : undefined),
      120_000,
      'the mappings to catch up',
    );
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
  });

  it('shows the three unicorns where they last were, their points, the table as it is, the alert', async () => {
    // Prepare
    const kinesis = new KinesisClient(clientConfig(pipeline.cloud()));
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(pipeline.cloud())));
    const records = await rawRecords(kinesis);
    const last = new Map(records.map((r) => [r.Name, r]));
    const expectedRows: string[] = [];
    for (const name of UNICORNS) {
      for (const w of await tableWindows(doc, name)) {
        expectedRows.push(
          [
            w.Name,
            w.StatusTime,
            w.Distance,
            `${w.MinMagicPoints}–${w.MaxMagicPoints}`,
            `${w.MinHealthPoints}–${w.MaxHealthPoints}`,
          ].join(' | '),
        );
      }
    }
    const { page, errors } = await browser.open();

    // Act
    await page.goto(server.url);

    // Assess: the map, at each unicorn's last reported position, labelled
    await expect
      .poll(() => markers(page).then((all) => all.map((m) => m.name).sort()), { timeout: 20_000 })
      .toEqual(UNICORNS);
    const drawn = await markers(page);
    for (const marker of drawn) {
      expect([marker.lat, marker.lon]).toEqual([
        last.get(marker.name)?.Latitude,
        last.get(marker.name)?.Longitude,
      ]);
      await expect
        .poll(() => page.locator(`.unicorn-label[data-name="${marker.name}"]`).isVisible())
        .toBe(true);
    }
    expect(drawn.find((m) => m.name === 'Rocinante')?.low).toBe(true);
    // …and the map's text alternative says the same
    for (const name of UNICORNS) {
      const row = page.locator(`#unicorns tr[data-name="${name}"]`);
      await expect
        .poll(() => row.locator('td').nth(1).textContent())
        .toBe(last.get(name)?.Latitude.toFixed(5));
    }

    // Assess: a points chart per unicorn, its caption the text alternative
    for (const name of UNICORNS) {
      const chart = page.locator(`figure.points-chart[data-name="${name}"]`);
      await expect.poll(() => chart.locator('canvas').count()).toBe(1);
      expect(await chart.locator('figcaption').textContent()).toContain(
        `${name}: magic ${last.get(name)?.MagicPoints}`,
      );
    }
    expect(
      await page.locator('figure.points-chart[data-name="Rocinante"] figcaption').textContent(),
    ).toContain('below the threshold of 50');

    // Assess: the aggregates as the table holds them
    expect(expectedRows.length).toBeGreaterThan(0);
    await expect
      .poll(async () => (await pageWindows(page)).sort(), { timeout: 20_000 })
      .toEqual(expectedRows.sort());

    // Assess: the alert the topic sent for the tiring unicorn
    const alert = page.locator('#alerts li[data-name="Rocinante"][data-source="topic"]').first();
    await expect.poll(() => alert.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await alert.textContent()).toMatch(/⚠ Rocinante — magic points \d+, below 50 at .* UTC \(emailed/);
    expect(await page.locator('#alerts li[data-name="Shadowfax"]').count()).toBe(0);

    // Assess: nothing is missing, so the page asks for nothing
    expect(await page.locator('#status p').count()).toBe(0);

    // Act: select Rocinante in the table
    await page.locator('#unicorns tr[data-name="Rocinante"] button').click();

    // Assess: it is highlighted everywhere
    await expect.poll(() => page.evaluate('window.wildrydesDashboard.selected()')).toBe('Rocinante');
    await expect
      .poll(() => page.locator('figure.points-chart.selected').getAttribute('data-name'))
      .toBe('Rocinante');
    expect(await page.locator('#unicorns tr.selected').getAttribute('data-name')).toBe('Rocinante');
    expect(await page.locator('#aggregates tr.selected').first().getAttribute('data-name')).toBe('Rocinante');
    expect(await page.locator('#alerts li.selected').first().getAttribute('data-name')).toBe('Rocinante');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);
});
