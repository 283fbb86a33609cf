import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { stateDir } from '../core/state.ts';
import { targetConfig } from '../core/target.ts';
import { DASHBOARD_PATH, type DashboardHandler, dashboardHandler } from '../dashboard/http.ts';
import { Dashboard } from '../dashboard/service.ts';
import { outboxFile } from '../local/sns/outbox.ts';

/** Where `npm run site:build` writes the site. */
export const siteBuildDir = resolve(import.meta.dirname, 'build');

/** The site cannot be served: not built yet, or its port is taken. The message says what to do. */
export class SiteServeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SiteServeError';
  }
}

/** A running site server. */
export interface SiteServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** Whether the site itself is served (else only the dashboard, when mounted). */
  built: boolean;
  /** The live dashboard's page, when mounted. */
  dashboardUrl?: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file a URL path names inside `dir` (a folder's `index.html`), or undefined outside it. */
async function fileFor(dir: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  const path = normalize(join(dir, decoded));
  if (path !== dir && !path.startsWith(dir + sep)) return undefined;
  const stats = await stat(path).catch(() => undefined);
  const file = stats?.isFile()
    ? path
    : stats?.isDirectory() && existsSync(join(path, 'index.html'))
      ? join(path, 'index.html')
      : undefined;
  // A symlink inside the build may point anywhere on the disk: serve only what really lies inside.
  const real = file && (await realpath(file).catch(() => undefined));
  const realDir = await realpath(dir).catch(() => dir);
  return real?.startsWith(realDir + sep) ? file : undefined;
}

const NOT_BUILT = 'the workshop site is not built yet: run `npm run site:build`';

/**
 * Serves the built site in `dir` on 127.0.0.1 (loopback only: it is for this machine's browser)
 * at `port` (0 picks a free one). Unknown paths get the site's 404 page. With `dashboard`, the
 * live dashboard is at /dashboard/ too, and then the site need not be built.
 */
export async function serveSite(
  dir: string,
  port: number,
  dashboard?: DashboardHandler,
): Promise<SiteServer> {
  const root = resolve(dir);
  const built = existsSync(join(root, 'index.html'));
  if (!built && !dashboard) throw new SiteServeError(NOT_BUILT);
  const server: Server = createServer(async (req, res) => {
    if (dashboard && (await dashboard(req, res))) return;
    if (!built) {
      const text = `The live dashboard is at ${DASHBOARD_PATH}; ${NOT_BUILT.replace(/`/g, '')}.`;
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = (await fileFor(root, req.url ?? '/')) ?? join(root, '404.html');
    const status = file === join(root, '404.html') && !req.url?.startsWith('/404.html') ? 404 : 200;
    const body = await readFile(file).catch(() => Buffer.from('not found'));
    res.writeHead(status, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      // The browser must take the type given, never guess one from the bytes.
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(
        err.code === 'EADDRINUSE'
          ? new SiteServeError(`port ${port} is in use: pass --site-port with a free port`)
          : err,
      ),
    );
    server.listen(port, '127.0.0.1', () => done());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    built,
    dashboardUrl: dashboard ? `http://127.0.0.1:${bound}${DASHBOARD_PATH}` : undefined,
    close: () =>
      new Promise<void>((done) => {
        // The dashboard's event streams stay open until closed.
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * For `npm start`: serves the built site and the live dashboard (reading the local cloud at
 * `endpoint`) on `port`, or logs one line saying why it cannot (port taken) and returns
 * undefined: the local cloud runs either way. A site not built yet is said in one line, and the
 * dashboard is served all the same.
 */
export async function serveWorkshopSite(
  port: number,
  log: (line: string) => void,
  opts: { endpoint?: string } = {},
): Promise<SiteServer | undefined> {
  const env = opts.endpoint ? { ...process.env, WILDRYDES_ENDPOINT: opts.endpoint } : process.env;
  const dashboard = new Dashboard({
    target: targetConfig('local', {}, env),
    outboxFile: outboxFile(stateDir()),
  });
  try {
    const site = await serveSite(siteBuildDir, port, dashboardHandler(dashboard));
    if (!site.built) log(`The workshop site is not served: ${NOT_BUILT}`);
    return {
      ...site,
      close: async () => {
        dashboard.stop();
        await site.close();
      },
    };
  } catch (err) {
    if (!(err instanceof SiteServeError)) throw err;
    log(`The workshop site is not served: ${err.message}`);
    return undefined;
  }
}

/** Refuses a `--site-port` the OS would reject, as a one-line usage error (exit code 2). */
export function validateSitePort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(
      `--site-port takes a port number from 0 (any free one) to 65535, e.g. --site-port 4567 (got '${port}')`,
    );
  }
}
