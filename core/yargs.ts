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
      // yargs reports some parse errors (an option given no value) as a YError, not a message.
      if (err && err.name !== 'YError') throw err;
      // "Invalid values:" comes on several lines; the promise is one.
      const oneLine = String(msg ?? err?.message).replace(/\s*\n\s*/g, ' ');
      throw new UsageError(`${oneLine} (see \`${name} --help\`)`);
    });
}
