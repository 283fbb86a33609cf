/** What the producer tells the attendee: the start line, the live status, the final summary. */
import type { ProducerConfig } from './options.ts';
import type { SendStats } from './sender.ts';
import { type Overload, SHARD_RECORDS_PER_SECOND } from './shard-load.ts';

const n = (x: number) => x.toLocaleString('en-US');
const plural = (count: number, word: string) => `${n(count)} ${word}${count === 1 ? '' : 's'}`;
const list = (names: readonly string[]) =>
  names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${n(names.length - 5)} more`;

/** `Shadowfax, Rocinante → stream 'wildrydes' at …, 1 record/s each, until Ctrl-C (tiring: Rocinante)`. */
export function startLine(config: ProducerConfig, where: string, tired: readonly string[]): string {
  const until = Number.isFinite(config.ticks) ? `${plural(config.ticks, 'record')} each` : 'until Ctrl-C';
  return (
    `riding ${list(config.names)} → stream '${config.stream}' at ${where}, ` +
    `${config.rate} record${config.rate === 1 ? '' : 's'}/s each, ${until} (tiring: ${list(tired) || 'none'})`
  );
}

/** The live status line: counts and the send rate so far. */
export function statusLine(stats: SendStats, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (stats.sent * 1000) / elapsedMs : 0;
  const throttled = stats.throttled > 0 ? `, throttled ${n(stats.throttled)}` : '';
  return `sent ${plural(stats.sent, 'record')} (${rate.toFixed(1)}/s), retried ${n(stats.retried)}, failed ${n(stats.failed)}, waiting ${n(stats.pending)}${throttled}`;
}

/**
 * What throttling means, when there was any: the stream's shards refused writes over their
 * limits (1,000 records/s or 1 MiB/s each, on AWS as on the local cloud), and the way past it.
 */
export function throttlingClause(stats: Pick<SendStats, 'throttled' | 'throttledShards'>): string {
  if (stats.throttled === 0) return '';
  const shards = stats.throttledShards.length;
  const by = shards > 0 ? ` by ${plural(shards, 'shard')}` : '';
  return (
    `; throttled ${n(stats.throttled)} times${by} (ProvisionedThroughputExceededException: ` +
    'over 1,000 records/s or 1 MiB/s per shard): send slower, or give the stream more shards'
  );
}

/**
 * The warning before a run whose busiest shard would get more than a shard takes: it is throttled
 * for as long as the run lasts, whatever the stream holds in total.
 */
export function overloadLine(o: Overload, rate: number): string {
  const of = o.shards === 1 ? 'the stream’s one shard gets' : `the busiest of ${n(o.shards)} shards gets`;
  const others = o.over > 1 ? ` (${n(o.over)} shards are over)` : '';
  const fix =
    o.carry === undefined
      ? 'send slower (--rate)'
      : `${plural(o.carry, 'shard')} would carry this fleet (README, “Shards”), or send slower (--rate)`;
  return (
    `warning: at ${rate} record${rate === 1 ? '' : 's'}/s per unicorn, ${of} ${n(Math.round(o.busiest))} records/s${others}, ` +
    `over the ${n(SHARD_RECORDS_PER_SECOND)} a shard takes: expect it throttled for as long as this runs; ${fix}`
  );
}

/** The final line of a run: what was sent, retried, failed (and why), and what was not sent. */
export function summaryLine(
  stats: SendStats,
  opts: { stream: string; elapsedMs: number; unicorns: number; interrupted: boolean },
): string {
  const head = opts.interrupted ? 'stopped by Ctrl-C: ' : '';
  const failed =
    stats.failed > 0
      ? `failed ${n(stats.failed)} (gave up: ${stats.lastFailure ?? 'unknown error'})`
      : 'failed 0';
  const unsent = stats.pending > 0 ? `, not sent ${n(stats.pending)}` : '';
  return (
    `${head}sent ${plural(stats.sent, 'record')} for ${plural(opts.unicorns, 'unicorn')} to stream '${opts.stream}' ` +
    `in ${(opts.elapsedMs / 1000).toFixed(1)} s; retried ${n(stats.retried)}, ${failed}${unsent}${throttlingClause(stats)}`
  );
}

/** The final line of a dry run. */
export function dryRunLine(records: number, unicorns: number, interrupted: boolean): string {
  return `${interrupted ? 'stopped by Ctrl-C: ' : ''}dry run: printed ${plural(records, 'record')} for ${plural(unicorns, 'unicorn')}, sent nothing`;
}
