#!/usr/bin/env node
/**
 * `npm run producer -- …` (compiled to dist/producer.mjs): sends Wild Rydes unicorn telemetry to
 * Kinesis, or prints it with --dry-run. The only file of the producer that does process I/O.
 */
import { once } from 'node:events';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { resolveAttendee } from '../contracts/attendee-choice.ts';
import type { UnicornStatus } from '../contracts/telemetry.ts';
import { runMain, UsageError, WorkshopError } from '../core/errors.ts';
import { createProgress } from '../core/progress-line.ts';
import { workshopCli } from '../core/yargs.ts';
import { checkStream, createKinesis, explainAwsError, kinesisPutRecords, resolveConnection } from './aws.ts';
import type { PutEntry } from './batch.ts';
import { laneCount } from './lanes.ts';
import {
  DEFAULT_NAME,
  DEFAULT_SEED,
  DEFAULT_STREAM,
  type ProducerConfig,
  resolveOptions,
} from './options.ts';
import { cloudStartedAt, isOutage, StreamGoneError, waitForStream } from './outage.ts';
import { startPump } from './pump.ts';
import { dryRunLine, overloadLine, startLine, statusLine, summaryLine } from './report.ts';
import { abortableSleep, generate } from './run.ts';
import { Sender } from './sender.ts';
import { overloadOf } from './shard-load.ts';
import { createFleet, type Fleet } from './telemetry.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const NAME = 'npm run producer --';
/** Generation waits while this many records are waiting to be sent. */
const MAX_PENDING = 100_000;

const parser = (argv: string[]) =>
  workshopCli(yargs(argv), NAME)
    .usage(
      `$0 [options]\n\nSends unicorn telemetry to the Kinesis stream of module 2: one JSON record per unicorn per ` +
        `simulated second, partition key = the unicorn's name, in order per unicorn. Ctrl-C stops, sends what is ` +
        `buffered and prints a summary; a second Ctrl-C quits at once.\n\nTiring: a third of the unicorns (rounded ` +
        `up), chosen by --seed, tire: their magic points fall below 50 within about 120 records. --tired picks them.`,
    )
    .option('name', {
      requiresArg: true,
      type: 'string',
      describe: 'a unicorn (repeat for more)',
      defaultDescription: DEFAULT_NAME,
    })
    .option('unicorns', {
      type: 'number',
      requiresArg: true,
      describe: 'ride N unicorns: Shadowfax, Rocinante, Bucephalus, …',
    })
    .option('tired', {
      type: 'string',
      requiresArg: true,
      describe: 'make this unicorn tire (repeat for more)',
    })
    .option('stream', {
      type: 'string',
      requiresArg: true,
      describe: 'Kinesis stream',
      defaultDescription: `${DEFAULT_STREAM}, or <attendee>-${DEFAULT_STREAM}`,
    })
    .option('attendee', {
      type: 'string',
      requiresArg: true,
      describe: "yours, on a shared account: the stream is <attendee>-wildrydes (remembered; '' for none)",
    })
    .option('region', {
      requiresArg: true,
      type: 'string',
      describe: 'AWS region (else AWS_REGION; us-east-1 with an endpoint)',
    })
    .option('endpoint', {
      type: 'string',
      requiresArg: true,
      describe: 'endpoint URL (else AWS_ENDPOINT_URL; none for AWS)',
    })
    .option('rate', {
      requiresArg: true,
      type: 'number',
      describe: 'records per unicorn per real second',
      defaultDescription: '1',
    })
    .option('duration', {
      type: 'number',
      requiresArg: true,
      describe: 'seconds to ride (else until Ctrl-C)',
    })
    .option('count', {
      type: 'number',
      requiresArg: true,
      describe: 'records per unicorn (else until Ctrl-C)',
    })
    .option('seed', {
      requiresArg: true,
      type: 'number',
      describe: 'same seed, same rides',
      defaultDescription: String(DEFAULT_SEED),
    })
    .option('dry-run', { type: 'boolean', describe: 'print records as JSON lines on stdout, send nothing' })
    .option('quiet', { type: 'boolean', describe: 'print only errors and the final summary' })
    .example('$0 --name Shadowfax --duration 60', 'send your unicorn for one minute')
    .example('$0 --unicorns 3 --rate 5', 'three unicorns, five records each per second, until Ctrl-C')
    .example('$0 --unicorns 3 --tired Rocinante --count 180', "Rocinante's magic points fall below 50")
    .example('$0 --dry-run --count 10 --seed 7', 'print 10 records as JSON lines, send nothing');

/** Parses the command line; yargs' own parse errors are usage errors (exit 2), see `workshopCli`. */
const parseArgs = (argv: string[]) => parser(argv).parseAsync();

const attendeeArg = (value: unknown): string | undefined => {
  if (Array.isArray(value)) throw new UsageError('--attendee is given more than once: give it once');
  return value === undefined ? undefined : String(value);
};

const toEntry = (record: UnicornStatus): PutEntry => ({
  partitionKey: record.Name,
  data: Buffer.from(JSON.stringify(record)),
});

/** First SIGINT/SIGTERM calls `first`, the next `again`; returns a function removing the handlers. */
function onInterrupt(first: () => void, again: () => void): () => void {
  let count = 0;
  const handler = () => (count++ === 0 ? first() : again());
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

async function dryRun(config: ProducerConfig, fleet: Fleet): Promise<number> {
  const stop = new AbortController();
  const out = process.stdout;
  let closed = false;
  // The reader went away (`| head`): stop quietly.
  out.on('error', () => {
    closed = true;
    stop.abort();
  });
  let printed = 0;
  const release = onInterrupt(
    () => stop.abort(),
    () => process.exit(130),
  );
  try {
    await generate({
      fleet,
      rate: config.rate,
      ticks: config.ticks,
      pace: false,
      signal: stop.signal,
      emit: async (records) => {
        const ok = out.write(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
        printed += records.length;
        if (!ok) await once(out, 'drain', { signal: stop.signal }).catch(() => {});
      },
    });
  } finally {
    release();
  }
  if (!closed) process.stderr.write(`${dryRunLine(printed, config.names.length, stop.signal.aborted)}\n`);
  return 0;
}

async function send(config: ProducerConfig, fleet: Fleet): Promise<number> {
  const conn = resolveConnection(config, process.env);
  const client = createKinesis(conn);
  try {
    const shards = await checkStream(client, config.stream, conn);
    const sender = new Sender({
      putRecords: kinesisPutRecords(client, config.stream),
      // One call in flight per shard, each shard's records in their own lane.
      lanes: laneCount(shards),
      isOutage: (err) => conn.endpoint !== undefined && isOutage(err),
    });
    // An endpoint of our own (the local cloud) may restart under us: wait for the stream then.
    const startedBefore = conn.endpoint ? await cloudStartedAt(conn.endpoint) : undefined;
    const recover = async (err: unknown) => {
      if (!conn.endpoint || !isOutage(err)) throw err;
      progress.done();
      await waitForStream(
        {
          stream: config.stream,
          where: conn.where,
          pending: () => sender.pending,
          say: (line) => process.stderr.write(`${line}\n`),
          streamStatus: async () =>
            (await client.send(new DescribeStreamSummaryCommand({ StreamName: config.stream })))
              .StreamDescriptionSummary?.StreamStatus,
          startedAt: () => cloudStartedAt(conn.endpoint ?? ''),
        },
        startedBefore,
      ).catch((gone) => {
        throw gone instanceof StreamGoneError ? new WorkshopError(gone.message, 2) : gone;
      });
    };
    const pump = startPump(sender, recover);
    const stop = new AbortController();
    pump.done.catch(() => stop.abort());
    const progress = createProgress({ quiet: config.quiet });
    const started = Date.now();
    const timer = setInterval(() => progress.update(statusLine(sender.stats(), Date.now() - started)), 250);
    const summary = () =>
      summaryLine(sender.stats(), {
        stream: config.stream,
        elapsedMs: Date.now() - started,
        unicorns: config.names.length,
        interrupted,
      });
    let interrupted = false;
    const release = onInterrupt(
      () => {
        interrupted = true;
        stop.abort();
        progress.done();
        if (!config.quiet && sender.pending > 0) {
          process.stderr.write(
            `stopping: sending ${sender.pending} buffered records (Ctrl-C again to quit now)\n`,
          );
        }
      },
      () => {
        progress.done();
        process.stderr.write(`interrupted: ${sender.pending} records not sent; ${summary()}\n`);
        process.exit(130);
      },
    );
    if (!config.quiet) process.stderr.write(`${startLine(config, conn.where, fleet.tired)}\n`);
    // A warning, so shown even with --quiet: a shard over its limit stays throttled all run long.
    const overload = overloadOf(config.names, shards, config.rate);
    if (overload) process.stderr.write(`${overloadLine(overload, config.rate)}\n`);
    try {
      await generate({
        fleet,
        rate: config.rate,
        ticks: config.ticks,
        pace: true,
        signal: stop.signal,
        emit: async (records) => {
          pump.push(records.map(toEntry));
          while (sender.pending > MAX_PENDING && !stop.signal.aborted) await abortableSleep(50, stop.signal);
        },
      });
      await pump.finish();
    } catch (err) {
      progress.done();
      process.stderr.write(`${summary()}\n`);
      const explained = explainAwsError(err, conn, config.stream);
      throw explained instanceof WorkshopError
        ? new WorkshopError(`${explained.message} (${sender.pending} records not sent)`, explained.exitCode)
        : explained;
    } finally {
      clearInterval(timer);
      release();
    }
    progress.done();
    process.stderr.write(`${summary()}\n`);
    return sender.stats().failed > 0 ? 1 : 0;
  } finally {
    client.destroy();
  }
}

await runMain(async () => {
  const args = await parseArgs(hideBin(process.argv));
  // The attendee's own stream (`ada-wildrydes`), unless --stream names one.
  const { names, note } = resolveAttendee(attendeeArg(args.attendee));
  if (note) process.stderr.write(`${note}\n`);
  const config = resolveOptions({ ...args, stream: args.stream ?? names.rawStream });
  const fleet = createFleet({ names: config.names, seed: config.seed, tired: config.tired });
  return config.dryRun ? dryRun(config, fleet) : send(config, fleet);
});
