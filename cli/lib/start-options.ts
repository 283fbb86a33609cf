import { UsageError } from '../../core/errors.ts';
import { MAX_SHARDS, MAX_WINDOW_SECONDS } from '../../infra/context.ts';

/**
 * Refuses `npm start` options that could only fail later: a port the OS rejects, or a window
 * the stacks cannot synthesise (the cloud would start with nothing deployed).
 * @throws UsageError naming the option and a good value
 */
export function validateStartOptions(opts: {
  port: number;
  host: string;
  windowSeconds: number;
  shards?: number;
}): void {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65_535) {
    throw new UsageError(
      `--port takes a port number from 0 (any free one) to 65535, e.g. --port 4566 (got '${opts.port}')`,
    );
  }
  if (!opts.host.trim()) throw new UsageError('--host needs an address, e.g. --host 127.0.0.1');
  const window = opts.windowSeconds;
  if (!Number.isInteger(window) || window < 1 || window > MAX_WINDOW_SECONDS) {
    throw new UsageError(
      `--window-seconds takes whole seconds from 1 to ${MAX_WINDOW_SECONDS} (Lambda's limit), e.g. --window-seconds 60 (got '${window}')`,
    );
  }
  const shards = opts.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
    throw new UsageError(
      `--shards takes a whole number of shards per stream from 1 to ${MAX_SHARDS}, e.g. --shards 10 (got '${shards}')`,
    );
  }
}
