/**
 * The board end to end: the real server on a free port, attendees joining and reporting over HTTP
 * with the attendees' own client code (room/report.ts), and the instructor's page in Chromium.
 */
import { request } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curriculum } from '../core/curriculum.ts';
import { launchChromium, type TestBrowser } from '../testing/browser.ts';
import type { Report } from './protocol.ts';
import { joinBoard, sendReport } from './report.ts';
import { type BoardServer, startBoard } from './server.ts';

const CODE = 'TEST-ROOM-CODE';
const MODULES = curriculum.map(({ id, key, title }) => ({ id, key, title }));
const ATTENDEES = 100;

/** A raw request, with any Host header (fetch will not send a foreign one). */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** What the page shows of each attendee: id → [module, state, name, first failing step]. */
const shown = (page: Page) =>
  page.evaluate(`Object.fromEntries([...document.querySelectorAll('#attendees tbody tr')].map((tr) => {
    const text = (field) => tr.querySelector('[data-field="' + field + '"]')?.textContent ?? '';
    return [tr.dataset.attendee, [tr.dataset.module, tr.dataset.state, text('name'), text('failedStep')]];
  }))`) as Promise<Record<string, string[]>>;

describe('the room board', () => {
  let board: BoardServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    board = await startBoard({ port: 0, host: '127.0.0.1', code: CODE, modules: MODULES, maxAttendees: 200 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await board?.close();
  });

  it(`shows ${ATTENDEES} attendees reporting at once, each on the right module and state`, async () => {
    // Prepare: the instructor's page open before anyone joins, as in the room
    const { page, errors } = await browser.open();
    await page.goto(board.url);
    await page.locator('#summary').filter({ hasText: '0 joined' }).waitFor();
    const names = Array.from({ length: ATTENDEES }, (_, i) => `Attendee ${String(i).padStart(3, '0')}`);
    const joined = await Promise.all(names.map((name) => joinBoard(board.url, CODE, name)));
    const ids = joined.map((j) => (j.ok ? j.attendee : expect.fail(`join refused: ${j.error}`)));

    // Act: each attendee checks modules 1..k in turn (all attendees at once); the last one passes
    // for every third attendee, else fails at a step of its own
    const expected: Record<string, [string, string, string, string]> = {};
    let lastReport = 0;
    await Promise.all(
      ids.map(async (attendee, i) => {
        const k = (i % MODULES.length) + 1;
        const lastPasses = i % 3 === 0;
        const progress: Report['progress'] = {};
        for (const m of MODULES.slice(0, k)) {
          const passed = m.id < k || lastPasses;
          const failedStep = passed ? undefined : `step ${i}: the stream has records`;
          progress[m.key] = { passed, ...(failedStep ? { failedStep } : {}) };
          const report: Report = {
            attendee,
            name: names[i] as string,
            command: 'check',
            module: m.key,
            passed,
            ...(failedStep ? { failedStep } : {}),
            progress: { ...progress },
            caughtUp: [],
          };
          const answer = await sendReport({ url: board.url, code: CODE }, report, 10_000);
          expect(answer.status).toBe(200);
          lastReport = Date.now();
        }
        const on = lastPasses ? (MODULES[k]?.key ?? 'done') : (MODULES[k - 1]?.key as string);
        const state = lastPasses ? (k === MODULES.length ? 'done' : 'working') : 'stuck';
        expected[attendee] = [
          on,
          state,
          names[i] as string,
          lastPasses ? '' : `step ${i}: the stream has records`,
        ];
      }),
    );

    // Assess: the page shows every attendee as reported
    await expect.poll(() => shown(page), { timeout: 30_000, interval: 50 }).toEqual(expected);
    const latency = Date.now() - lastReport;
    console.log(
      `the board showed all ${ATTENDEES} attendees ${latency} ms after the last report (target: 2,000 ms)`,
    );
    const stuck = Object.values(expected).filter(([, state]) => state === 'stuck').length;
    expect(await page.locator('#summary').textContent()).toMatch(
      new RegExp(`^${ATTENDEES} joined · ${stuck} stuck`),
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('shows a hostile name as text: no element made of it, no script run', async () => {
    // Prepare
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const { page, errors } = await browser.open();
    await page.goto(board.url);

    // Act
    const joined = await joinBoard(board.url, CODE, hostile);

    // Assess
    expect(joined.ok).toBe(true);
    const cell = page.locator('#attendees td[data-field="name"]', { hasText: hostile });
    await cell.waitFor({ timeout: 20_000 });
    expect(await cell.textContent()).toBe(hostile);
    expect(await page.locator('#attendees img').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses reports without the room code (401) or with a wrong one (403), in JSON', async () => {
    // Act
    const wrongJoin = await joinBoard(board.url, 'WRONG-ROOM-CODE', 'Mallory');
    const noCode = await raw(`${board.url}api/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const wrongReport = await sendReport(
      { url: board.url, code: 'WRONG-ROOM-CODE' },
      { attendee: 'some-attendee-id', name: 'Mallory', command: 'status', progress: {}, caughtUp: [] },
    );

    // Assess
    expect(wrongJoin).toEqual({ ok: false, error: expect.stringContaining('wrong room code') });
    expect(noCode.status).toBe(401);
    expect(noCode.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(noCode.body).error).toMatch(/this room needs its code/);
    expect(wrongReport.status).toBe(403);
    expect(board.room.snapshot(Date.now()).attendees.map((a) => a.name)).not.toContain('Mallory');
  });

  it('refuses a body past its size before reading it all', async () => {
    const answer = await raw(`${board.url}api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CODE}` },
      body: JSON.stringify({ name: 'Ada', padding: 'x'.repeat(100_000) }),
    });
    expect(answer.status).toBe(413);
  });

  it('serves the page with a strict CSP and nosniff, and never to a rebound host or another site', async () => {
    // Act
    const page = await raw(board.url);
    const rebound = await raw(`${board.url}api/board`, { headers: { host: 'evil.example:80' } });
    const crossSite = await raw(`${board.url}api/events`, { headers: { 'sec-fetch-site': 'cross-site' } });

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error).toMatch(/instructor's machine only/);
    expect(crossSite.status).toBe(403);
  });
});
