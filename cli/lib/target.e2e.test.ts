import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/curriculum.ts';
import { targetConfig } from '../../core/target.ts';
import { useLocalCloud } from '../../testing/local-cloud.ts';
import { honestTarget } from './preflight.ts';

describe('--target aws with AWS_ENDPOINT_URL set says where it talks', () => {
  const cloud = useLocalCloud();
  let other: Server;
  let otherUrl = '';

  beforeAll(async () => {
    // Another endpoint (LocalStack, a proxy): answers, but not as the local cloud.
    other = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => other.close(resolve)));

  it('names AWS itself when AWS_ENDPOINT_URL is not set', async () => {
    // Act
    const target = await honestTarget(targetConfig('aws', { region: 'us-east-1' }, {}));

    // Assess
    expect(target.describe).toBe('AWS (us-east-1)');
  });

  it('names the local cloud, never AWS, when that is what answers at AWS_ENDPOINT_URL', async () => {
    // Prepare
    const lines: string[] = [];

    // Act
    const target = await honestTarget(
      targetConfig('aws', { region: 'us-east-1' }, { AWS_ENDPOINT_URL: cloud().endpoint }),
      (line) => lines.push(line),
    );

    // Assess
    expect(target.describe).toBe(`the local cloud at ${cloud().endpoint} (from AWS_ENDPOINT_URL), not AWS`);
    expect(target.describe).not.toMatch(/^AWS/);
    expect(target.clientConfig.endpoint).toBe(cloud().endpoint);
    expect(lines).toEqual([
      expect.stringMatching(/^note: --target aws talks to the local cloud at .*unset AWS_ENDPOINT_URL/),
    ]);
  });

  it('names any other endpoint as "AWS APIs at …, from AWS_ENDPOINT_URL"', async () => {
    // Act
    const target = await honestTarget(
      targetConfig('aws', { region: 'us-east-1' }, { AWS_ENDPOINT_URL: otherUrl }),
      () => undefined,
    );

    // Assess
    expect(target.describe).toBe(`AWS APIs at ${otherUrl}, from AWS_ENDPOINT_URL (us-east-1)`);
  });

  it("the red team's `check:module2 -- --target aws` on local data says it checks the local cloud", async () => {
    // Act
    const run = promisify(execFile);
    const { stdout, stderr } = await run(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      ['cli/wildrydes.ts', 'check', 'module2', '--target', 'aws', '--region', 'us-east-1'],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          AWS_ENDPOINT_URL: cloud().endpoint,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          WILDRYDES_STATE_DIR: mkdtempSync(join(tmpdir(), 'wildrydes-target-')),
        },
        timeout: 60_000,
      },
    ).catch((err: { stdout: string; stderr: string }) => err);

    // Assess
    expect(stdout.split('\n')[0]).toBe(
      `Checking module 2 — Real-time streaming data (on the local cloud at ${cloud().endpoint} (from AWS_ENDPOINT_URL), not AWS)`,
    );
    expect(`${stdout}${stderr}`).not.toMatch(/on AWS \(/);
  }, 60_000);
});
