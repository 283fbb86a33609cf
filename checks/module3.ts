import { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  mergeAggregates,
  parseStatusTime,
  type UnicornAggregate,
  type UnicornStatus,
} from '../contracts/telemetry.ts';
import type { TargetConfig } from '../core/target.ts';
import { names } from './names.ts';
import { type CheckArgs, type CheckStep, fail, type ModuleCheck, pass } from './report.ts';
import {
  type AggregateRecord,
  awaitActiveStream,
  command,
  plural,
  producerCommand,
  readAggregates,
  readStatuses,
  type StatusRecord,
  validValues,
  waitUntil,
} from './streams.ts';

/** Sum of distances and extremes of the points over a set of records. */
export interface Totals {
  records: number;
  Distance: number;
  MinMagicPoints: number;
  MaxMagicPoints: number;
  MinHealthPoints: number;
  MaxHealthPoints: number;
}

const EMPTY: Totals = {
  records: 0,
  Distance: 0,
  MinMagicPoints: Number.POSITIVE_INFINITY,
  MaxMagicPoints: Number.NEGATIVE_INFINITY,
  MinHealthPoints: Number.POSITIVE_INFINITY,
  MaxHealthPoints: Number.NEGATIVE_INFINITY,
};

/** Totals of raw telemetry. */
export const totalsOfStatuses = (statuses: readonly UnicornStatus[]): Totals =>
  statuses.reduce<Totals>(
    (t, s) => ({
      records: t.records + 1,
      Distance: t.Distance + s.Distance,
      MinMagicPoints: Math.min(t.MinMagicPoints, s.MagicPoints),
      MaxMagicPoints: Math.max(t.MaxMagicPoints, s.MagicPoints),
      MinHealthPoints: Math.min(t.MinHealthPoints, s.HealthPoints),
      MaxHealthPoints: Math.max(t.MaxHealthPoints, s.HealthPoints),
    }),
    EMPTY,
  );

/** Totals of aggregated records: the same quantities, whatever the windows. */
export const totalsOfAggregates = (aggregates: readonly UnicornAggregate[]): Totals =>
  aggregates.reduce<Totals>(
    (t, a) => ({
      records: t.records + 1,
      Distance: t.Distance + a.Distance,
      MinMagicPoints: Math.min(t.MinMagicPoints, a.MinMagicPoints),
      MaxMagicPoints: Math.max(t.MaxMagicPoints, a.MaxMagicPoints),
      MinHealthPoints: Math.min(t.MinHealthPoints, a.MinHealthPoints),
      MaxHealthPoints: Math.max(t.MaxHealthPoints, a.MaxHealthPoints),
    }),
    EMPTY,
  );

/** Aggregated records of one unicorn, one per window part. */
export interface UniqueAggregates {
  unique: UnicornAggregate[];
  /** The same record delivered again (a retried invocation): harmless, module 4 merges it once. */
  repeats: number;
  /** Two different records for one window part: one of them is wrong. */
  conflicts: [UnicornAggregate, UnicornAggregate][];
}

const sameAggregate = (a: UnicornAggregate, b: UnicornAggregate) =>
  a.Distance === b.Distance &&
  a.MinMagicPoints === b.MinMagicPoints &&
  a.MaxMagicPoints === b.MaxMagicPoints &&
  a.MinHealthPoints === b.MinHealthPoints &&
  a.MaxHealthPoints === b.MaxHealthPoints;

const windowKey = (a: UnicornAggregate) => `${a.Name}\u0000${a.StatusTime}`;

/**
 * Groups aggregated records by window part (Name + StatusTime + Part), in window order. A window
 * Lambda ended early (state over 1 MB) comes in several parts, each its own record.
 */
export function uniqueAggregates(aggregates: readonly UnicornAggregate[]): UniqueAggregates {
  const byPart = new Map<string, UnicornAggregate>();
  const result: UniqueAggregates = { unique: [], repeats: 0, conflicts: [] };
  for (const a of aggregates) {
    const key = `${windowKey(a)}\u0000${a.Part ?? ''}`;
    const earlier = byPart.get(key);
    if (!earlier) byPart.set(key, a);
    else if (sameAggregate(earlier, a)) result.repeats++;
    else result.conflicts.push([earlier, a]);
  }
  result.unique = [...byPart.values()].sort((a, b) => (a.StatusTime < b.StatusTime ? -1 : 1));
  return result;
}

/** One aggregate per window: its distinct parts merged (what module 4 keeps in the table). */
export function windowAggregates(aggregates: readonly UnicornAggregate[]): UnicornAggregate[] {
  const byWindow = new Map<string, UnicornAggregate>();
  for (const a of uniqueAggregates(aggregates).unique) {
    const { Part: _, ...whole } = a;
    const earlier = byWindow.get(windowKey(a));
    byWindow.set(windowKey(a), earlier ? mergeAggregates(earlier, whole) : whole);
  }
  return [...byWindow.values()];
}

/** How the aggregated records of a unicorn compare with its raw telemetry. */
export type Conservation =
  | { verdict: 'conserved'; raw: Totals; aggregated: Totals }
  /** Less distance aggregated than sent: a window still open, or records lost. */
  | { verdict: 'missing'; raw: Totals; aggregated: Totals }
  /** More distance aggregated than sent: records counted twice. */
  | { verdict: 'excess'; raw: Totals; aggregated: Totals }
  /** The distance adds up but a min or max does not. */
  | { verdict: 'extremes'; raw: Totals; aggregated: Totals; field: keyof Totals };

/**
 * The backbone of the check (contracts/README.md): for one unicorn, the sum of the aggregated
 * `Distance` equals the sum of the raw `Distance`, and min/max agree, whatever the windows.
 */
export function compareConservation(
  raw: readonly UnicornStatus[],
  aggregates: readonly UnicornAggregate[],
): Conservation {
  const r = totalsOfStatuses(raw);
  const a = totalsOfAggregates(aggregates);
  if (a.Distance < r.Distance) return { verdict: 'missing', raw: r, aggregated: a };
  if (a.Distance > r.Distance) return { verdict: 'excess', raw: r, aggregated: a };
  const fields = ['MinMagicPoints', 'MaxMagicPoints', 'MinHealthPoints', 'MaxHealthPoints'] as const;
  const field = fields.find((f) => a[f] !== r[f]);
  return field
    ? { verdict: 'extremes', raw: r, aggregated: a, field }
    : { verdict: 'conserved', raw: r, aggregated: a };
}

/**
 * The raw records the aggregates must account for: those that arrived from the first aggregated
 * window on. Windows before it were processed by an earlier handler (the starter, say), and
 * Lambda does not process them again when the code changes.
 */
export function rawSince(
  raw: readonly StatusRecord[],
  aggregates: readonly UnicornAggregate[],
): UnicornStatus[] {
  const first = aggregates
    .map((a) => parseStatusTime(a.StatusTime)?.getTime() ?? Number.POSITIVE_INFINITY)
    .reduce((min, t) => Math.min(min, t), Number.POSITIVE_INFINITY);
  return validValues(raw.filter((r) => r.record.arrival.getTime() >= first));
}

/** A window start later than every raw record cannot be a window start (the end? local time?). */
export function misplacedWindows(
  raw: readonly StatusRecord[],
  aggregates: readonly UnicornAggregate[],
): string[] {
  const last = raw.reduce((max, r) => Math.max(max, r.record.arrival.getTime()), Number.NEGATIVE_INFINITY);
  return aggregates
    .filter((a) => (parseStatusTime(a.StatusTime)?.getTime() ?? 0) > last)
    .map((a) => a.StatusTime);
}

const metres = (n: number) => `${n.toLocaleString('en-US')} m`;

/** What the module 3 steps share. */
export interface Module3Context {
  target: TargetConfig;
  kinesis: KinesisClient;
  name: string;
  waitSeconds: number;
  raw: StatusRecord[];
  aggregated: AggregateRecord[];
}

const readMine = async (ctx: Module3Context) => {
  ctx.raw = (await readStatuses(ctx.kinesis, names.rawStream)).filter((r) => r.name === ctx.name);
  ctx.aggregated = (await readAggregates(ctx.kinesis, names.aggregatedStream)).filter(
    (r) => r.name === ctx.name,
  );
};

const steps: CheckStep<Module3Context>[] = [
  {
    title: `your unicorn's telemetry is on '${names.rawStream}'`,
    run: async (ctx) => {
      if (!(await awaitActiveStream(ctx.kinesis, names.rawStream, ctx.waitSeconds))) {
        return fail(
          `there is no stream '${names.rawStream}' in ${ctx.target.describe}: module 2 is not deployed`,
          `catch up: \`${command(ctx.target, 'npm run catchup -- 2')}\`, then \`${producerCommand(ctx.name)}\``,
        );
      }
      ctx.raw = (await readStatuses(ctx.kinesis, names.rawStream)).filter((r) => r.name === ctx.name);
      if (ctx.raw.length === 0) {
        return fail(
          `'${names.rawStream}' holds no records from ${ctx.name}`,
          `send some: \`${producerCommand(ctx.name)}\``,
        );
      }
      return pass(`${ctx.raw.length} records from ${ctx.name}`);
    },
  },
  {
    title: `the stream '${names.aggregatedStream}' exists and is active`,
    run: async (ctx) => {
      const stream = await awaitActiveStream(ctx.kinesis, names.aggregatedStream, ctx.waitSeconds);
      if (!stream) {
        return fail(
          `there is no stream '${names.aggregatedStream}' in ${ctx.target.describe}`,
          `deploy module 3: \`${command(ctx.target, 'npm run deploy -- 3')}\``,
        );
      }
      return stream.status === 'ACTIVE'
        ? pass()
        : fail(`the stream '${names.aggregatedStream}' is ${stream.status}`);
    },
  },
  {
    title: `aggregated records of your unicorn are on '${names.aggregatedStream}'`,
    run: async (ctx) => {
      // The first record appears only when the first window closes: wait for it.
      const verdict = await waitUntil(
        async () => {
          await readMine(ctx);
          return ctx.aggregated.length > 0
            ? { done: true, value: ctx.aggregated.length }
            : {
                done: false,
                waitingFor: `the first window to close and ${ctx.name}'s record to appear`,
                value: 0,
              };
        },
        { seconds: ctx.waitSeconds },
      );
      if (verdict.done) return pass(plural(verdict.value, 'record'));
      return fail(
        `no aggregated record of ${ctx.name} on '${names.aggregatedStream}' after ${ctx.waitSeconds} s: the function '${names.aggregateFunction}' has put nothing there (see its logs)`,
      );
    },
  },
  {
    title: 'every aggregated record has the aggregated schema',
    run: async (ctx) => {
      const bad = ctx.aggregated.filter((r) => !r.parsed.ok);
      const [first] = bad;
      if (!first || first.parsed.ok) return pass(`${ctx.aggregated.length} records checked`);
      return fail(
        `${bad.length} of ${ctx.aggregated.length} aggregated records of ${ctx.name} do not follow the schema; the first (sequence number ${first.record.sequenceNumber}): ${first.parsed.problems.join('; ')}`,
        'emit exactly the fields of `UnicornAggregate` (contracts/telemetry.ts), `StatusTime` = the window start (`event.window.start`) as `YYYY-MM-DD HH:mm:ss.SSS` in UTC',
      );
    },
  },
  {
    title: 'one aggregated record per window (per part of a window Lambda ended early)',
    run: async (ctx) => {
      const { unique, repeats, conflicts } = uniqueAggregates(validValues(ctx.aggregated));
      const [conflict] = conflicts;
      if (conflict) {
        return fail(
          `window ${conflict[0].StatusTime}${conflict[0].Part ? ` (part ${conflict[0].Part})` : ''} has ${conflicts.length + 1} different records for ${ctx.name} (Distance ${conflict[0].Distance} and ${conflict[1].Distance})`,
          'put the records only on the final invocation of the window (`event.isFinalInvokeForWindow`), once per unicorn; the invocations before it only return the state',
        );
      }
      const misplaced = misplacedWindows(ctx.raw, unique);
      if (misplaced.length > 0) {
        return fail(
          `the window ${misplaced[0]} starts after ${ctx.name}'s last record: \`StatusTime\` must be the window start`,
          'use `event.window.start`, formatted in UTC with `formatStatusTime` (contracts/telemetry.ts)',
        );
      }
      const windows = windowAggregates(unique).length;
      const parts =
        unique.length > windows ? ` in ${plural(unique.length, 'part')} (windows Lambda ended early)` : '';
      return pass(
        `${plural(windows, 'window')}${parts}${repeats ? ` (${plural(repeats, 'record')} delivered twice by a retry: harmless)` : ''}`,
      );
    },
  },
  {
    title: 'the aggregates add up to the raw telemetry (distance, min and max points)',
    run: async (ctx) => {
      const compare = () => {
        const { unique } = uniqueAggregates(validValues(ctx.aggregated));
        return compareConservation(rawSince(ctx.raw, unique), unique);
      };
      // Records of a window still open are in the raw sum and not yet aggregated: wait for it.
      const verdict = await waitUntil<Conservation>(
        async () => {
          await readMine(ctx);
          const c = compare();
          return c.verdict === 'missing'
            ? {
                done: false,
                waitingFor: `open windows to close: ${metres(c.raw.Distance - c.aggregated.Distance)} not aggregated yet`,
                value: c,
              }
            : { done: true, value: c };
        },
        { seconds: ctx.waitSeconds },
      );
      const c = verdict.value;
      switch (c.verdict) {
        case 'conserved':
          return pass(
            `${metres(c.raw.Distance)} in ${plural(c.raw.records, 'record')} = ${plural(c.aggregated.records, 'window')}`,
          );
        case 'missing':
          return fail(
            `${ctx.name} covered ${metres(c.raw.Distance)} but the aggregates add up to ${metres(c.aggregated.Distance)}: ${metres(c.raw.Distance - c.aggregated.Distance)} are missing after waiting ${ctx.waitSeconds} s (if the producer is still running, stop it, wait one window and check again)`,
            'fold every record of every invocation into the state and return it: Lambda hands it to the next invocation of the window',
          );
        case 'excess':
          return fail(
            `${ctx.name} covered ${metres(c.raw.Distance)} but the aggregates add up to ${metres(c.aggregated.Distance)}: some distance is counted twice`,
            'start each window from the state Lambda passes in (`event.state`), never from a variable kept between invocations, and put records only on the final invocation',
          );
        case 'extremes':
          return fail(
            `${c.field} over all windows is ${c.aggregated[c.field]} but the raw telemetry says ${c.raw[c.field]}`,
            'keep the minimum and maximum of MagicPoints and HealthPoints per unicorn in the state, across invocations',
          );
      }
    },
  },
];

/** Module 3: the aggregated stream carries one record per unicorn per window, conserving the telemetry. */
export const check: ModuleCheck<Module3Context> = {
  context: (target: TargetConfig, args: CheckArgs): Module3Context => ({
    target,
    kinesis: new KinesisClient(target.clientConfig),
    name: args.name,
    waitSeconds: args.waitSeconds,
    raw: [],
    aggregated: [],
  }),
  steps,
};
