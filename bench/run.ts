/**
 * `npm run bench`: measures the workshop's performance figures (issues 3 and 7) and prints them
 * as one table. Benchmarks measure and print; tests never assert wall-clock times.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runMain, UsageError } from '../core/errors.ts';
import { workshopCli } from '../core/yargs.ts';
import { startLocalCloud } from '../local/cloud.ts';
import { benchCheck } from './check-time.ts';
import { type BenchConfig, FULL, QUICK } from './config.ts';
import { benchEndToEnd } from './end-to-end.ts';
import { benchKinesisGateway } from './gateway.ts';
import { benchDynamoDbGateway } from './gateway-dynamodb.ts';
import { benchHandlerLatency } from './handler-latency.ts';
import { benchHotSwap } from './hot-swap.ts';
import { benchModule4Latency } from './module4-latency.ts';
import { startPipeline } from './pipeline.ts';
import { checkRow, endToEndRow, failedRow, gatewayRows, latencyRow, startupRow, swapRow } from './rows.ts';
import { benchSaveToGreen, greenRows } from './save-to-green.ts';
import { benchStartup } from './startup.ts';
import { count } from './stats.ts';
import { formatTable, type Row } from './table.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const FIGURES = [
  'startup',
  'swap',
  'green',
  'kinesis',
  'dynamodb',
  'handler',
  'module4',
  'check',
  'e2e',
] as const;
type Figure = (typeof FIGURES)[number];

const progress = (text: string) => process.stderr.write(`› ${text}…\n`);

/** Runs one measurement; a failure becomes a row that says so, and the run goes on. */
async function measure(rows: Row[], figure: string, work: () => Promise<Row[]>): Promise<void> {
  progress(figure);
  try {
    rows.push(...(await work()));
  } catch (err) {
    rows.push(failedRow(figure, err));
  }
}

async function plainCloudFigures(config: BenchConfig, only: Set<Figure>, rows: Row[]): Promise<void> {
  if (!only.has('kinesis') && !only.has('dynamodb') && !only.has('handler')) return;
  // These measure the emulator itself, so without the per-shard write limits (issue 13).
  const cloud = await startLocalCloud({ port: 0, shardLimits: false });
  try {
    if (only.has('kinesis'))
      await measure(rows, 'PutRecords through the gateway vs kinesalite', async () =>
        gatewayRows(
          'PutRecords',
          'records',
          await benchKinesisGateway(cloud, config.kinesis),
          'gateway (HTTP/2, the SDK default)',
        ),
      );
    if (only.has('dynamodb'))
      await measure(rows, 'BatchWriteItem through the gateway vs dynalite', async () =>
        gatewayRows(
          'BatchWriteItem',
          'items',
          await benchDynamoDbGateway(cloud, config.dynamodb),
          'gateway (HTTP/1.1, the SDK default)',
        ),
      );
    if (only.has('handler'))
      await measure(rows, 'put→handler latency of a Kinesis mapping', async () => [
        latencyRow(
          'put→handler latency, Kinesis mapping',
          (await benchHandlerLatency(cloud, config.handlerLatency)).latenciesMs,
          false,
        ),
      ]);
  } finally {
    await cloud.stop();
  }
}

async function pipelineFigures(
  config: BenchConfig,
  only: Set<Figure>,
  rows: Row[],
  batchSize: number | undefined,
): Promise<void> {
  if (!only.has('module4') && !only.has('check') && !only.has('e2e')) return;
  // One pipeline per shard count: the streams' shards are fixed when they are created.
  const shardCounts = [...new Set([1, ...config.endToEnd.map((r) => r.shards ?? 1)])];
  for (const shards of shardCounts) {
    const runs = only.has('e2e') ? config.endToEnd.filter((r) => (r.shards ?? 1) === shards) : [];
    const others = shards === 1 && (only.has('module4') || only.has('check'));
    if (runs.length > 0 || others) await onePipeline(config, only, rows, batchSize, shards, runs);
  }
}

async function onePipeline(
  config: BenchConfig,
  only: Set<Figure>,
  rows: Row[],
  batchSize: number | undefined,
  shards: number,
  runs: BenchConfig['endToEnd'],
): Promise<void> {
  const whatIf = batchSize === undefined ? '' : ` [what-if: module 3 BatchSize ${batchSize}]`;
  const onShards = `${shards} shard${shards === 1 ? '' : 's'}`;
  progress(
    `deploying modules 2–4 (solutions, ${config.windowSeconds}-s windows, ${onShards}${whatIf}) on a local cloud`,
  );
  const pipeline = await startPipeline({
    windowSeconds: config.windowSeconds,
    aggregationBatchSize: batchSize,
    shards,
  });
  rows.push({
    figure: `deploy of modules 2–4 (synth, bundling, deploy; ${onShards})`,
    value: `${pipeline.deploySeconds.toFixed(1)} s`,
    target: '',
    met: '',
  });
  try {
    if (shards === 1 && only.has('module4'))
      await measure(rows, 'module 4 put→item latency', async () => {
        const { firstMs, warmMs } = await benchModule4Latency(pipeline, config.module4Latency);
        return [
          latencyRow('module 4 put→item latency (wildrydes-aggregated → UnicornSensorData)', warmMs, true),
          {
            figure: 'module 4 put→item, the first record after the deploy',
            value: `${count(firstMs)} ms`,
            target: '',
            met: '',
          },
        ];
      });
    if (shards === 1 && only.has('check'))
      await measure(rows, 'check:module4 after 3 unicorns', async () => {
        // What an attendee has sent by then: a few unicorns, a few windows.
        await benchEndToEnd(pipeline, { unicorns: 3, rate: 10, seconds: 6, drainSeconds: 30 });
        return [
          checkRow(
            'npm run check:module4 (3 unicorns, a new process)',
            await benchCheck(pipeline, { module: 'module4', name: 'Shadowfax' }),
          ),
        ];
      });
    for (const run of runs)
      await measure(
        rows,
        `end to end, ${run.unicorns} unicorns for ${run.seconds} s on ${onShards}`,
        async () => {
          const row = endToEndRow(
            await benchEndToEnd(pipeline, { ...run, shards, drainSeconds: config.drainSeconds }),
          );
          return [{ ...row, figure: `${row.figure}${whatIf}` }];
        },
      );
    const notes = pipeline.notes.length;
    if (notes > 0)
      process.stderr.write(`(${notes} event source mapping notes, the first: ${pipeline.notes[0]})\n`);
  } finally {
    await pipeline.stop();
  }
}

await runMain(async () => {
  const argv = await workshopCli(yargs(hideBin(process.argv)), 'npm run bench --')
    .usage(
      '$0 [options]\n\nMeasures the local cloud and prints one table: gateway overhead vs the emulators, ' +
        'put→handler and module 4 put→item latency, end-to-end raw records/s through modules 2–4, ' +
        '`npm start` time to ready and a check’s time. Takes about 5 minutes (--quick: about 2).',
    )
    .option('quick', { type: 'boolean', default: false, describe: 'smaller runs, one round each' })
    .option('batch-size', {
      type: 'number',
      describe: "what-if: module 3's mapping reads batches of this many records instead of its stack's",
    })
    .option('only', {
      type: 'string',
      array: true,
      choices: FIGURES,
      describe: 'measure only these figures',
    })
    .parseAsync();
  const batchSize = argv.batchSize;
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 10_000)) {
    throw new UsageError('--batch-size must be a whole number from 1 to 10000 (Lambda’s limit for Kinesis)');
  }
  const config = argv.quick ? QUICK : FULL;
  const only = new Set<Figure>(argv.only?.length ? (argv.only as Figure[]) : FIGURES);
  const load = () => loadavg()[0]?.toFixed(1) ?? '?';
  const header = `Wild Rydes benchmarks — ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node.js ${process.version}${argv.quick ? ', --quick' : ''}`;
  const loadAtStart = load();
  const started = performance.now();
  const rows: Row[] = [];
  if (only.has('startup'))
    await measure(rows, 'npm start, time to ready', async () => {
      // Cold: a state folder with no synth yet; warm: the same folder again, nothing changed.
      const stateDir = await mkdtemp(join(tmpdir(), 'wildrydes-bench-start-'));
      try {
        const timeoutSeconds = config.startupTimeoutSeconds;
        const cold = await benchStartup({ timeoutSeconds, stateDir });
        return [
          startupRow(cold, 'cold'),
          startupRow(await benchStartup({ timeoutSeconds, stateDir }), 'warm'),
        ];
      } finally {
        await rm(stateDir, { recursive: true, force: true });
      }
    });
  if (only.has('swap'))
    await measure(rows, 'save → new code live', async () => {
      const times = await benchHotSwap({
        saves: config.swapSaves,
        timeoutSeconds: config.startupTimeoutSeconds,
      });
      return [swapRow(times.toNewCode, times.logged)];
    });
  if (only.has('green'))
    await measure(rows, 'save → green check (npm run watch)', async () =>
      greenRows(await benchSaveToGreen({ timeoutSeconds: config.startupTimeoutSeconds })),
    );
  await plainCloudFigures(config, only, rows);
  await pipelineFigures(config, only, rows, batchSize);
  console.log(`\n${header}`);
  console.log(
    `load average ${loadAtStart} at the start, ${load()} at the end; ${((performance.now() - started) / 1000).toFixed(0)} s in all\n`,
  );
  for (const line of formatTable(rows)) console.log(line);
  return 0;
});
