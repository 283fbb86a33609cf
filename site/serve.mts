import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.ts';

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
  if (stats?.isFile()) return path;
  if (stats?.isDirectory() && existsSync(join(path, 'index.html'))) return join(path, 'index.html');
  return undefined;
}

/**
 * Serves the built site in `dir` on 127.0.0.1 (loopback only: it is for this machine's browser)
 * at `port` (0 picks a free one). Unknown paths get the site's 404 page.
 */
export async function serveSite(dir: string, port: number): Promise<SiteServer> {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new SiteServeError('the workshop site is not built yet: run `npm run site:build`');
  }
  const server: Server = createServer(async (req, res) => {
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
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/**
 * For `npm start`: serves the built site on `port`, or logs one line saying why it cannot (not
 * built, port taken) and returns undefined: the local cloud runs either way.
 */
export async function serveWorkshopSite(
  port: number,
  log: (line: string) => void,
): Promise<SiteServer | undefined> {
  try {
    return await serveSite(siteBuildDir, port);
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
