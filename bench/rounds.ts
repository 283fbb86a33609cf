import { type Spread, spread } from './stats.ts';

/** One way of doing the same work, e.g. straight to the emulator or through the gateway. */
export interface Path {
  name: string;
  /** Does the work once; resolves to its throughput (items per second). */
  run(): Promise<number>;
}

/** A path's throughput over its runs. */
export interface PathThroughput {
  path: string;
  perSecond: Spread;
}

/**
 * Runs every path `rounds` times, rotating which goes first each round, so a slow spell of a
 * shared machine (other processes, GC, the JIT) falls on each path alike; one throughput
 * spread per path, in the order given.
 */
export async function compareRounds(paths: readonly Path[], rounds: number): Promise<PathThroughput[]> {
  const results: number[][] = paths.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < paths.length; k++) {
      const index = (round + k) % paths.length;
      const path = paths[index];
      if (path) results[index]?.push(await path.run());
    }
  }
  return paths.map((p, i) => ({ path: p.name, perSecond: spread(results[i] ?? []) }));
}

/** Runs `calls` calls of `call(index)`, `concurrency` at a time; resolves to the seconds it took. */
export async function timedCalls(
  calls: number,
  concurrency: number,
  call: (index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < calls; i = next++) await call(i);
    }),
  );
  return (performance.now() - started) / 1000;
}
