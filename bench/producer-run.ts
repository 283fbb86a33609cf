import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../core/curriculum.ts';

const PRODUCER = join(repoRoot, 'dist', 'producer.mjs');

/** What one run of the compiled producer did, by its own summary line. */
export interface ProducerRun {
  sent: number;
  failed: number;
  /** Seconds from its first tick until every record was sent, as it reports them. */
  seconds: number;
  /** `Date.now()` when the process exited. */
  exitedMs: number;
  /** Sends the stream's shards refused for their write limits (0 when the summary names none). */
  throttled: number;
}

/** `sent 1,000 records for 1 unicorn to stream 'wildrydes' in 9.5 s; retried 0, failed 0`. */
export function parseSummary(line: string): Omit<ProducerRun, 'exitedMs'> | undefined {
  const m = /sent ([\d,]+) records? for .* in ([\d.]+) s; retried [\d,]+, failed ([\d,]+)/.exec(line);
  if (!m) return undefined;
  const n = (s: string | undefined) => Number((s ?? '').replaceAll(',', ''));
  const throttled = /throttled ([\d,]+) times/.exec(line)?.[1];
  return { sent: n(m[1]), seconds: Number(m[2]), failed: n(m[3]), throttled: throttled ? n(throttled) : 0 };
}

/** Runs `node dist/producer.mjs` with `args` against `endpoint` until it exits; its summary. */
export async function runProducer(endpoint: string, args: string[]): Promise<ProducerRun> {
  if (!existsSync(PRODUCER)) throw new Error('the producer is not built: run `npm run build`');
  const child = spawn(process.execPath, [PRODUCER, ...args, '--endpoint', endpoint, '--quiet'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const exitedMs = Date.now();
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  const summary = lines.map(parseSummary).find(Boolean);
  // Its last line says why (the summary, or the error); a warning before it says only what to expect.
  if (code !== 0 || !summary) throw new Error(`the producer exited with ${code}: ${lines.at(-1) ?? ''}`);
  return { ...summary, exitedMs };
}
