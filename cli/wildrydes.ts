#!/usr/bin/env node
/**
 * `wildrydes`: the one command behind the workshop's npm scripts. Each subcommand lives in
 * cli/commands/ and is loaded only when used, so a quick command stays quick.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runMain } from '../core/errors.ts';
import { workshopCli } from '../core/yargs.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const targetOptions = <T>(y: Argv<T>) =>
  y
    .option('target', {
      choices: ['local', 'aws'] as const,
      default: 'local' as const,
      describe: 'the local cloud, or your AWS account',
    })
    .option('region', {
      type: 'string',
      requiresArg: true,
      describe: 'AWS region (aws target; else AWS_REGION)',
    });

const setExit = (code: number) => {
  process.exitCode = code;
};

/** When a command that reports to the instructor's board has finished: its report (if joined). */
const reportToRoom = async (event: import('../room/report.ts').CommandEvent) =>
  (await import('../room/report.ts')).reportToRoom(event);

await runMain(async () => {
  await workshopCli(yargs(hideBin(process.argv)), 'wildrydes')
    .usage('$0 <command>\n\nThe Wild Rydes workshop: run the local cloud, deploy modules, check your work.')
    // Many attendees on one account: every command finds this attendee's own stacks and resources.
    .option('attendee', {
      type: 'string',
      requiresArg: true,
      global: true,
      describe: "prefix every name with yours (remembered; or WILDRYDES_ATTENDEE; '' for none)",
    })
    .middleware(async (argv) => {
      const { resolveAttendee } = await import('../contracts/attendee-choice.ts');
      const { note } = resolveAttendee(argv.attendee as string | undefined);
      if (note) console.error(note);
    })
    .command(
      'start',
      'start the local cloud, deploy the workshop stacks, redeploy on save',
      (y) =>
        y
          .option('port', { type: 'number', default: 4566, describe: 'port of the local cloud' })
          .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to bind (loopback)' })
          .option('allow-remote', {
            type: 'boolean',
            default: false,
            describe: 'allow a non-loopback --host',
          })
          .option('watch', { type: 'boolean', default: true, describe: 'redeploy when a handler is saved' })
          .option('window-seconds', {
            type: 'number',
            // Short, for the learner's loop; AWS deploys 60 s (CDK context `windowSeconds`).
            default: 10,
            describe: 'tumbling window of modules 3 and 5 (AWS: 60)',
          })
          .option('shards', {
            type: 'number',
            default: 1,
            describe: 'shards of each stream (1,000 records/s and 1 MiB/s of writes per shard)',
          })
          .option('site-port', {
            type: 'number',
            default: 4567,
            describe: 'port of the workshop site (built by `npm run site:build`)',
          })
          .option('faults', {
            type: 'string',
            describe:
              'inject failures to see retries at work, e.g. kinesis=0.1,dynamodb=0.1,crash=0.05,seed=7 (or WILDRYDES_FAULTS)',
          }),
      async (argv) => setExit(await (await import('./commands/start.ts')).start(argv)),
    )
    .command(
      'deploy [modules..]',
      'deploy workshop modules (all by default)',
      (y) =>
        targetOptions(y)
          .positional('modules', { type: 'string', array: true, default: [] })
          .option('shards', {
            type: 'number',
            requiresArg: true,
            describe: 'shards of each stream (--target aws; remembered for later deploys)',
          }),
      async (argv) => setExit(await (await import('./commands/deploy.ts')).deploy(argv)),
    )
    .command(
      'catchup <module>',
      'switch modules 1..N to the solution handlers and deploy them',
      // A string, checked by catchup: yargs would read `0x1` as 1.
      (y) =>
        targetOptions(y).positional('module', { type: 'string', demandOption: true }).option('shards', {
          type: 'number',
          requiresArg: true,
          describe: 'shards of each stream (--target aws; remembered for later deploys)',
        }),
      async (argv) => {
        setExit(await (await import('./commands/deploy.ts')).catchup(argv));
        await reportToRoom({ command: 'catchup', module: String(argv.module) });
      },
    )
    .command(
      'destroy [modules..]',
      'remove deployed workshop modules (all by default)',
      (y) => targetOptions(y).positional('modules', { type: 'string', array: true, default: [] }),
      async (argv) => setExit(await (await import('./commands/deploy.ts')).destroy(argv)),
    )
    .command(
      'cleanup',
      'remove everything the workshop deployed (on AWS: nothing left that bills)',
      (y) => targetOptions(y),
      async (argv) => setExit(await (await import('./commands/deploy.ts')).destroy({ ...argv, modules: [] })),
    )
    .command(
      'check <module>',
      'check your work on a module (module1 … module4, extra)',
      (y) =>
        targetOptions(y)
          .positional('module', { type: 'string', demandOption: true, describe: 'module number or key' })
          .option('name', {
            type: 'string',
            requiresArg: true,
            default: 'Shadowfax',
            describe: 'your unicorn',
          })
          .option('wait', {
            // A string, checked by check: yargs would turn `abc` into NaN and lose what was typed.
            type: 'string',
            default: '90',
            describe: 'seconds to wait for data still on its way',
          })
          .option('drive', {
            type: 'boolean',
            default: false,
            describe: 'send fresh data first (samples, or a short ride of a new unicorn) and judge only that',
          }),
      async (argv) => {
        setExit(await (await import('./commands/check.ts')).check({ ...argv, module: String(argv.module) }));
        await reportToRoom({ command: 'check', module: String(argv.module) });
      },
    )
    .command(
      'watch',
      'check the current module on every save, with fresh data (h hint, n next module, q quit)',
      (y) => targetOptions(y),
      async (argv) => setExit(await (await import('./commands/watch.ts')).watch(argv)),
    )
    .command('status', 'show your progress through the modules', {}, async () => {
      setExit(await (await import('./commands/status.ts')).status());
      await reportToRoom({ command: 'status' });
    })
    .command(
      'room',
      "serve the instructor's live board of the room: who joined, each one's module and checks",
      (y) =>
        y
          .option('port', { type: 'number', default: 4570, describe: 'port of the board' })
          .option('lan', {
            type: 'boolean',
            default: false,
            describe: 'listen on every address (0.0.0.0), so attendees on the network can join',
          })
          .option('host', {
            type: 'string',
            requiresArg: true,
            describe: 'address to listen on (127.0.0.1 by default; 0.0.0.0 is --lan)',
          })
          .option('code', {
            type: 'string',
            requiresArg: true,
            describe: 'the room code (a new one is generated by default)',
          })
          .option('max-attendees', {
            type: 'number',
            default: 200,
            describe: 'most attendees the room takes',
          })
          .example('$0 room --lan', 'a board attendees on the network can join'),
      async (argv) => setExit(await (await import('./commands/room.ts')).room(argv)),
    )
    .command(
      'join [url]',
      "join the instructor's board: checks, catch-up and status report to it from then on",
      (y) =>
        y
          .positional('url', { type: 'string', describe: "the board's URL, e.g. http://192.168.1.20:4570" })
          .option('code', {
            type: 'string',
            requiresArg: true,
            describe: 'the room code the instructor gave',
          })
          .option('name', { type: 'string', requiresArg: true, describe: 'your name on the board' })
          .option('leave', { type: 'boolean', default: false, describe: 'stop reporting to the board' })
          .example('$0 join http://192.168.1.20:4570 --code K7QM-2XPD-9TRA --name Ada', 'join a room'),
      async (argv) => setExit(await (await import('./commands/join.ts')).join(argv)),
    )
    .command(
      'consume',
      'tail a Kinesis stream, one line per record (see `npm run consumer -- --help`)',
      (y) => y.strict(false).help(false),
      async () => setExit(await (await import('./commands/consumer.ts')).consume(process.argv.slice(3))),
    )
    .command(
      'upload [files..]',
      "put Markdown interview notes (files or folders) in module 1's input bucket",
      (y) =>
        targetOptions(y)
          .positional('files', { type: 'string', array: true, default: [] })
          .option('prefix', { type: 'string', requiresArg: true, describe: 'key prefix in the bucket' })
          .example('$0 upload modules/01-file-processing/samples', 'upload every sample note'),
      async (argv) =>
        setExit(
          await (await import('./commands/upload.ts')).upload({ ...argv, files: argv.files.map(String) }),
        ),
    )
    .command(
      'outbox',
      'read the emails the local cloud sent (alarms, alerts)',
      (y) =>
        y
          .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'wait for new emails' })
          .option('last', { type: 'number', requiresArg: true, describe: 'only the newest N emails' }),
      async (argv) => setExit(await (await import('./commands/outbox.ts')).outbox(argv)),
    )
    .command(
      'dashboard',
      'serve the live dashboard (map, points, table, alerts) for the local cloud or your AWS account',
      (y) =>
        targetOptions(y)
          .option('port', { type: 'number', default: 4568, describe: 'port of the dashboard (127.0.0.1)' })
          .example(
            '$0 dashboard --target aws',
            'watch your own AWS pipeline at http://127.0.0.1:4568/dashboard/',
          ),
      async (argv) => setExit(await (await import('./commands/dashboard.ts')).dashboard(argv)),
    )
    .command(
      'zip <folder> <out>',
      'make a Lambda deployment package (.zip) from a folder, for `aws lambda create-function`',
      (y) =>
        y
          .positional('folder', { type: 'string', demandOption: true, describe: 'the function code' })
          .positional('out', { type: 'string', demandOption: true, describe: 'the .zip to write' })
          .example(
            '$0 zip modules/04-stream-processing/by-hand persist.zip',
            "the by-hand function's package",
          ),
      async (argv) =>
        setExit(await (await import('./commands/zip.ts')).zipFolder({ folder: argv.folder, out: argv.out })),
    )
    .command(
      'produce',
      'send unicorn telemetry to Kinesis (same options as `npm run producer`)',
      (y) => y.strict(false).help(false),
      async () => (await import('./commands/produce.ts')).produce(process.argv.slice(3)),
    )
    .demandCommand(1, 'name a command')
    .parseAsync();
  return process.exitCode as number | undefined;
});
