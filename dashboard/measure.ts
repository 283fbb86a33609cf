/**
 * Measures the dashboard's responsiveness at many unicorns, in a real Chromium: a local cloud,
 * the stream fed with one record per unicorn per second (StatusTime = now), the page open.
 * Prints render time, frame time and update latency (record's StatusTime → painted), not asserted.
 *
 *   npx tsx dashboard/measure.ts --unicorns 1000 --seconds 30
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { names } from '../contracts/names.ts';
import { formatStatusTime, type UnicornStatus } from '../contracts/telemetry.ts';
import { runMain } from '../core/errors.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/local-cloud.ts';
import { targetConfig } from '../core/target.ts';
import { workshopCli } from '../core/yargs.ts';
import { startLocalCloud } from '../local/cloud.ts';
import { outboxFile } from '../local/sns/outbox.ts';
import { launchChromium } from '../testing/browser.ts';
import { buildDashboard } from './build.mjs';
import { serveDashboard } from './serve.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const SHARDS = 4;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const summary = (label: string, values: number[]) =>
  `${label.padEnd(34)} median ${quantile(values, 0.5).toFixed(1).padStart(7)} ms   p95 ${quantile(values, 0.95).toFixed(1).padStart(7)} ms   max ${Math.max(
    ...values,
  )
    .toFixed(1)
    .padStart(7)} ms   (n=${values.length})`;

/** One record per unicorn for second `tick`: they fly in circles around the stable; every tenth tires. */
function tickRecords(unicorns: number, tick: number): UnicornStatus[] {
  const now = formatStatusTime(new Date());
  return Array.from({ length: unicorns }, (_, i) => {
    const angle = (i / unicorns) * 2 * Math.PI + tick * 0.01;
    const radius = 0.02 + (i % 50) * 0.002;
    return {
      Name: `Unicorn-${String(i).padStart(4, '0')}`,
      StatusTime: now,
      Latitude: 42.26 + radius * Math.sin(angle),
      Longitude: -71.97 + radius * Math.cos(angle) * 1.35,
      Distance: 150,
      MagicPoints: i % 10 === 0 ? Math.max(0, 150 - tick * 3) : 150,
      HealthPoints: 150,
    };
  });
}

await runMain(async () => {
  const args = await workshopCli(yargs(hideBin(process.argv)), 'dashboard/measure.ts')
    .option('unicorns', { type: 'number', default: 1_000, describe: 'unicorns reporting once a second' })
    .option('seconds', { type: 'number', default: 30, describe: 'how long to feed and measure' })
    .parseAsync();
  await buildDashboard();
  const cloud = await startLocalCloud({ port: 0 });
  const stateDir = mkdtempSync(join(tmpdir(), 'wildrydes-measure-'));
  const kinesis = new KinesisClient({
    endpoint: cloud.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  await kinesis.send(new CreateStreamCommand({ StreamName: names.rawStream, ShardCount: SHARDS }));
  while (
    (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: names.rawStream })))
      .StreamDescriptionSummary?.StreamStatus !== 'ACTIVE'
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const server = await serveDashboard(0, {
    target: targetConfig('local', {}, { WILDRYDES_ENDPOINT: cloud.endpoint }),
    outboxFile: outboxFile(stateDir),
  });
  const browser = await launchChromium();
  try {
    const { page, errors } = await browser.open();
    await page.goto(server.url);
    // Frame times: the interval between animation frames while the data flows. (A string: tsx
    // would wrap a function in helpers the page does not have.)
    await page.evaluate(`(() => {
      const frames = [];
      window.frames_ = frames;
      let last = performance.now();
      const tick = (now) => { frames.push(now - last); last = now; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    for (let tick = 0; tick < args.seconds; tick++) {
      const started = Date.now();
      const records = tickRecords(args.unicorns, tick);
      for (let i = 0; i < records.length; i += 500) {
        await kinesis.send(
          new PutRecordsCommand({
            StreamName: names.rawStream,
            Records: records
              .slice(i, i + 500)
              .map((r) => ({ PartitionKey: r.Name, Data: Buffer.from(JSON.stringify(r)) })),
          }),
        );
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 1_000 - (Date.now() - started))));
    }
    await new Promise((r) => setTimeout(r, 2_000));
    const result = (await page.evaluate(
      '({ ...window.wildrydesDashboard.stats, markers: window.wildrydesDashboard.markers().length, frames: window.frames_ })',
    )) as {
      renders: number;
      renderMs: number[];
      eventToPaintMs: number[];
      recordToPaintMs: number[];
      markers: number;
      frames: number[];
    };
    // The first seconds fill the map (1,000 markers created); the steady state is what an operator sees.
    const steady = (values: number[]) => values.slice(Math.floor(values.length / 5));
    console.log(
      `${args.unicorns} unicorns, 1 record each a second, ${args.seconds} s; ${result.markers} on the map, ${result.renders} renders`,
    );
    console.log(summary('render (JS, one frame)', steady(result.renderMs)));
    console.log(summary('frame interval', steady(result.frames)));
    console.log(summary('event arrives → painted', steady(result.eventToPaintMs)));
    console.log(summary('record StatusTime → painted', steady(result.recordToPaintMs)));
    console.log(
      `frames over 50 ms: ${steady(result.frames).filter((f) => f > 50).length} of ${steady(result.frames).length}`,
    );
    if (errors.length > 0) console.log(`page errors: ${errors.join('; ')}`);
  } finally {
    await browser.close();
    await server.close();
    await cloud.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
  return 0;
});
