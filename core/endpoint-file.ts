/**
 * Where a running `npm start` leaves its endpoint (`.wildrydes/endpoint.json`), so commands in
 * another terminal find a cloud on a port other than 4566 without `AWS_ENDPOINT_URL`. A file
 * left by a cloud that died is ignored: the process that wrote it must still be alive.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './curriculum.ts';

/** What `npm start` writes: its endpoint and its process id. */
export interface EndpointRecord {
  endpoint: string;
  pid: number;
}

const fileIn = (env: NodeJS.ProcessEnv) =>
  join(env.WILDRYDES_STATE_DIR ?? join(repoRoot, '.wildrydes'), 'endpoint.json');

/** Whether a process of that id runs (a signal 0 reaches it, or it exists under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads a record's text: the endpoint if it is well formed and its writer still runs. */
export function liveEndpoint(
  text: string,
  alive: (pid: number) => boolean = processAlive,
): string | undefined {
  try {
    const record = JSON.parse(text) as Partial<EndpointRecord>;
    if (typeof record.endpoint !== 'string' || !Number.isInteger(record.pid)) return undefined;
    return alive(record.pid as number) ? record.endpoint : undefined;
  } catch {
    return undefined;
  }
}

/** The endpoint a running `npm start` left in the state folder, if any. */
export function recordedEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    return liveEndpoint(readFileSync(fileIn(env), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Leaves this process's endpoint for the other commands; returns a function that removes it. */
export async function recordEndpoint(
  endpoint: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<() => void> {
  const file = fileIn(env);
  await mkdir(join(file, '..'), { recursive: true });
  const record: EndpointRecord = { endpoint, pid: process.pid };
  writeFileSync(file, `${JSON.stringify(record)}\n`);
  return () => {
    // Only ours: another `npm start` on the same folder may have written it since.
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as EndpointRecord).pid === process.pid) rmSync(file);
    } catch {
      // Already gone.
    }
  };
}
