import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isAggregate, type UnicornAggregate } from '../../contracts/telemetry.ts';
import { WINDOWS_PER_UNICORN } from '../model.ts';
import type { SourceState } from '../protocol.ts';
import { classify } from './classify.ts';

/** What one round of queries gave. */
export interface TableRead {
  state: SourceState;
  reason?: string;
  rows: UnicornAggregate[];
}

/** Unicorns queried per poll: at 1,000 unicorns the table is read in turns, not all every second. */
const QUERIES_PER_POLL = 40;
const PARALLEL = 8;

/**
 * Reads the newest windows of each unicorn from the table, one DynamoDB Query per unicorn (the
 * partition key is the name): the read module 4 teaches, and no Scan of a growing table.
 */
export class TableReader {
  readonly #doc: DynamoDBDocumentClient;
  #turn = 0;

  constructor(
    dynamodb: DynamoDBClient,
    readonly table: string,
    private readonly where: { endpoint?: string; region?: string },
  ) {
    this.#doc = DynamoDBDocumentClient.from(dynamodb);
  }

  /**
   * Queries `first` (e.g. the unicorns that just moved, fewest first) and then the others in
   * turns, at most QUERIES_PER_POLL in all. Never throws: a failure is a state.
   */
  async poll(names: readonly string[], first: readonly string[] = []): Promise<TableRead> {
    const chosen = pickNames(names, first, this.#turn, QUERIES_PER_POLL);
    this.#turn = (this.#turn + QUERIES_PER_POLL) % Math.max(names.length, 1);
    const rows: UnicornAggregate[] = [];
    try {
      if (chosen.length === 0) {
        // Nothing to query yet, but say whether the table is there: one Query of a name no unicorn has.
        await this.#query('\u0000');
        return { state: 'empty', rows };
      }
      for (let i = 0; i < chosen.length; i += PARALLEL) {
        const results = await Promise.all(chosen.slice(i, i + PARALLEL).map((name) => this.#query(name)));
        for (const items of results) rows.push(...items);
      }
      return { state: rows.length > 0 ? 'ok' : 'empty', rows };
    } catch (err) {
      const { state, reason } = classify(err, this.where);
      return { state, reason, rows: [] };
    }
  }

  async #query(name: string): Promise<UnicornAggregate[]> {
    const { Items = [] } = await this.#doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#n = :n',
        ExpressionAttributeNames: { '#n': 'Name' },
        ExpressionAttributeValues: { ':n': name },
        ScanIndexForward: false,
        Limit: WINDOWS_PER_UNICORN,
      }),
    );
    // An attendee's half-finished handler may write other shapes: show only what module 4 promises.
    return Items.filter(isAggregate).map((item) => ({
      Name: item.Name,
      StatusTime: item.StatusTime,
      Distance: item.Distance,
      MinMagicPoints: item.MinMagicPoints,
      MaxMagicPoints: item.MaxMagicPoints,
      MinHealthPoints: item.MinHealthPoints,
      MaxHealthPoints: item.MaxHealthPoints,
    }));
  }
}

/** `first`, then the others from position `turn` on, wrapping, `limit` in all, no name twice. */
export function pickNames(
  names: readonly string[],
  first: readonly string[],
  turn: number,
  limit: number,
): string[] {
  const chosen = new Set<string>();
  for (const name of first) {
    if (chosen.size >= limit) break;
    chosen.add(name);
  }
  for (let i = 0; i < names.length && chosen.size < limit; i++) {
    chosen.add(names[(turn + i) % names.length] as string);
  }
  return [...chosen];
}
