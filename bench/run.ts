/**
 * `npm run bench`: prints the workshop's performance figures. Benchmarks measure; tests never
 * assert wall-clock times.
 */
import { cpus } from 'node:os';
import { startLocalCloud } from '../local/cloud.ts';
import { benchGateway } from './gateway.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const table = (rows: string[][]) => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
};

console.log(`Wild Rydes benchmarks — ${cpus().length} cores, Node.js ${process.version}\n`);
const cloud = await startLocalCloud({ port: 0 });
try {
  const results = await benchGateway(cloud);
  console.log('PutRecords throughput (20,000 records, 500 per call, 4 calls in flight)');
  table([
    ['path', 'seconds', 'records/s', 'vs direct'],
    ...results.map((r) => [
      r.path,
      r.seconds.toFixed(2),
      Math.round(r.recordsPerSecond).toLocaleString('en-US'),
      `${((r.recordsPerSecond / (results[0]?.recordsPerSecond ?? 1)) * 100).toFixed(0)}%`,
    ]),
  ]);
} finally {
  await cloud.stop();
}
