import type { Argv } from 'yargs';
import { UsageError } from './errors.ts';

/**
 * Workshop conventions for every yargs CLI: strict options, `--help`, and a bad argument
 * reported as one line naming the fix, exit code 2 (never yargs' usage dump).
 */
export function workshopCli<T>(argv: Argv<T>, name: string): Argv<T> {
  return argv
    .scriptName(name)
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(`${msg} (see \`${name} --help\`)`);
    });
}
