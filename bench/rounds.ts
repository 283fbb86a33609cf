import { type Spread, spread } from './stats.ts';

/** One way of doing the same work, e.g. straight to the emulator or through the gateway. */
export interface Path {
  name: string;
  /** Does the work once; resolves to how many items it handled. */
  run(): Promise<number>;
}

/** A path's figures over its runs. */
export interface PathThroughput {
  path: string;
  /** Items per wall-clock second. */
  perSecond: Spread;
  /**
   * Microseconds of this process's CPU per item. Client, gateway and emulator all run in this
   * process, so this counts the work each path costs, and other processes sharing the machine
   * disturb it far less than they disturb wall-clock time.
   */
  cpuMicrosPerItem: Spread;
}

const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * Runs every path `rounds` times, rotating which goes first each round, so a slow spell of a
 * shared machine (other processes, GC, the JIT) falls on each path alike; the spreads of each
 * path's throughput and CPU cost, in the order given.
 */
export async function compareRounds(paths: readonly Path[], rounds: number): Promise<PathThroughput[]> {
  const perSecond: number[][] = paths.map(() => []);
  const cpu: number[][] = paths.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < paths.length; k++) {
      const index = (round + k) % paths.length;
      const path = paths[index];
      if (!path) continue;
      const [startedMs, startedCpu] = [performance.now(), cpuMicros()];
      const items = await path.run();
      const [ms, micros] = [performance.now() - startedMs, cpuMicros() - startedCpu];
      perSecond[index]?.push(items / (ms / 1000));
      cpu[index]?.push(micros / items);
    }
  }
  return paths.map((p, i) => ({
    path: p.name,
    perSecond: spread(perSecond[i] ?? []),
    cpuMicrosPerItem: spread(cpu[i] ?? []),
  }));
}

/** Runs `calls` calls of `call(index)`, `concurrency` at a time. */
export async function concurrentCalls(
  calls: number,
  concurrency: number,
  call: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < calls; i = next++) await call(i);
    }),
  );
}
