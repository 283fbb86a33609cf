import { DescribeTableCommand, DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { aggregateProblems, isAggregate, type UnicornAggregate } from '../contracts/telemetry.ts';
import type { TargetConfig } from '../core/target.ts';
import { compareConservation, uniqueAggregates, windowAggregates } from './module3.ts';
import { names } from './names.ts';
import { type CheckArgs, type CheckStep, type Drive, fail, type ModuleCheck, pass } from './report.ts';
import {
  command,
  plural,
  readAggregates,
  readStatuses,
  scanTable,
  validValues,
  waitUntil,
} from './streams.ts';

/** What is wrong with the table's key schema (empty when it is `Name` (S) + `StatusTime` (S)). */
export function keySchemaProblems(table: TableDescription): string[] {
  const typeOf = (name: string) =>
    table.AttributeDefinitions?.find((d) => d.AttributeName === name)?.AttributeType;
  const keyOf = (role: 'HASH' | 'RANGE') => table.KeySchema?.find((k) => k.KeyType === role)?.AttributeName;
  const problems: string[] = [];
  for (const [role, name] of [
    ['HASH', 'Name'],
    ['RANGE', 'StatusTime'],
  ] as const) {
    const actual = keyOf(role);
    const label = role === 'HASH' ? 'partition key' : 'sort key';
    if (actual !== name)
      problems.push(`the ${label} is ${actual ? `'${actual}'` : 'missing'}, not '${name}'`);
    else if (typeOf(name) !== 'S')
      problems.push(`the ${label} '${name}' has type ${typeOf(name)}, not S (string)`);
  }
  return problems;
}

/** An item that does not follow the aggregated schema, and why. */
export interface ItemFinding {
  key: string;
  problems: string[];
}

/** Items of the table that are not well-formed aggregated records (wrong type, missing field, min > max). */
export function itemFindings(items: readonly Record<string, unknown>[]): ItemFinding[] {
  return items.flatMap((item) => {
    const problems = aggregateProblems(item);
    return problems.length ? [{ key: `${String(item.Name)} / ${String(item.StatusTime)}`, problems }] : [];
  });
}

/** How the items of one unicorn compare with its aggregated records. */
export interface ItemComparison {
  matched: number;
  /** Aggregated records with no item. */
  missing: UnicornAggregate[];
  /** Items whose values differ from their record (e.g. added to instead of put: double counted). */
  different: { expected: UnicornAggregate; item: UnicornAggregate }[];
  /** Items with no aggregated record (a changed key, or a record invented). */
  unexpected: UnicornAggregate[];
  /** Records and items left out of the comparison, because the other side cannot have them. */
  ignored: { records: number; items: number };
}

const FIELDS = [
  'Distance',
  'MinMagicPoints',
  'MaxMagicPoints',
  'MinHealthPoints',
  'MaxHealthPoints',
] as const;

/**
 * Compares the items of one unicorn with its aggregated records, window by window (the parts of
 * a window Lambda ended early merged, each part once). Only the
 * span both sides cover is compared: records from before the first item were read by an earlier
 * handler (Lambda does not read them again when the code changes), and items from before the
 * first record outlived the stream's 24-hour retention.
 */
export function compareItems(
  records: readonly UnicornAggregate[],
  items: readonly UnicornAggregate[],
): ItemComparison {
  const unique = windowAggregates(records);
  const earliest = (xs: readonly UnicornAggregate[]) => xs.map((x) => x.StatusTime).sort()[0] ?? '\uffff';
  const from = [earliest(unique), earliest(items)].sort().at(-1) ?? '';
  const inSpan = (x: UnicornAggregate) => x.StatusTime >= from;
  const itemsByTime = new Map(items.filter(inSpan).map((i) => [i.StatusTime, i]));
  const result: ItemComparison = {
    matched: 0,
    missing: [],
    different: [],
    unexpected: [],
    ignored: {
      records: unique.filter((r) => !inSpan(r)).length,
      items: items.filter((i) => !inSpan(i)).length,
    },
  };
  for (const expected of unique.filter(inSpan)) {
    const item = itemsByTime.get(expected.StatusTime);
    itemsByTime.delete(expected.StatusTime);
    if (!item) result.missing.push(expected);
    else if (FIELDS.some((f) => item[f] !== expected[f])) result.different.push({ expected, item });
    else result.matched++;
  }
  result.unexpected = [...itemsByTime.values()];
  return result;
}

/** What the module 4 steps share. */
export interface Module4Context {
  target: TargetConfig;
  dynamodb: DynamoDBClient;
  kinesis: KinesisClient;
  name: string;
  waitSeconds: number;
  records: UnicornAggregate[];
  items: Record<string, unknown>[];
  /** `--drive`: the check sent a ride of `name` itself, and waits for all its windows to close. */
  drive?: Drive;
}

/**
 * The aggregated records of `ctx.name`. Driven with a raw ride, wait until its windows have
 * closed, i.e. the aggregates add up to the whole ride (module 3 must work for that); driven with
 * aggregated records sent straight to the stream, they are there already.
 */
async function readRecords(ctx: Module4Context): Promise<UnicornAggregate[]> {
  const read = async () =>
    validValues(
      (await readAggregates(ctx.kinesis, names.aggregatedStream)).filter((r) => r.name === ctx.name),
    );
  if (!ctx.drive || ctx.drive.aggregated) return read();
  const raw = validValues(
    (await readStatuses(ctx.kinesis, names.rawStream)).filter((r) => r.name === ctx.name),
  );
  const verdict = await waitUntil(
    async () => {
      const records = await read();
      const closed = compareConservation(raw, uniqueAggregates(records).unique).verdict !== 'missing';
      return closed
        ? { done: true, value: records }
        : { done: false, waitingFor: `the windows of ${ctx.name}'s ride to close`, value: records };
    },
    { seconds: ctx.waitSeconds },
  );
  return verdict.value;
}

const isMissing = (err: unknown) => (err as Error)?.name === 'ResourceNotFoundException';

const steps: CheckStep<Module4Context>[] = [
  {
    title: `the table '${names.table}' exists with keys Name and StatusTime`,
    run: async (ctx) => {
      const verdict = await waitUntil(
        async () => {
          try {
            const { Table } = await ctx.dynamodb.send(new DescribeTableCommand({ TableName: names.table }));
            return Table?.TableStatus === 'CREATING'
              ? { done: false, waitingFor: `table '${names.table}' (CREATING)`, value: Table }
              : { done: true, value: Table };
          } catch (err) {
            if (isMissing(err)) return { done: true, value: undefined };
            throw err;
          }
        },
        { seconds: ctx.waitSeconds, intervalMs: 1_000 },
      );
      const table = verdict.value;
      if (!table) {
        return ctx.target.target === 'aws'
          ? fail(
              `there is no table '${names.table}' in ${ctx.target.describe}`,
              `if you deployed to another region, pass it: \`${command(ctx.target, 'npm run check:module4')} --region REGION\` (or set AWS_REGION); otherwise deploy module 4: \`${command(ctx.target, 'npm run deploy -- 4')}\``,
            )
          : fail(
              `there is no table '${names.table}' in ${ctx.target.describe}`,
              `deploy module 4: \`npm run deploy -- 4\` (or catch up: \`npm run catchup -- 4\`)`,
            );
      }
      const problems = keySchemaProblems(table);
      if (problems.length > 0) {
        return fail(
          `the table '${names.table}' has the wrong keys: ${problems.join('; ')}`,
          `the table comes from modules/04-stream-processing/stack.ts: redeploy it with \`${command(ctx.target, 'npm run deploy -- 4')}\``,
        );
      }
      return pass(table.TableStatus === 'ACTIVE' ? undefined : table.TableStatus);
    },
  },
  {
    title: `aggregated records of your unicorn are on '${names.aggregatedStream}'`,
    run: async (ctx) => {
      try {
        ctx.records = await readRecords(ctx);
      } catch (err) {
        if (!isMissing(err)) throw err;
        return fail(
          `there is no stream '${names.aggregatedStream}' in ${ctx.target.describe}: module 3 is not deployed`,
          `catch up: \`${command(ctx.target, 'npm run catchup -- 3')}\``,
        );
      }
      if (ctx.records.length === 0) {
        return fail(
          `'${names.aggregatedStream}' holds no aggregated record of ${ctx.name}`,
          `module 3 must work first: \`${command(ctx.target, 'npm run check:module3')}\` (or \`${command(ctx.target, 'npm run catchup -- 3')}\`)`,
        );
      }
      return pass(`${windowAggregates(ctx.records).length} windows`);
    },
  },
  {
    title: 'the table holds items of your unicorn',
    run: async (ctx) => {
      // The processing function follows the stream within seconds; give it a moment.
      const verdict = await waitUntil(
        async () => {
          ctx.items = await scanTable(ctx.dynamodb, names.table);
          const mine = ctx.items.filter((i) => i.Name === ctx.name).length;
          return mine > 0
            ? { done: true, value: mine }
            : { done: false, waitingFor: `the first item of ${ctx.name} in '${names.table}'`, value: mine };
        },
        { seconds: Math.min(ctx.waitSeconds, 30) },
      );
      if (verdict.done) return pass(`${verdict.value} items (of ${ctx.items.length} in all)`);
      if (ctx.items.length === 0) {
        return fail(
          `the table '${names.table}' is empty: the function '${names.persistFunction}' has written nothing (see its logs)`,
        );
      }
      const others = [...new Set(ctx.items.map((i) => String(i.Name)))].slice(0, 5);
      return fail(
        `the table holds ${ctx.items.length} items (of ${others.join(', ')}), none of ${ctx.name}`,
        `check the unicorn you sent telemetry for: \`npm run check:module4 -- --name ${others[0] ?? 'NAME'}\``,
      );
    },
  },
  {
    title: 'every item of your unicorn has the aggregated schema',
    run: async (ctx) => {
      const mine = ctx.items.filter((i) => i.Name === ctx.name);
      const findings = itemFindings(mine);
      const [first] = findings;
      if (!first) return pass(`${mine.length} items: string keys, integer distance and points, min ≤ max`);
      return fail(
        `${findings.length} of ${mine.length} items of ${ctx.name} are malformed; the first (${first.key}): ${first.problems.join('; ')}`,
        'put each aggregated record as it is: numbers as numbers (N), with the same field names',
      );
    },
  },
  {
    title: 'every aggregated record is in the table once, with the same values',
    run: async (ctx) => {
      // Records the function has not reached yet are missing for a moment: wait for them.
      const verdict = await waitUntil<ItemComparison>(
        async () => {
          const mine = (await scanTable(ctx.dynamodb, names.table)).filter((i) => i.Name === ctx.name);
          const comparison = compareItems(
            ctx.records,
            mine.flatMap((i) => (isAggregate(i) ? [i] : [])),
          );
          return comparison.missing.length > 0
            ? {
                done: false,
                waitingFor: `${comparison.missing.length} windows still to be written`,
                value: comparison,
              }
            : { done: true, value: comparison };
        },
        { seconds: Math.min(ctx.waitSeconds, 30) },
      );
      const c = verdict.value;
      const [different] = c.different;
      if (different) {
        const twice = different.item.Distance === 2 * different.expected.Distance;
        return fail(
          `${plural(c.different.length, 'item')} differ from their aggregated record; window ${different.expected.StatusTime} has Distance ${different.item.Distance}, the record ${different.expected.Distance}${twice ? ' (counted twice)' : ''}`,
          'merge each part into its item once (`mergeParts`: a part the item lists in `Parts` is skipped), and write the merged item as a put',
        );
      }
      const [missing] = c.missing;
      if (missing) {
        return fail(
          `${c.missing.length} of ${c.missing.length + c.matched} windows of ${ctx.name} are not in the table (the first: ${missing.StatusTime})`,
          'send the `UnprocessedItems` of each BatchWriteItem again (with backoff), and report the records you could not write in `batchItemFailures`',
        );
      }
      const [unexpected] = c.unexpected;
      if (unexpected) {
        return fail(
          `${plural(c.unexpected.length, 'item')} of ${ctx.name} match no aggregated record (the first: ${unexpected.StatusTime})`,
          'keep `Name` and `StatusTime` of the record as they are: they are the key',
        );
      }
      const ignored = c.ignored.records + c.ignored.items;
      return pass(
        `${c.matched} windows, none missing, none counted twice${ignored ? ` (${ignored} outside the span both cover)` : ''}`,
      );
    },
  },
];

/** Module 4: `UnicornSensorData` holds every aggregated record of the unicorn, once. */
export const check: ModuleCheck<Module4Context> = {
  context: (target: TargetConfig, args: CheckArgs): Module4Context => ({
    target,
    dynamodb: new DynamoDBClient(target.clientConfig),
    kinesis: new KinesisClient(target.clientConfig),
    name: args.name,
    waitSeconds: args.waitSeconds,
    records: [],
    items: [],
    drive: args.drive,
  }),
  steps,
};
