import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { buildDashboard, dashboardBuildDir } from './build.mjs';
import type { Dashboard } from './service.ts';

/** The page's URL path on any server that mounts the dashboard. */
export const DASHBOARD_PATH = '/dashboard/';

const FILES: Record<string, string> = {
  '': 'text/html; charset=utf-8',
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'app.js.map': 'application/json',
  'app.css.map': 'application/json',
};

/** A request handler that answers /dashboard/… and returns false for any other path. */
export type DashboardHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * Serves the dashboard under /dashboard/: the page, and its events (`events`, Server-Sent Events)
 * or the same as one JSON object (`state`). The bundle is built on first use when missing (a
 * checkout that has not run `npm run build` since the dashboard came).
 */
export function dashboardHandler(dashboard: Dashboard, buildDir = dashboardBuildDir): DashboardHandler {
  let building: Promise<unknown> | undefined;
  const ensureBuilt = () => {
    if (existsSync(join(buildDir, 'app.js'))) return Promise.resolve();
    building ??= buildDashboard(buildDir).finally(() => {
      building = undefined;
    });
    return building;
  };

  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/dashboard') {
      res.writeHead(302, { location: DASHBOARD_PATH }).end();
      return true;
    }
    if (!path.startsWith(DASHBOARD_PATH)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    const name = path.slice(DASHBOARD_PATH.length);
    if (name === 'events') return events(dashboard, req, res);
    if (name === 'state') {
      // Polling this (instead of the events) keeps the readers running too.
      dashboard.subscribe(() => undefined)();
      send(res, 200, 'application/json; charset=utf-8', JSON.stringify(dashboard.snapshot()));
      return true;
    }
    const type = FILES[name];
    if (!type) {
      send(res, 404, 'text/plain; charset=utf-8', 'not found');
      return true;
    }
    try {
      await ensureBuilt();
    } catch (err) {
      send(
        res,
        500,
        'text/plain; charset=utf-8',
        `the dashboard page could not be built (run \`npm run dashboard:build\`): ${(err as Error).message}`,
      );
      return true;
    }
    const body = await readFile(join(buildDir, name || 'index.html'));
    send(res, 200, type, req.method === 'HEAD' ? undefined : body, body.length);
    return true;
  };
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body?: string | Buffer,
  length?: number,
): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    ...(length !== undefined || body !== undefined
      ? { 'content-length': length ?? Buffer.byteLength(body ?? '') }
      : {}),
  });
  res.end(body);
}

/** Server-Sent Events: the snapshot, then every change; a comment every 15 s keeps proxies open. */
async function events(dashboard: Dashboard, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  const write = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
  // The page reconnects by itself (EventSource) after 1 s when this server goes away.
  res.write('retry: 1000\n\n');
  write(dashboard.snapshot());
  const unsubscribe = dashboard.subscribe(write);
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
  return true;
}
