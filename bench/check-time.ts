import { spawn } from 'node:child_process';
import { repoRoot } from '../core/curriculum.ts';
import type { Pipeline } from './pipeline.ts';

/** One run of a module's check from the command line. */
export interface CheckTime {
  seconds: number;
  exitCode: number | null;
  /** The check's last line (its verdict). */
  verdict: string;
}

/**
 * Times `npm run check:<key> -- --name <name>` as an attendee runs it (npm, tsx and the SDK
 * loading included) against the pipeline's cloud.
 */
export async function benchCheck(
  pipeline: Pipeline,
  opts: { module: string; name: string },
): Promise<CheckTime> {
  const started = performance.now();
  const child = spawn('npm', ['run', '--silent', `check:${opts.module}`, '--', '--name', opts.name], {
    cwd: repoRoot,
    env: { ...process.env, WILDRYDES_ENDPOINT: pipeline.cloud.endpoint, WILDRYDES_STATE_DIR: pipeline.dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const lines = output.trim().split('\n');
  return { seconds: (performance.now() - started) / 1000, exitCode, verdict: lines[lines.length - 1] ?? '' };
}
