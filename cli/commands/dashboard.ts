/**
 * `npm run dashboard`: the live dashboard alone, on a laptop (`--target aws`: the learner's own
 * credentials, read only, nothing deployed for it) or beside a local cloud started elsewhere.
 * `npm start` serves the same page at http://127.0.0.1:4567/dashboard.
 */
import { UsageError } from '../../core/errors.ts';
import { stateDir } from '../../core/state.ts';
import { type Target, targetConfig } from '../../core/target.ts';
import { DashboardServeError, serveDashboard } from '../../dashboard/serve.ts';
import { outboxFile } from '../../local/sns/outbox.ts';
import { assertAwsReady } from '../lib/preflight.ts';

/** Options of `npm run dashboard`, as parsed. */
export interface DashboardCommandOptions {
  target: Target;
  region?: string;
  port: number;
}

/** Serves the dashboard until Ctrl-C; returns the exit code. */
export async function dashboard(opts: DashboardCommandOptions): Promise<number> {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65_535) {
    throw new UsageError(
      `--port takes a port number from 0 (any free one) to 65535, e.g. --port 4568 (got '${opts.port}')`,
    );
  }
  const region = opts.target === 'aws' ? await assertAwsReady(opts.region) : undefined;
  const target = targetConfig(opts.target, { region });
  let server: Awaited<ReturnType<typeof serveDashboard>>;
  try {
    server = await serveDashboard(opts.port, {
      target,
      // The outbox is the local cloud's; on AWS the alert emails go to the learner's inbox, so the
      // dashboard derives the alerts from the raw stream (and says so on the page).
      outboxFile: opts.target === 'local' ? outboxFile(stateDir()) : undefined,
    });
  } catch (err) {
    if (err instanceof DashboardServeError) throw new UsageError(err.message);
    throw err;
  }
  console.log(`The live dashboard reads ${target.describe}: open ${server.url}\nCtrl-C stops it.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
