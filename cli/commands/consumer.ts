/**
 * `npm run consumer -- --stream wildrydes`: tails a Kinesis stream and prints each record on one
 * line (or as JSON with `--json`) until Ctrl-C. Module 2's way to see the telemetry arrive.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import yargs from 'yargs';
import { namesFor } from '../../contracts/attendee.ts';
import { parseAggregate, parseStatus } from '../../contracts/telemetry.ts';
import { currentAttendee } from '../../core/attendee.ts';
import { describeAwsError, UsageError } from '../../core/errors.ts';
import { createProgress, type Progress } from '../../core/progress-line.ts';
import { type Target, targetConfig } from '../../core/target.ts';
import { workshopCli } from '../../core/yargs.ts';
import { honestTarget } from '../lib/preflight.ts';

/** Options of the consumer, as parsed. */
export interface ConsumerOptions {
  stream: string;
  from: 'latest' | 'trim-horizon';
  target: Target;
  region?: string;
  json: boolean;
}

/** Where the consumer writes, and what stops it (Ctrl-C, or a test). */
export interface ConsumerIo {
  out?: (line: string) => void;
  progress?: Progress;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Pause between reads of an idle shard, in ms (AWS allows 5 reads a second per shard). */
  idleMs?: number;
}

const pad = (text: string, width: number) =>
  text.length >= width ? text : text + ' '.repeat(width - text.length);

/**
 * One line for a record: raw telemetry as time, name, position, distance and points; an
 * aggregated record as its window; anything else as its partition key and text.
 */
export function formatRecord(text: string, partitionKey: string): string {
  const status = parseStatus(text);
  if (status.ok) {
    const s = status.value;
    return `${s.StatusTime}  ${pad(s.Name, 12)} ${s.Latitude.toFixed(6)}, ${s.Longitude.toFixed(6)}  ${pad(`${s.Distance} m`, 6)}  magic ${pad(String(s.MagicPoints), 4)} health ${s.HealthPoints}`;
  }
  const aggregate = parseAggregate(text);
  if (aggregate.ok) {
    const a = aggregate.value;
    return `${a.StatusTime}  ${pad(a.Name, 12)} window  ${pad(`${a.Distance} m`, 8)}  magic ${a.MinMagicPoints}–${a.MaxMagicPoints}  health ${a.MinHealthPoints}–${a.MaxHealthPoints}`;
  }
  const shown = text.length > 100 ? `${text.slice(0, 100)}…` : text;
  return `(${partitionKey}) ${shown.replace(/\s+/g, ' ')}`;
}

/** A record for `--json`: its JSON as it is, or its text and keys when it is not JSON. */
export function jsonLine(text: string, partitionKey: string, sequenceNumber: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return JSON.stringify({ partitionKey, sequenceNumber, data: text });
  }
}

/** Parses the command line; a bad option is a one-line `UsageError` (exit 2). */
export async function parseConsumerArgs(argv: string[]): Promise<ConsumerOptions> {
  const parser = workshopCli(yargs(argv), 'npm run consumer --')
    .usage(
      '$0 [options]\n\nPrints each record of a Kinesis stream on one line as it arrives, until Ctrl-C.\n\n' +
        'Example: npm run consumer -- --stream wildrydes --from trim-horizon',
    )
    .option('stream', {
      type: 'string',
      requiresArg: true,
      // The attendee's own (`ada-wildrydes`): wildrydes.ts chose the attendee before this runs.
      default: namesFor(currentAttendee()).rawStream,
      describe: 'the stream to read',
    })
    .option('attendee', {
      type: 'string',
      requiresArg: true,
      describe: "yours, on a shared account: reads <attendee>-wildrydes (remembered; '' for none)",
    })
    .option('from', {
      choices: ['latest', 'trim-horizon'] as const,
      default: 'latest' as const,
      describe: 'only new records, or everything the stream still holds',
    })
    .option('target', {
      choices: ['local', 'aws'] as const,
      default: 'local' as const,
      describe: 'the local cloud, or your AWS account',
    })
    .option('region', {
      type: 'string',
      requiresArg: true,
      describe: 'AWS region (aws target; else AWS_REGION)',
    })
    .option('json', { type: 'boolean', default: false, describe: 'print each record as a JSON line' });
  const args = await parser.parseAsync();
  if (args._.length > 0)
    throw new UsageError(`unexpected argument '${args._[0]}' (see \`npm run consumer -- --help\`)`);
  if (!args.stream.trim()) throw new UsageError('--stream needs a stream name, e.g. --stream wildrydes');
  // Kinesis's own rule for stream names: refused here, in words, rather than by the API.
  if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(args.stream)) {
    throw new UsageError(
      `'${args.stream}' is not a stream name: 1 to 128 letters, digits, '_', '-' or '.', e.g. --stream wildrydes`,
    );
  }
  return { stream: args.stream, from: args.from, target: args.target, region: args.region, json: args.json };
}

const iteratorType = (from: ConsumerOptions['from']): ShardIteratorType =>
  from === 'latest' ? 'LATEST' : 'TRIM_HORIZON';

/** Tails the stream until `io.signal` aborts; returns the exit code (0). */
export async function tail(opts: ConsumerOptions, io: ConsumerIo = {}): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const progress = io.progress ?? createProgress();
  const target = await honestTarget(targetConfig(opts.target, { region: opts.region }, io.env));
  const kinesis = new KinesisClient(target.clientConfig);
  const signal = io.signal;
  const idleMs = io.idleMs ?? 1_000;
  const stopped = () => signal?.aborted === true;
  const failure = (err: unknown) =>
    describeAwsError(err, {
      resource: `stream '${opts.stream}'`,
      whenMissing: `deploy it with \`npm run deploy -- 2${opts.target === 'aws' ? ' --target aws' : ''}\`, or name another with --stream`,
      endpoint: target.clientConfig.endpoint,
      region: target.clientConfig.region,
    }) ?? err;

  let count = 0;
  try {
    const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: opts.stream }), {
      abortSignal: signal,
    });
    // Open shards only: the workshop's streams have one shard and are never resharded.
    const shards = new Map<string, { iterator?: string; after?: string }>();
    for (const shard of Shards.filter((s) => !s.SequenceNumberRange?.EndingSequenceNumber)) {
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: opts.stream,
          ShardId: shard.ShardId,
          ShardIteratorType: iteratorType(opts.from),
        }),
        { abortSignal: signal },
      );
      if (shard.ShardId) shards.set(shard.ShardId, { iterator: ShardIterator });
    }
    progress.done(`reading '${opts.stream}' from ${opts.from} on ${target.describe} — Ctrl-C to stop`);

    while (!stopped() && [...shards.values()].some((s) => s.iterator)) {
      let behind = false;
      for (const [shardId, shard] of shards) {
        if (!shard.iterator || stopped()) continue;
        let page: Awaited<ReturnType<typeof readPage>>;
        try {
          page = await readPage(kinesis, shard.iterator, signal);
        } catch (err) {
          const name = (err as Error)?.name;
          if (name === 'ProvisionedThroughputExceededException') continue;
          if (name !== 'ExpiredIteratorException') throw err;
          // An iterator lives 5 minutes: start again after the last record shown.
          const { ShardIterator } = await kinesis.send(
            new GetShardIteratorCommand({
              StreamName: opts.stream,
              ShardId: shardId,
              ...(shard.after
                ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: shard.after }
                : { ShardIteratorType: 'LATEST' }),
            }),
            { abortSignal: signal },
          );
          shard.iterator = ShardIterator;
          continue;
        }
        const records = page.Records ?? [];
        if (records.length > 0) progress.done();
        for (const r of records) {
          const text = Buffer.from(r.Data ?? new Uint8Array()).toString('utf8');
          const key = r.PartitionKey ?? '';
          out(opts.json ? jsonLine(text, key, r.SequenceNumber ?? '') : formatRecord(text, key));
          shard.after = r.SequenceNumber ?? shard.after;
          count++;
        }
        shard.iterator = page.NextShardIterator;
        if ((page.MillisBehindLatest ?? 0) > 0) behind = true;
      }
      if (stopped()) break;
      progress.update(`… waiting for records on '${opts.stream}' (${count} so far, Ctrl-C to stop)`);
      await pause(behind ? 200 : idleMs, signal);
    }
  } catch (err) {
    if (stopped()) return finish();
    throw failure(err);
  }
  return finish();

  function finish(): number {
    progress.done(`stopped: ${count} record${count === 1 ? '' : 's'} from '${opts.stream}'`);
    return 0;
  }
}

const readPage = (kinesis: KinesisClient, iterator: string, signal?: AbortSignal) =>
  kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1_000 }), { abortSignal: signal });

/** Waits `ms`, or less if the signal aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * `wildrydes consume <args>`: parses `argv`, tails the stream, and stops cleanly on Ctrl-C.
 * Returns the exit code; bad options and AWS errors are thrown as one-line `UsageError`s.
 */
export async function consume(argv: string[]): Promise<number> {
  const opts = await parseConsumerArgs(argv);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await tail(opts, { signal: controller.signal });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
