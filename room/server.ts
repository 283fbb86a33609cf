/**
 * The board's HTTP server (node:http, nothing else). Two doors:
 * - attendees' commands POST `/api/join` and `/api/report` with `Authorization: Bearer <room code>`;
 *   without the code: 401, with a wrong one: 403, both `{ "error": … }`.
 * - the instructor's browser, on the instructor's machine only (a loopback peer naming a loopback
 *   host, so neither the LAN nor a DNS-rebound page reads the room), gets the page, `/api/board`
 *   (the room as JSON) and `/api/events` (the same, live, as Server-Sent Events).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ModuleInfo, type Refusal, Room } from './board.ts';
import {
  bearerCode,
  codeMatches,
  DEFAULT_MAX_ATTENDEES,
  MAX_BODY_BYTES,
  parseJoin,
  parseReport,
} from './protocol.ts';

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const PAGE_FILES: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/board.js': ['board.js', 'text/javascript; charset=utf-8'],
  '/board.css': ['board.css', 'text/css; charset=utf-8'],
};

/** Every answer: nothing inline runs, nothing is sniffed, framed or sent elsewhere. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** The instructor's page is live within this long of a report (several reports make one update). */
const PUSH_DELAY_MS = 100;
const MAX_EVENT_STREAMS = 20;

export interface BoardOptions {
  /** 0 picks a free port. */
  port: number;
  /** 127.0.0.1 unless the instructor opened the board to the LAN. */
  host: string;
  code: string;
  modules: readonly ModuleInfo[];
  maxAttendees?: number;
}

export interface BoardServer {
  /** Where the instructor opens the page: `http://127.0.0.1:<port>/`. */
  url: string;
  port: number;
  room: Room;
  close(): Promise<void>;
}

/** The board cannot listen (its port is taken, its address is not this machine's). */
export class BoardListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BoardListenError';
  }
}

/** Loopback addresses and names: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(name: string): boolean {
  const host = name.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const v4 = host.startsWith('::ffff:') ? host.slice(7) : host;
  return (isIP(v4) === 4 && v4.startsWith('127.')) || host === '::1';
}

/** The host name of a `Host` header: `[::1]:4570` → `[::1]`, `localhost:4570` → `localhost`. */
const hostName = (host: string) =>
  host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');

const bare = (address: string) => {
  const host = address.replace(/^\[|\]$/g, '').toLowerCase();
  return host.startsWith('::ffff:') ? host.slice(7) : host;
};

/**
 * The instructor's own browser: a peer on this machine (loopback, or this very address), naming
 * a loopback host or this address (a DNS-rebound page names its own domain), and not a request
 * another site made.
 */
export function fromInstructor(req: {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string; localAddress?: string };
}): boolean {
  const site = req.headers['sec-fetch-site'];
  const local = bare(req.socket.localAddress ?? '');
  const own = (name: string) => isLoopback(name) || (local !== '' && bare(name) === local);
  return (
    own(req.socket.remoteAddress ?? '') &&
    own(hostName(req.headers.host ?? '')) &&
    site !== 'cross-site' &&
    site !== 'same-site'
  );
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const refuse = (res: ServerResponse, { status, error }: Refusal) => sendJson(res, status, { error });

/** The JSON body, or a refusal: too large (413, before reading past the limit), not JSON (400). */
async function readJson(req: IncomingMessage): Promise<{ body: unknown } | Refusal> {
  const tooLarge = { status: 413, error: `a request body is at most ${MAX_BODY_BYTES} bytes` };
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return tooLarge;
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return { status: 415, error: 'send the body as application/json' };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return tooLarge;
    chunks.push(chunk);
  }
  try {
    return { body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { status: 400, error: 'the body is not valid JSON' };
  }
}

/** Starts the board; resolves once it listens. */
export async function startBoard(opts: BoardOptions): Promise<BoardServer> {
  const room = new Room(opts.modules, opts.maxAttendees ?? DEFAULT_MAX_ATTENDEES);
  const keys = opts.modules.map((m) => m.key);
  const pages = new Map(
    Object.entries(PAGE_FILES).map(([path, [file, type]]) => [
      path,
      { type, body: readFileSync(join(PAGE_DIR, file)) },
    ]),
  );
  const streams = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;
  const changed = () => {
    pending ??= setTimeout(() => {
      pending = undefined;
      const data = `data: ${JSON.stringify(room.snapshot(Date.now()))}\n\n`;
      for (const res of streams) res.write(data);
    }, PUSH_DELAY_MS);
  };

  const attendeeApi = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (req.method !== 'POST') return refuse(res, { status: 405, error: `${path} takes POST` });
    // A web page in an attendee's browser has no business here, code or not.
    if (req.headers.origin !== undefined) {
      return refuse(res, { status: 403, error: 'the board takes reports from the workshop commands only' });
    }
    const code = bearerCode(req.headers.authorization);
    if (!code) {
      return refuse(res, {
        status: 401,
        error: 'this room needs its code: npm run join -- <board URL> --code <room code> --name <your name>',
      });
    }
    if (!codeMatches(code, opts.code)) {
      return refuse(res, {
        status: 403,
        error: 'wrong room code: use the code the instructor gave (the board prints it when it starts)',
      });
    }
    const read = await readJson(req);
    if ('error' in read) return refuse(res, read);
    if (path === '/api/join') {
      const parsed = parseJoin(read.body);
      if (!parsed.ok) return refuse(res, { status: 400, error: parsed.error });
      const joined = room.join(parsed.value.name, Date.now(), parsed.value.attendee);
      if ('error' in joined) return refuse(res, joined);
      changed();
      return sendJson(res, 200, { attendee: joined.attendee, name: parsed.value.name, attendees: room.size });
    }
    const parsed = parseReport(read.body, keys);
    if (!parsed.ok) return refuse(res, { status: 400, error: parsed.error });
    const reported = room.report(parsed.value, Date.now());
    if ('error' in reported) return refuse(res, reported);
    changed();
    return sendJson(res, 200, { ok: true });
  };

  const instructorPage = (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, { status: 405, error: 'GET only' });
    if (!fromInstructor(req)) {
      return refuse(res, {
        status: 403,
        error: `the board is shown on the instructor's machine only: open the URL 'npm run room' printed, there`,
      });
    }
    if (path === '/api/board') return sendJson(res, 200, room.snapshot(Date.now()));
    if (path === '/api/events') {
      if (streams.size >= MAX_EVENT_STREAMS) {
        return refuse(res, { status: 429, error: 'too many board pages open: close some tabs' });
      }
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': 'text/event-stream; charset=utf-8',
        connection: 'keep-alive',
      });
      // The page's EventSource reconnects by itself after 1 s when the board restarts.
      res.write(`retry: 1000\n\ndata: ${JSON.stringify(room.snapshot(Date.now()))}\n\n`);
      streams.add(res);
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      req.on('close', () => {
        clearInterval(keepAlive);
        streams.delete(res);
      });
      return;
    }
    // Browsers ask for an icon: none, and no error in the console for it.
    if (path === '/favicon.ico') return void res.writeHead(204, SECURITY_HEADERS).end();
    const page = pages.get(path);
    if (!page) return refuse(res, { status: 404, error: `nothing at ${path}` });
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': page.type,
      'content-length': page.body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : page.body);
  };

  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (path === '/api/join' || path === '/api/report') await attendeeApi(req, res, path);
      else instructorPage(req, res, path);
    } catch (err) {
      if (!res.headersSent) refuse(res, { status: 500, error: `board error: ${(err as Error).message}` });
      else res.end();
    }
  });
  // A slow or idle connection cannot hold the board: headers within 10 s, a request within 20 s.
  server.headersTimeout = 10_000;
  server.requestTimeout = 20_000;
  server.maxConnections = 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new BoardListenError(
          err.code === 'EADDRINUSE'
            ? `port ${opts.port} is in use: pass --port with a free port`
            : err.code === 'EADDRNOTAVAIL'
              ? `${opts.host} is not an address of this machine: pass --host with one of its addresses, or --lan`
              : err.message,
        ),
      ),
    );
    server.listen(opts.port, opts.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const wildcard = opts.host === '0.0.0.0' || opts.host === '::' || isLoopback(opts.host);
  return {
    url: `http://${wildcard ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/`,
    port,
    room,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(pending);
        for (const res of streams) res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
