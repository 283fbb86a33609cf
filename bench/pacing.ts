/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Calls `send(i)` for i = 0…count-1, one every `intervalMs` from the start (scheduled from the
 * start time, so a slow call does not shift the rest), without waiting for a call to finish
 * before the next one is due; resolves when every call has.
 */
export async function paced(count: number, intervalMs: number, send: (i: number) => Promise<void>) {
  const started = performance.now();
  const calls: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    await sleep(started + i * intervalMs - performance.now());
    calls.push(send(i));
  }
  await Promise.all(calls);
}

/** Polls `probe` every `intervalMs` until it returns a value, or gives up after `timeoutMs`. */
export async function until<T>(
  probe: () => Promise<T | undefined>,
  opts: { timeoutMs: number; intervalMs: number; what: string },
): Promise<T> {
  const deadline = performance.now() + opts.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${opts.what}`);
    await sleep(opts.intervalMs);
  }
}
