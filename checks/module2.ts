import { KinesisClient } from '@aws-sdk/client-kinesis';
import type { TargetConfig } from '../core/target.ts';
import { names } from './names.ts';
import { type CheckArgs, type CheckStep, fail, type ModuleCheck, pass } from './report.ts';
import { awaitActiveStream, command, producerCommand, readStatuses, type StatusRecord } from './streams.ts';

/** What the module 2 steps share. */
export interface Module2Context {
  target: TargetConfig;
  kinesis: KinesisClient;
  name: string;
  waitSeconds: number;
  /** The attendee's unicorn's records, once read. */
  mine: StatusRecord[];
}

/** A record from the stream that does not follow the raw schema, and why. */
export interface SchemaFinding {
  sequenceNumber: string;
  problems: string[];
}

/**
 * What is wrong with the records of one unicorn: each must parse to the raw schema, and use the
 * unicorn's name as partition key (so one unicorn's records stay in order, on one shard).
 */
export function schemaFindings(records: readonly StatusRecord[]): SchemaFinding[] {
  return records.flatMap((r) => {
    const problems = r.parsed.ok ? [] : [...r.parsed.problems];
    const name = r.name;
    if (name !== undefined && r.record.partitionKey !== name) {
      problems.push(`the partition key is '${r.record.partitionKey}', not the unicorn's name '${name}'`);
    }
    return problems.length > 0 ? [{ sequenceNumber: r.record.sequenceNumber, problems }] : [];
  });
}

const steps: CheckStep<Module2Context>[] = [
  {
    title: `the stream '${names.rawStream}' exists and is active`,
    run: async (ctx) => {
      const stream = await awaitActiveStream(ctx.kinesis, names.rawStream, ctx.waitSeconds);
      if (!stream) {
        return fail(
          `there is no stream '${names.rawStream}' in ${ctx.target.describe}`,
          `deploy it: \`${command(ctx.target, 'npm run deploy -- 2')}\``,
        );
      }
      if (stream.status !== 'ACTIVE') {
        return fail(`the stream '${names.rawStream}' is ${stream.status}, not ACTIVE`);
      }
      return pass(`${stream.shards} shard${stream.shards === 1 ? '' : 's'}`);
    },
  },
  {
    title: 'the stream holds telemetry from your unicorn',
    run: async (ctx) => {
      const all = await readStatuses(ctx.kinesis, names.rawStream);
      ctx.mine = all.filter((r) => r.name === ctx.name);
      if (ctx.mine.length > 0)
        return pass(`${ctx.mine.length} records from ${ctx.name} (of ${all.length} in all)`);
      if (all.length === 0) {
        return fail(
          `the stream '${names.rawStream}' is empty`,
          `send telemetry: \`${producerCommand(ctx.name)}\``,
        );
      }
      const others = [...new Set(all.flatMap((r) => r.name ?? []))].slice(0, 5);
      return fail(
        `the stream holds ${all.length} records${others.length ? ` (from ${others.join(', ')})` : ''}, none from ${ctx.name}`,
        `send telemetry for ${ctx.name}: \`${producerCommand(ctx.name)}\` — or check another unicorn with \`--name ${others[0] ?? 'NAME'}\``,
      );
    },
  },
  {
    title: 'every record of your unicorn has the raw telemetry schema',
    run: async (ctx) => {
      const findings = schemaFindings(ctx.mine);
      if (findings.length === 0)
        return pass(`${ctx.mine.length} records checked: names, times, position, distance, points`);
      const [first] = findings;
      return fail(
        `${findings.length} of ${ctx.mine.length} records from ${ctx.name} do not follow the schema; the first (sequence number ${first?.sequenceNumber}): ${first?.problems.join('; ')}`,
        'the producer writes this schema (modules/02-streaming-data/README.md, "The data"): send records with `npm run producer`, not by hand',
      );
    },
  },
];

/** Module 2: the stream exists and carries well-formed telemetry from the attendee's unicorn. */
export const check: ModuleCheck<Module2Context> = {
  context: (target: TargetConfig, args: CheckArgs): Module2Context => ({
    target,
    kinesis: new KinesisClient(target.clientConfig),
    name: args.name,
    waitSeconds: args.waitSeconds,
    mine: [],
  }),
  steps,
};
