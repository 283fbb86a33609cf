import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../core/curriculum.ts';
import { WorkshopError } from '../../core/errors.ts';

/** Runs the compiled producer with the given arguments, passing its exit code through. */
export async function produce(args: string[]): Promise<void> {
  const bin = join(repoRoot, 'dist', 'producer.mjs');
  if (!existsSync(bin)) throw new WorkshopError('the producer is not built: run `npm run build`', 2);
  const child = spawn(process.execPath, [bin, ...args], { stdio: 'inherit' });
  const code = await new Promise<number>((resolve) =>
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 130 : 1))),
  );
  process.exitCode = code;
}
