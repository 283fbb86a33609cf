#!/usr/bin/env node
/**
 * `wildrydes`: the one command behind the workshop's npm scripts.
 * Each subcommand lives in its own file under cli/commands/.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { check } from './commands/check.ts';
import { produce } from './commands/produce.ts';
import { status } from './commands/status.ts';
import { runMain, WorkshopError } from './lib/errors.ts';
import { workshopCli } from './lib/yargs.ts';

/** A command whose issue has not landed yet: says so plainly, exit 1 (no fake success). */
const notBuilt = (what: string) => () => {
  throw new WorkshopError(
    `\`wildrydes ${what}\` is not built yet: it arrives with a later part of the workshop`,
  );
};

await runMain(async () => {
  await workshopCli(yargs(hideBin(process.argv)), 'wildrydes')
    .usage('$0 <command>\n\nThe Wild Rydes workshop: run the local cloud, deploy modules, check your work.')
    .command('start', 'start the local cloud and deploy the workshop stacks', {}, notBuilt('start'))
    .command('deploy [modules..]', 'deploy workshop modules (local cloud or AWS)', {}, notBuilt('deploy'))
    .command('destroy [modules..]', 'remove deployed workshop modules', {}, notBuilt('destroy'))
    .command(
      'check <module>',
      'check your work on a module (module1 … module4, extra)',
      (y) =>
        y
          .positional('module', { type: 'string', demandOption: true, describe: 'module number or key' })
          .option('target', {
            choices: ['local', 'aws'] as const,
            default: 'local' as const,
            describe: 'where it runs',
          })
          .option('region', { type: 'string', describe: 'AWS region (aws target)' })
          .option('name', { type: 'string', default: 'Shadowfax', describe: 'your unicorn' })
          .option('wait', {
            type: 'number',
            default: 90,
            describe: 'seconds to wait for data still on its way',
          }),
      async (argv) => {
        process.exitCode = await check({ ...argv, module: String(argv.module) });
      },
    )
    .command('catchup <module>', 'deploy the solutions of modules 1..N', {}, notBuilt('catchup'))
    .command('status', 'show your progress through the modules', {}, async () => {
      process.exitCode = await status();
    })
    .command('cleanup', 'remove everything the workshop deployed', {}, notBuilt('cleanup'))
    .command(
      'produce',
      'send unicorn telemetry to Kinesis (same options as `npm run producer`)',
      (y) => y.strict(false).help(false),
      () => produce(process.argv.slice(3)),
    )
    .demandCommand(1, 'name a command')
    .parseAsync();
  return process.exitCode as number | undefined;
});
