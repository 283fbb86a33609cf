import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DASHBOARD_PATH, dashboardHandler } from './http.ts';
import { Dashboard, type DashboardOptions } from './service.ts';

/** The dashboard cannot be served (its port is taken). The message says what to do. */
export class DashboardServeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DashboardServeError';
  }
}

/** A running dashboard server. */
export interface DashboardServer {
  /** `http://127.0.0.1:<port>/dashboard/` */
  url: string;
  dashboard: Dashboard;
  close(): Promise<void>;
}

/**
 * Serves the dashboard alone on 127.0.0.1:`port` (0 picks a free one): `npm run dashboard`,
 * and the tests. `/` leads to the page.
 */
export async function serveDashboard(
  port: number,
  opts: DashboardOptions & {
    /** Where the page's bundle is (dashboard/build by default; tests build their own). */
    buildDir?: string;
  },
): Promise<DashboardServer> {
  const dashboard = new Dashboard(opts);
  const handle = dashboardHandler(dashboard, opts.buildDir);
  const server = createServer(async (req, res) => {
    try {
      if (await handle(req, res)) return;
      res.writeHead(302, { location: DASHBOARD_PATH }).end();
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`dashboard error: ${(err as Error).message}`);
    }
  });
  await new Promise<void>((done, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(
        err.code === 'EADDRINUSE'
          ? new DashboardServeError(`port ${port} is in use: pass --port with a free port`)
          : err,
      ),
    );
    server.listen(port, '127.0.0.1', () => done());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}${DASHBOARD_PATH}`,
    dashboard,
    close: () =>
      new Promise<void>((done) => {
        dashboard.stop();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
