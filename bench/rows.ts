import { SHARD_WRITE_LIMITS } from '../core/kinesis-limits.ts';
import type { CheckTime } from './check-time.ts';
import type { EndToEndRun } from './end-to-end.ts';
import type { PathThroughput } from './rounds.ts';
import type { StartupTimes } from './startup.ts';
import { count, overhead, percentile, range } from './stats.ts';
import { type Row, verdict } from './table.ts';

/** Issue 7's targets. */
export const TARGETS = {
  gatewayOverhead: 0.25,
  latencyP50Ms: 300,
  /** Issue 13: 10,000 unicorns at 1 Hz on 10 shards, sent at 9,500 records/s or more… */
  endToEndRecordsPerSecond: 9_500,
  /** …and every window in the table within 5 s of its end. */
  endToEndLagSeconds: 5,
  /** AWS's write limit of a shard, in records a second. */
  shardRecordsPerSecond: SHARD_WRITE_LIMITS.recordsPerSecond,
} as const;

const percent = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x * 100)}%`;
const seconds = (s: number) => `${s.toFixed(1)} s`;

/**
 * One row per path with its throughput and CPU cost, then the overhead of the gateway path the
 * SDK uses by default (`judged`) over the first path (straight to the emulator): judged on
 * wall-clock throughput against the ≤25% target, with the CPU cost per item beside it, which
 * other processes on a shared machine disturb far less.
 */
export function gatewayRows(
  call: string,
  unit: string,
  results: readonly PathThroughput[],
  judged: string,
): Row[] {
  const direct = results[0];
  const gateway = results.find((r) => r.path === judged);
  const single = unit.replace(/s$/, '');
  const rows = results.map((r) => ({
    figure: `${call}, ${r.path}`,
    value: `${count(r.perSecond.median)} ${unit}/s${range(r.perSecond)}; ${count(r.cpuMicrosPerItem.median)} µs CPU/${single}`,
    target: '',
    met: '',
  }));
  if (!direct || !gateway) return rows;
  const extra = overhead(gateway.perSecond.median, direct.perSecond.median);
  const extraCpu = gateway.cpuMicrosPerItem.median / direct.cpuMicrosPerItem.median - 1;
  return [
    ...rows,
    {
      figure: `gateway overhead, ${call} (${judged})`,
      value: `${percent(extra)} time per ${single}, ${percent(extraCpu)} CPU per ${single} (medians)`,
      target: `≤ ${percent(TARGETS.gatewayOverhead)}`,
      met: verdict(extra <= TARGETS.gatewayOverhead),
    },
  ];
}

/** p50/p99 of a latency sample, judged against the p50 target when `judged`. */
export function latencyRow(figure: string, latenciesMs: readonly number[], judged: boolean): Row {
  const p50 = percentile(latenciesMs, 50);
  return {
    figure,
    value: `p50 ${count(p50)} ms, p99 ${count(percentile(latenciesMs, 99))} ms (${latenciesMs.length} records)`,
    target: judged ? `p50 ≤ ${TARGETS.latencyP50Ms} ms` : '',
    met: judged ? verdict(p50 <= TARGETS.latencyP50Ms) : '',
  };
}

/** `CPU per 1,000 raw records: local cloud 0.38 s, wildrydes-persist 0.15 s, …`, the largest first. */
export function cpuPerThousand(cpu: ReadonlyMap<string, number>, records: number): string {
  const parts = [...cpu]
    .filter(([, used]) => used > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([part, used]) => `${part} ${((used * 1000) / records).toFixed(2)} s`);
  return `CPU per 1,000 raw records: ${parts.join(', ')}`;
}

/**
 * An end-to-end run. The ≥10,000 records/s target is judged only on a run that offers that
 * much (10,000 unicorns at 1 Hz); a smaller run is judged on keeping up with what it offers.
 */
export function endToEndRow(run: EndToEndRun): Row {
  const offered = run.unicorns; // one record per unicorn per second
  const capacity = run.shards * TARGETS.shardRecordsPerSecond;
  const overLimit = offered > capacity;
  const judged = offered >= TARGETS.endToEndRecordsPerSecond && !overLimit;
  const sentPerSecond = run.records / run.producerSeconds;
  // Keeping up is every window in the table within the target lag, not just draining before the deadline.
  const lagMet = run.lagSeconds <= TARGETS.endToEndLagSeconds;
  const lastWindow = `the last window aggregated ${seconds(run.aggregationLagSeconds)} and in the table ${seconds(run.lagSeconds)} after it ended`;
  const state = !run.keptUp
    ? `fell behind: ${Math.round(run.aggregatedShare * 100)}% aggregated ${seconds(run.lagSeconds)} after the last window ended`
    : lagMet
      ? `kept up: ${lastWindow}`
      : `behind, caught up late: ${lastWindow}`;
  const throttled = run.throttled > 0 ? `; the producer was throttled ${count(run.throttled)} times` : '';
  const hot = run.overload
    ? `; names hash unevenly: the busiest shard gets ${count(run.overload.busiest)} records/s, over the ${count(TARGETS.shardRecordsPerSecond)} a shard takes, on AWS too${run.overload.carry ? ` (${run.overload.carry} shards would carry it)` : ''}`
    : '';
  const split = run.aggregatedRecords - run.aggregatedKeys;
  const early =
    split > 0
      ? `; windows ended early (state over 1 MB): ${count(run.aggregatedRecords)} parts for ${count(run.aggregatedKeys)} table keys, merged by module 4`
      : '';
  const table =
    run.tableConserved === undefined
      ? ''
      : run.tableConserved
        ? '; the table conserves the raw records (per unicorn: Distance, min/max points)'
        : `; the table does NOT conserve the raw records (${(run.conservationMisses ?? []).join('; ')})`;
  const twice = run.duplicates
    ? `; the stream holds ${count(run.duplicates)} records twice (the producer sent a call again that Kinesis had stored)`
    : '';
  const cpu = run.cpu ? `; ${cpuPerThousand(run.cpu, run.records)}` : '';
  return {
    figure: `end to end, ${count(run.unicorns)} unicorns at 1 Hz for ${run.seconds} s on ${run.shards} shard${run.shards === 1 ? '' : 's'}`,
    value: `${count(run.recordsPerSecond)} raw records/s (${count(run.records)} sent in ${seconds(run.producerSeconds)}, ${count(sentPerSecond)}/s); ${state}${throttled}${hot}${early}${table}${twice}${cpu}`,
    target: judged
      ? `≥ ${count(TARGETS.endToEndRecordsPerSecond)} records/s sent, in the table ≤ ${TARGETS.endToEndLagSeconds} s after each window`
      : overLimit
        ? `over the shards' limit (${count(capacity)} records/s): throttled, as on AWS`
        : `keeps up with ${count(offered)}/s`,
    met: judged
      ? verdict(
          run.keptUp &&
            sentPerSecond >= TARGETS.endToEndRecordsPerSecond &&
            lagMet &&
            run.tableConserved !== false,
        )
      : overLimit
        ? ''
        : verdict(run.keptUp && lagMet),
  };
}

/** Issue 12's targets: a save live within a second, `npm start` ready in 5 s warm and 20 s cold. */
export const LOOP_TARGETS = { swapP50Seconds: 1, warmStartSeconds: 5, coldStartSeconds: 20 } as const;

/**
 * Save → new code live over several saves: p50 judged against the 1-s target; beside it, the
 * p50 of what `npm start` logged (the swap alone, before the new process has started).
 */
export function swapRow(seconds: readonly number[], logged: readonly number[] = []): Row {
  const p50 = percentile(seconds, 50);
  const swap = logged.length ? `; the swap alone (as logged) p50 ${percentile(logged, 50).toFixed(1)} s` : '';
  return {
    figure: 'save → new code live (npm start, hot swap)',
    value: `p50 ${p50.toFixed(2)} s, p99 ${percentile(seconds, 99).toFixed(2)} s (${seconds.length} saves)${swap}`,
    target: `p50 ≤ ${LOOP_TARGETS.swapP50Seconds} s`,
    met: verdict(p50 <= LOOP_TARGETS.swapP50Seconds),
  };
}

/** `npm start`'s time to ready, and where it went: starting the cloud, synthesising, deploying. */
export function startupRow(t: StartupTimes, start?: 'warm' | 'cold'): Row {
  const { cloudUpSeconds: up, synthDoneSeconds: synth } = t;
  const phases =
    up !== undefined && synth !== undefined
      ? `cloud up ${seconds(up)}, synth ${seconds(synth - up)}, deploy ${seconds(t.readySeconds - synth)}; `
      : '';
  const limit = start && (start === 'warm' ? LOOP_TARGETS.warmStartSeconds : LOOP_TARGETS.coldStartSeconds);
  return {
    figure: `npm start, time to ready${start === 'warm' ? ', warm (last synth reused)' : start === 'cold' ? ', cold (no synth yet)' : ''}`,
    value: `${seconds(t.readySeconds)} (${phases}Ctrl-C to exit ${seconds(t.stopSeconds)})`,
    target: limit ? `≤ ${limit} s` : '',
    met: limit ? verdict(t.readySeconds <= limit) : '',
  };
}

/** A check's time, with its verdict if it did not pass. */
export const checkRow = (figure: string, t: CheckTime): Row => ({
  figure,
  value: `${seconds(t.seconds)}${t.exitCode === 0 ? ' (passed)' : ` (exit ${t.exitCode}: ${t.verdict})`}`,
  target: '',
  met: '',
});

/** A figure that could not be measured: the table says why instead of stopping the run. */
export const failedRow = (figure: string, err: unknown): Row => ({
  figure,
  value: `not measured: ${((err as Error)?.message ?? String(err)).split('\n')[0]}`,
  target: '',
  met: '',
});
