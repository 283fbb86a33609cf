/**
 * The red team's load on the gateway, measured: 1,000 slow connections (headers never finished,
 * reopened as the gateway closes them) and two 1 GiB bodies (one with content-length, one
 * chunked), while an SDK client keeps calling. Prints the local cloud's peak RSS and the SDK's
 * answers. The cloud runs in a child process, so the load generator's memory is not counted.
 *
 *   npx tsx scripts/gateway-under-load.ts [seconds=30]
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/local-cloud.ts';
import { startLocalCloud } from '../local/cloud.ts';

const MiB = 1024 * 1024;

if (process.argv[2] === 'serve') {
  const cloud = await startLocalCloud({ port: 0 });
  console.log(JSON.stringify({ port: cloud.port }));
  setInterval(() => console.log(JSON.stringify({ rss: process.memoryUsage().rss })), 200);
} else {
  const seconds = Number(process.argv[2] ?? 30);
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, 'serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peak = 0;
  let first = 0;
  const port = await new Promise<number>((resolve) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = JSON.parse(line) as { port?: number; rss?: number };
        if (m.port) resolve(m.port);
        if (m.rss) {
          first ||= m.rss;
          peak = Math.max(peak, m.rss);
        }
      }
    });
  });
  const deadline = Date.now() + seconds * 1000;
  let opened = 0;
  const slow = (): void => {
    if (Date.now() > deadline) return;
    opened++;
    const s: Socket = connect(port, '127.0.0.1', () =>
      s.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '),
    );
    s.on('error', () => undefined);
    s.on('close', () => setTimeout(slow, 50));
  };
  for (let i = 0; i < 1000; i++) slow();
  const gib = (chunked: boolean) => {
    const s = connect(port, '127.0.0.1', () => {
      const auth =
        'AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0';
      s.write(
        `PUT /bucket/big HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\n${chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${1024 * MiB}`}\r\n\r\n`,
      );
      const block = Buffer.alloc(MiB, 'x');
      let sent = 0;
      const pump = () => {
        while (sent < 1024) {
          sent++;
          const ok = chunked
            ? s.write(`${block.length.toString(16)}\r\n`) && s.write(block) && s.write('\r\n')
            : s.write(block);
          if (!ok) return void s.once('drain', pump);
        }
      };
      pump();
    });
    let answer = '';
    s.on('data', (c) => {
      const text = c.toString();
      answer ||= `${text.split('\r\n')[0]} ${/<Code>(\w+)</.exec(text)?.[1] ?? ''}`.trim();
    });
    s.on('error', () => undefined);
    return new Promise<string>((resolve) =>
      s.on('close', () => resolve(answer || 'closed without an answer')),
    );
  };
  const bodies = Promise.all([gib(false), gib(true)]);
  const kinesis = new KinesisClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  let ok = 0;
  let failed = 0;
  while (Date.now() < deadline) {
    await kinesis.send(new ListStreamsCommand({})).then(
      () => ok++,
      () => failed++,
    );
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(
    JSON.stringify({
      seconds,
      slowConnectionsOpened: opened,
      gibBodies: await bodies,
      sdkCalls: { ok, failed },
      rssMB: { atStart: Math.round(first / MiB), peak: Math.round(peak / MiB) },
    }),
  );
  child.kill();
  process.exit(0);
}
