/**
 * Where an end-to-end run's CPU went: this process (the local cloud, with the bench), the
 * function processes by function name, and the processes it waited for (the producer). Read
 * from Linux's /proc; elsewhere there is no split. Two cores give two CPU-seconds a second: the
 * split says which part would have to get cheaper for the pipeline to carry more.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds by part. */
export type CpuSplit = Map<string, number>;

/** The part of the processes this one waited for (the producer; esbuild during a synth). */
export const WAITED = 'producer';
/** The part of this process. */
export const SELF = 'local cloud';

const TICKS_PER_SECOND = 100;

/**
 * The fields of a /proc/<pid>/stat line after the command name (which may hold spaces and
 * parentheses, so the line is cut at its last `)`): index 1 is the parent pid, 11 and 12 the
 * process's user and system ticks, 13 and 14 those of the children it waited for.
 */
export function statFields(line: string): string[] {
  return line.slice(line.lastIndexOf(')') + 2).split(' ');
}

const ticks = (fields: string[], at: number) =>
  (Number(fields[at]) + Number(fields[at + 1])) / TICKS_PER_SECOND;

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // gone meanwhile, or not Linux
  }
};

/** CPU seconds so far by part, or undefined where /proc does not tell. */
export function cpuSoFar(): CpuSplit | undefined {
  const self = read('/proc/self/stat');
  if (!self) return undefined;
  const split: CpuSplit = new Map();
  const usage = process.cpuUsage();
  split.set(SELF, (usage.user + usage.system) / 1e6);
  split.set(WAITED, ticks(statFields(self), 13));
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = read(`/proc/${pid}/stat`);
    const fields = stat && statFields(stat);
    if (!fields || Number(fields[1]) !== process.pid) continue;
    const name = read(`/proc/${pid}/environ`)
      ?.split('\0')
      .find((entry) => entry.startsWith('AWS_LAMBDA_FUNCTION_NAME='))
      ?.slice('AWS_LAMBDA_FUNCTION_NAME='.length);
    if (name) split.set(name, (split.get(name) ?? 0) + ticks(fields, 11));
  }
  return split;
}

/** What each part used between two readings (a part that started after `before` counts whole). */
export function cpuBetween(before: CpuSplit, after: CpuSplit): CpuSplit {
  return new Map([...after].map(([part, seconds]) => [part, Math.max(0, seconds - (before.get(part) ?? 0))]));
}
